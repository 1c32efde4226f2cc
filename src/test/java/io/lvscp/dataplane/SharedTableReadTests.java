package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.ipvs.TableEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedTableReadTests {

    private static final long MS = 1_000_000L;

    private long now = 1_000 * MS;
    private int reads;
    private boolean fail;
    private final List<List<TableEntry>> tables = new ArrayList<>();

    private final SharedTableRead shared = new SharedTableRead(() -> {
        reads++;
        if (fail) {
            throw new IllegalStateException("netlink gone");
        }
        List<TableEntry> t = new ArrayList<>(); // a new list each read, told apart by identity
        tables.add(t);
        return t;
    }, () -> now);

    @Test
    void eachReaderTakesTheLastReadWhileItIsYoungEnoughForIt() throws Exception {
        SharedTableRead.Stamped first = shared.read(now, Duration.ofMillis(500));
        assertThat(first.startedAt()).isEqualTo(1_000 * MS);
        assertThat(reads).isEqualTo(1);

        now += 700 * MS;
        // too old for a reader that wants 500 ms, young enough for one that takes 1 s (the metrics)
        assertThat(shared.read(now, Duration.ofSeconds(1))).isSameAs(first);
        assertThat(reads).isEqualTo(1);
        SharedTableRead.Stamped second = shared.read(now, Duration.ofMillis(500));
        assertThat(reads).isEqualTo(2);
        assertThat(second.entries()).isSameAs(tables.get(1));
        assertThat(second.startedAt()).isEqualTo(1_700 * MS);

        // a reader that wants the table fresh at a later moment (the metrics' read ahead of a scrape)
        assertThat(shared.read(now + 400 * MS, Duration.ofMillis(500))).isSameAs(second);
        assertThat(shared.read(now + 600 * MS, Duration.ofMillis(500))).isNotSameAs(second);
        assertThat(reads).isEqualTo(3);
    }

    @Test
    void aFailedReadIsNotKept() throws Exception {
        SharedTableRead.Stamped first = shared.read(now, Duration.ofMillis(500));
        now += 600 * MS;
        fail = true;
        assertThatThrownBy(() -> shared.read(now, Duration.ofMillis(500))).hasMessage("netlink gone");
        // the failure did not replace the last good read: a reader content with it still gets it
        assertThat(shared.read(now, Duration.ofSeconds(1))).isSameAs(first);
        fail = false;
        assertThat(shared.read(now, Duration.ofMillis(500)).entries()).isSameAs(tables.get(1));
        assertThat(reads).isEqualTo(3);
    }
}
