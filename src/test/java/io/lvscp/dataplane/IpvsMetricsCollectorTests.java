package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.VirtualService;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class IpvsMetricsCollectorTests {

    static List<TableEntry> table() throws Exception {
        VirtualService vs = VirtualService.of(VirtualService.TCP, InetAddress.getByName("172.18.42.42"), 80, "rr");
        return List.of(new TableEntry(vs, List.of(Destination.of(InetAddress.getByName("172.18.42.221"), 80, Forward.DIRECT_ROUTE, 1))));
    }

    @Test
    void scrapesWithinASecondShareOneReadAndAFailedReadLeavesTheSeriesOut() throws Exception {
        List<String> reads = new CopyOnWriteArrayList<>();
        boolean[] fail = {false};
        List<TableEntry> t = table();
        try (IpvsMetricsCollector c = new IpvsMetricsCollector(() -> {
            reads.add(Thread.currentThread().getName());
            if (fail[0]) {
                throw new IllegalStateException("netlink gone");
            }
            return t;
        }, "lvs1", () -> "web")) {
            assertThat(c.collect().stream().map(m -> m.getMetadata().getName())).contains("lvs_ipvs_real_server_weight");
            IpvsExposition.Text text = c.text(IpvsExposition.Format.PROMETHEUS_TEXT, null);
            assertThat(new String(text.bytes(), 0, text.length(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("lvs_ipvs_real_server_weight{cluster=\"web\",node=\"lvs1\",real_server=\"172.18.42.221:80\"");
            // the same read's text is written once per format and kept
            assertThat(c.text(IpvsExposition.Format.PROMETHEUS_TEXT, null)).isSameAs(text);
            assertThat(c.text(IpvsExposition.Format.OPENMETRICS, null)).isNotSameAs(text);
            assertThat(reads).hasSize(1);
            fail[0] = true;
            Thread.sleep(1100);
            assertThat(c.text(IpvsExposition.Format.PROMETHEUS_TEXT, null)).isNull();
            assertThat(reads).hasSize(2);
            assertThat(c.collect()).isEmpty();
        }
    }

    /**
     * A read another reader made (the console's connection counts) serves a scrape when the source shares its reads,
     * and its age counts from its own start, not from the scrape that took it.
     */
    @Test
    void aSharedReadIsAgedFromItsStart() throws Exception {
        List<TableEntry> t = table();
        List<Duration> asked = new CopyOnWriteArrayList<>();
        long[] now = {1_000_000_000L}; // the collector's and the source's clock: it moves only when the test moves it
        long[] startedAgo = {0};
        IpvsMetricsCollector.TableSource shared = new IpvsMetricsCollector.TableSource() {
            @Override
            public List<TableEntry> read() {
                throw new AssertionError("a sharing source is asked for a recent read");
            }

            @Override
            public SharedTableRead.Stamped read(long freshAt, Duration maxAge) {
                asked.add(maxAge);
                return new SharedTableRead.Stamped(t, now[0] - startedAgo[0]);
            }
        };
        long justUnder = IpvsMetricsCollector.MAX_AGE.toNanos() - 1;
        try (IpvsMetricsCollector c = new IpvsMetricsCollector(shared, "lvs1", () -> "web", false, () -> now[0])) {
            // a read made just now: a scrape within MAX_AGE of its start takes the collector's own copy
            assertThat(c.text(IpvsExposition.Format.PROMETHEUS_TEXT, null)).isNotNull();
            now[0] += justUnder;
            assertThat(c.text(IpvsExposition.Format.PROMETHEUS_TEXT, null)).isNotNull();
            assertThat(asked).containsExactly(IpvsMetricsCollector.MAX_AGE);
            // one past MAX_AGE from the read's start: the next scrape asks again
            now[0] += 2;
            assertThat(c.text(IpvsExposition.Format.PROMETHEUS_TEXT, null)).isNotNull();
            assertThat(asked).hasSize(2);
        }
        // a read that started longer than MAX_AGE ago is too old at once: the next scrape asks again
        asked.clear();
        startedAgo[0] = IpvsMetricsCollector.MAX_AGE.toNanos() * 2;
        try (IpvsMetricsCollector c = new IpvsMetricsCollector(shared, "lvs1", () -> "web", false, () -> now[0])) {
            assertThat(c.text(IpvsExposition.Format.PROMETHEUS_TEXT, null)).isNotNull();
            assertThat(c.text(IpvsExposition.Format.PROMETHEUS_TEXT, null)).isNotNull();
            assertThat(asked).hasSize(2);
        }
    }

    /** Scrapes at a steady interval: after two, the table is read ahead of the next by the collector's own thread. */
    @Test
    void aSteadyScraperIsServedATableReadAheadOfIt() throws Exception {
        List<String> reads = new CopyOnWriteArrayList<>();
        List<TableEntry> t = table();
        try (IpvsMetricsCollector c = new IpvsMetricsCollector(() -> {
            reads.add(Thread.currentThread().getName());
            return t;
        }, "lvs1", () -> "web")) {
            for (int i = 0; i < 5; i++) {
                c.text(IpvsExposition.Format.OPENMETRICS, null);
                Thread.sleep(1500);
            }
        }
        assertThat(reads.get(0)).isEqualTo(Thread.currentThread().getName());
        // from the third scrape on the reads are the prefetch thread's (a loaded machine may miss one, not all)
        assertThat(reads).contains("ipvs-metrics-prefetch");
        // never more than one read per scrape (the last one is ahead of a sixth that did not come)
        assertThat(reads.size()).isLessThanOrEqualTo(6);
    }
}
