package io.lvscp.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WireNamedTests {

    @Test
    void everyIpvsSchedulerIsKnownByItsKernelName() {
        assertThat(WireNamed.names(Scheduler.class))
                .containsExactly("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh");
    }

    @Test
    void parsingIgnoresCaseAndNamesTheAllowedValues() {
        assertThat(WireNamed.parse(Scheduler.class, "RR")).isEqualTo(Scheduler.RR);
        assertThat(WireNamed.parse(Forwarding.class, "dr")).isEqualTo(Forwarding.DR);
        assertThat(WireNamed.parse(RealServerState.class, "Draining")).isEqualTo(RealServerState.DRAINING);
        assertThatThrownBy(() -> WireNamed.parse(Forwarding.class, "DSR")).hasMessage("'DSR' is not one of DR, NAT, TUN");
    }
}
