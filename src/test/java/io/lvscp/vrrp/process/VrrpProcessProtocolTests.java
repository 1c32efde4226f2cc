package io.lvscp.vrrp.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.common.Addresses.Family;
import io.lvscp.common.Addresses;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.VrrpCounter;
import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.node.VrrpNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VrrpProcessProtocolTests {

    static final VrrpInstanceSpec V4 = new VrrpInstanceSpec("VI_1", 51, "eth0", Family.IPV4, 3, 10, 150, true, 0, false, null,
            List.of(), "G1", List.of(new PlanInput.Vip("10.0.0.100", 24, null, "eth0:51")));
    static final VrrpInstanceSpec V6 = new VrrpInstanceSpec("VI_6", 52, "eth1", Family.IPV6, 2, 1, 100, false, 2, true,
            "ff02::12", List.of("fe80::1", "fe80::2"), null, List.of(new PlanInput.Vip("2001:db8::10", 64, "eth1", null)));

    static final VrrpNode.InstanceSnapshot SNAP = new VrrpNode.InstanceSnapshot("VI_1", 51, "eth0", Family.IPV4, 3,
            VrrpState.MASTER, 150, Addresses.parse("10.0.0.1"), Instant.parse("2026-12-07T10:00:00.123456789Z"), "no advert",
            3, Duration.ofNanos(361_000_001), Map.of(VrrpCounter.ADVERT_RCVD, 12L, VrrpCounter.PRI_ZERO_SENT, 1L));

    @Test
    void requestsRoundTrip() {
        List<VrrpProcessProtocol.Request> requests = List.of(
                new VrrpProcessProtocol.Configure(1, List.of(V4, V6), Map.of("VI_6", "secret \"x\"\n"),
                        Map.of("VI_1", RestartVips.OtherMasters.of(List.of("lvs2")), "VI_6", RestartVips.OtherMasters.unknown())),
                new VrrpProcessProtocol.Configure(2, List.of(), Map.of(), Map.of()),
                new VrrpProcessProtocol.SetEffective(3, "VI_1", 120),
                new VrrpProcessProtocol.SetEffective(4, "VI_1", null),
                new VrrpProcessProtocol.GetEffective(5),
                new VrrpProcessProtocol.Release(6, "VI_1"),
                new VrrpProcessProtocol.StandDown(8, "VI_1", "stepped down: split brain"),
                new VrrpProcessProtocol.EndStandDown(9, "VI_1"),
                new VrrpProcessProtocol.Stop(7));
        for (VrrpProcessProtocol.Request r : requests) {
            String line = VrrpProcessProtocol.encode(r);
            assertThat(line).doesNotContain("\n");
            assertThat(VrrpProcessProtocol.decodeRequest(line)).isEqualTo(r);
        }
    }

    @Test
    void messagesRoundTrip() {
        VrrpNode.Transition t = new VrrpNode.Transition("lvs1", "VI_1", 51, "eth0", VrrpState.BACKUP, VrrpState.MASTER,
                Instant.parse("2026-12-07T10:00:01Z"), "no advert for Master_Down_Interval 0.36 s", 150,
                Addresses.parse("10.0.0.1"), Duration.ofMillis(361));
        VrrpNode.Transition noMaster = new VrrpNode.Transition("lvs1", "VI_6", 52, "eth1", VrrpState.INITIALIZE, VrrpState.BACKUP,
                Instant.parse("2026-12-07T10:00:01Z"), "started", 100, null, null);
        VrrpProcessProtocol.Snapshot snapshot = new VrrpProcessProtocol.Snapshot(List.of(SNAP,
                new VrrpNode.InstanceSnapshot("VI_6", 52, "eth1", Family.IPV6, 2, VrrpState.INITIALIZE, 100, null, null, null, 0,
                        null, Map.of())), Map.of("eth0", Map.of(VrrpCounter.VRID_ERR, 4L)));
        VrrpNode.Result result = new VrrpNode.Result(List.of("VI_1"), List.of("VI_OLD"), List.of(), List.of("VI_6"),
                Map.of("VI_X", "no such interface"));
        List<VrrpProcessProtocol.Message> messages = List.of(
                new VrrpProcessProtocol.Ready(1234),
                new VrrpProcessProtocol.ConfigureReply(1, result, snapshot, null),
                new VrrpProcessProtocol.ConfigureReply(2, null, null, "the VRRP loop did not answer"),
                new VrrpProcessProtocol.BooleanReply(3, true, null),
                new VrrpProcessProtocol.BooleanReply(4, false, "closed"),
                new VrrpProcessProtocol.PrioritiesReply(5, Map.of("VI_1", 120), null),
                new VrrpProcessProtocol.TransitionMessage(t),
                new VrrpProcessProtocol.TransitionMessage(noMaster),
                snapshot,
                new VrrpProcessProtocol.Stopped(SNAP),
                new VrrpProcessProtocol.Realtime(io.lvscp.vrrp.node.RealtimeScheduling.outcome(10, -1, 1, "EPERM", -1, -1)),
                new VrrpProcessProtocol.Realtime(io.lvscp.vrrp.node.RealtimeScheduling.outcome(10, 0, 0, "", 2, 10)),
                new VrrpProcessProtocol.Realtime(io.lvscp.vrrp.node.RealtimeScheduling.off()));
        for (VrrpProcessProtocol.Message m : messages) {
            String line = VrrpProcessProtocol.encode(m);
            assertThat(line).doesNotContain("\n");
            assertThat(VrrpProcessProtocol.decodeMessage(line)).isEqualTo(m);
        }
    }

    @Test
    void whatIsNotALineOfTheProtocolIsRefused() {
        assertThatThrownBy(() -> VrrpProcessProtocol.decodeRequest("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpProcessProtocol.decodeRequest("[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpProcessProtocol.decodeRequest("{\"id\":1,\"op\":\"reboot\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reboot");
        assertThatThrownBy(() -> VrrpProcessProtocol.decodeRequest("{\"op\":\"stop\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VrrpProcessProtocol.decodeMessage("{\"type\":\"gossip\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCounterTheParentDoesNotKnowIsLeftOut() {
        String line = VrrpProcessProtocol.encode(new VrrpProcessProtocol.Stopped(SNAP)).replace("\"ADVERT_RCVD\"", "\"NEW_COUNTER\"");
        VrrpProcessProtocol.Stopped s = (VrrpProcessProtocol.Stopped) VrrpProcessProtocol.decodeMessage(line);
        assertThat(s.last().counters()).containsOnlyKeys(VrrpCounter.PRI_ZERO_SENT);
    }
}
