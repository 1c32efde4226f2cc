package io.lvscp.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SteadyMultiGaugeTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SteadyMultiGauge gauge = new SteadyMultiGauge("test.up", "a test", meters);
    private final Tags a = Tags.of("vs", "a");
    private final Tags b = Tags.of("vs", "b");
    private final Tags c = Tags.of("vs", "c");

    private Gauge find(Tags tags) {
        return meters.find("test.up").tags(tags).gauge();
    }

    @Test
    void aRowStillThereKeepsItsMeterAndTakesTheNewValue() {
        gauge.set(Map.of(a, 1, b, 0));
        Gauge before = find(a);
        assertThat(before.value()).isEqualTo(1.0);
        assertThat(find(b).value()).isEqualTo(0.0);

        gauge.set(Map.of(a, 0, c, 1));

        // the same meter, never removed and registered again (a scrape at that moment would read the row twice)
        assertThat(find(a)).isSameAs(before);
        assertThat(before.value()).isEqualTo(0.0);
        assertThat(find(b)).isNull();
        assertThat(find(c).value()).isEqualTo(1.0);
        assertThat(meters.find("test.up").gauges()).hasSize(2);
    }

    @Test
    void aRowThatComesBackIsRegisteredAgainWithItsValue() {
        gauge.set(Map.of(a, 1));
        gauge.set(Map.of());
        assertThat(meters.find("test.up").gauges()).isEmpty();
        gauge.set(Map.of(a, 0));
        assertThat(find(a).value()).isEqualTo(0.0);
    }
}
