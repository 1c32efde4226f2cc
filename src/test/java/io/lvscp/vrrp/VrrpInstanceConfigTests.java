package io.lvscp.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The plan's instance becomes the engine's: the stored interval is seconds for v2, centiseconds for v3. */
class VrrpInstanceConfigTests {

    @ParameterizedTest(name = "v{0} interval {1} -> {2} ms, {3} on the wire")
    @CsvSource({"2, 1, 1000, 1", "2, 3, 3000, 3", "3, 100, 1000, 100", "3, 10, 100, 10", "3, 1, 10, 1"})
    void advertIntervalFromThePlan(int version, int stored, long millis, int wire) {
        VrrpInstanceSpec spec = new VrrpInstanceSpec("vi_1", 110, "eth0", Family.IPV4, version, stored, 100, true, 0, version == 2,
                "224.0.0.18", List.of(), null, List.of(new PlanInput.Vip("172.18.42.42", 32, "eth0", "eth0:1")));
        VrrpInstanceConfig config = VrrpInstanceConfig.fromSpec(spec, version == 2 ? "lm97gg51" : null, Addresses.parse("172.18.42.100"));
        assertThat(config.advertInterval()).isEqualTo(Duration.ofMillis(millis));
        assertThat(config.wireInterval()).isEqualTo(wire);
    }
}
