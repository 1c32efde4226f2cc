package io.lvscp.vrrp.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.VrrpState;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** lvs.vrrp.realtime-priority: its values, what the kernel's answers mean, and that the loop thread asks for itself. */
class RealtimeSchedulingTests {

    @Test
    void thePriorityIsZeroOrOneToNinetyNine() {
        assertThat(RealtimeScheduling.validate(0)).isZero();
        assertThat(RealtimeScheduling.validate(1)).isEqualTo(1);
        assertThat(RealtimeScheduling.validate(99)).isEqualTo(99);
        assertThat(RealtimeScheduling.validate(RealtimeScheduling.DEFAULT_PRIORITY)).isBetween(1, 49);
        assertThatThrownBy(() -> RealtimeScheduling.validate(100)).hasMessageContaining("lvs.vrrp.realtime-priority")
                .hasMessageContaining("not 100");
        assertThatThrownBy(() -> RealtimeScheduling.validate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VrrpNode("n", null, Clock.systemUTC()).realtimePriority(120, p -> null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatTheKernelsAnswersMean() {
        RealtimeScheduling ok = RealtimeScheduling.outcome(10, 0, 0, "", RealtimeScheduling.SCHED_RR, 10);
        assertThat(ok.state()).isEqualTo(RealtimeScheduling.State.IN_EFFECT);
        assertThat(ok.inEffect()).isTrue();
        assertThat(ok.applied()).isEqualTo(10);

        // no CAP_SYS_NICE, RLIMIT_RTPRIO too low, or RestrictRealtime=yes: the fallback, with what to change
        RealtimeScheduling eperm = RealtimeScheduling.outcome(10, -1, RealtimeScheduling.EPERM, "EPERM", -1, -1);
        assertThat(eperm.state()).isEqualTo(RealtimeScheduling.State.REFUSED);
        assertThat(eperm.applied()).isZero();
        assertThat(eperm.inEffect()).isFalse();
        assertThat(eperm.detail()).contains("EPERM", "CAP_SYS_NICE", "RLIMIT_RTPRIO of at least 10", "LimitRTPRIO=10",
                "RestrictRealtime=no", "normal priority");

        assertThat(RealtimeScheduling.outcome(10, -1, RealtimeScheduling.EINVAL, "EINVAL", -1, -1).detail())
                .contains("invalid", "EINVAL");
        assertThat(RealtimeScheduling.outcome(10, -1, 38, "ENOSYS", -1, -1).state()).isEqualTo(RealtimeScheduling.State.REFUSED);
        // accepted but not what was asked (read back otherwise): not counted as in effect
        RealtimeScheduling odd = RealtimeScheduling.outcome(10, 0, 0, "", 0, 0);
        assertThat(odd.state()).isEqualTo(RealtimeScheduling.State.REFUSED);
        assertThat(odd.detail()).contains("reads back policy 0");
        assertThat(RealtimeScheduling.outcome(10, 0, 0, "", RealtimeScheduling.SCHED_RR, 5).inEffect()).isFalse();

        assertThat(RealtimeScheduling.outcome(0, 0, 0, "", 0, 0)).isEqualTo(RealtimeScheduling.off());
        assertThat(RealtimeScheduling.pending(0)).isEqualTo(RealtimeScheduling.off());
        assertThat(RealtimeScheduling.pending(10).state()).isEqualTo(RealtimeScheduling.State.PENDING);
    }

    @Test
    void theLoopThreadAsksForItselfBeforeItsFirstRoundAndRunsOnWhenRefused() throws Exception {
        List<String> askedOn = new CopyOnWriteArrayList<>();
        VrrpNodeTests.FakeIo host = new VrrpNodeTests.FakeIo();
        VrrpNode node = new VrrpNode("lvs1", host, Clock.systemUTC());
        node.realtimePriority(20, priority -> {
            askedOn.add(Thread.currentThread().getName() + " " + priority);
            return RealtimeScheduling.outcome(priority, -1, RealtimeScheduling.EPERM, "EPERM", -1, -1);
        });
        assertThat(node.realtime().state()).isEqualTo(RealtimeScheduling.State.PENDING);
        VrrpInstanceSpec fast = new VrrpInstanceSpec("VI_F", 61, "eth0", Family.IPV4, 3, 1, 100, true, 0, false, null,
                List.of(), null, List.of(new PlanInput.Vip("10.200.61.100", 24, null, null)));
        node.configure(List.of(fast), Map.of());
        // the configure ran on the loop, which asked first: known when configure returns
        assertThat(askedOn).containsExactly("vrrp-lvs1 20");
        assertThat(node.realtime().state()).isEqualTo(RealtimeScheduling.State.REFUSED);
        long end = System.currentTimeMillis() + 3000;
        while (node.instance("VI_F").orElseThrow().state() != VrrpState.MASTER && System.currentTimeMillis() < end) {
            Thread.sleep(5);
        }
        assertThat(node.instance("VI_F").orElseThrow().state()).isEqualTo(VrrpState.MASTER); // refused: it runs on
        node.close();
        assertThat(askedOn).hasSize(1);

        // 0: never asked
        VrrpNode off = new VrrpNode("lvs2", new VrrpNodeTests.FakeIo(), Clock.systemUTC());
        off.realtimePriority(0, priority -> {
            askedOn.add("off " + priority);
            return RealtimeScheduling.off();
        });
        off.configure(List.of(fast), Map.of());
        off.close();
        assertThat(askedOn).hasSize(1);
        assertThat(off.realtime()).isEqualTo(RealtimeScheduling.off());
    }
}
