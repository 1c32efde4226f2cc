package io.lvscp.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.common.RealServerState;
import io.lvscp.common.Scheduler;
import io.lvscp.ipvs.DesiredDestination;
import io.lvscp.ipvs.DesiredService;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.VirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiler as a table: rows in, the director's table out, written as ipvsadm -Ln
 * would print it (plus one line per VRRP instance).
 */
class PlanCompilerTests {

    static final long LVS1 = 1;
    static final long LVS2 = 2;
    static final java.time.Instant CHANGED = java.time.Instant.parse("2026-11-26T00:00:00Z");

    static PlanInput.Instance vi1() {
        return new PlanInput.Instance(10, "vi_1", 110, "eth0", Family.IPV4, 2, 1, true, 0, true, "224.0.42.20", List.of(), null,
                Map.of(LVS1, 100, LVS2, 99), List.of(new PlanInput.Vip("172.18.42.42", 32, "eth0", "eth0:1")));
    }

    static PlanInput.Instance vi2OnlyOnLvs2() {
        return new PlanInput.Instance(20, "vi_2", 111, "eth0", Family.IPV4, 3, 100, false, 0, false, "224.0.0.18", List.of(), null,
                Map.of(LVS2, 150), List.of(new PlanInput.Vip("172.18.42.43", 32, "eth0", null)));
    }

    static PlanInput.VirtualServer http(long id, long instance) {
        return new PlanInput.VirtualServer(id, instance, Family.IPV4, instance == 10 ? "172.18.42.42" : "172.18.42.43", 80, Protocol.TCP,
                null, Scheduler.RR, Forwarding.DR, null, null, 1, null, null);
    }

    static PlanInput.RealServer rs(long id, String address, int weight, RealServerState state) {
        return new PlanInput.RealServer(id, 100, address, 80, weight, state, false, null, null, CHANGED);
    }

    static List<String> render(DesiredState d) {
        List<String> out = new ArrayList<>();
        for (DesiredService ds : d.services()) {
            VirtualService s = ds.service();
            int defaultMask = s.family() == VirtualService.AF_INET6 ? 128 : 32;
            out.add(s.id() + " " + s.scheduler() + (s.timeout() > 0 ? " persistent " + s.timeout()
                    + (s.netmask() == defaultMask ? "" : " mask /" + s.netmask()) : ""));
            for (DesiredDestination dd : ds.destinations()) {
                Destination dst = dd.destination();
                out.add("  -> " + Addresses.hostPort(Addresses.format(dst.address()), dst.port()) + " " + dst.forward().apiName() + " "
                        + dst.weight() + (dst.upperThreshold() > 0 ? " u" + dst.upperThreshold() : "")
                        + (dst.lowerThreshold() > 0 ? " l" + dst.lowerThreshold() : "")
                        + (dd.status() == DesiredDestination.Status.DRAINING ? " draining since " + dd.drainingSince()
                                + (dd.drainTimeout() == null ? "" : " timeout " + dd.drainTimeout()) + " rs " + dd.realServerId() : ""));
            }
        }
        for (VrrpInstanceSpec i : d.vrrpInstances()) {
            out.add("vrrp " + i.name() + " vrid " + i.vrid() + " prio " + i.priority() + " v" + i.vrrpVersion() + " vips "
                    + i.vips().stream().map(PlanInput.Vip::address).toList());
        }
        return out;
    }

    static PlanInput input(long director, List<PlanInput.Instance> instances, List<PlanInput.VirtualServer> vss,
            List<PlanInput.RealServer> rss, Set<Long> down) {
        return new PlanInput(director == LVS1 ? "lvs1" : "lvs2", director, "wtc", 7, instances, vss, rss, down);
    }

    static Stream<Arguments> table() {
        PlanInput.VirtualServer vs = http(100, 10);
        return Stream.of(
                Arguments.of("the article's cluster on the master", input(LVS1, List.of(vi1()), List.of(vs),
                        List.of(rs(1, "172.18.42.222", 1, RealServerState.ENABLED), rs(2, "172.18.42.111", 1, RealServerState.ENABLED)),
                        Set.of()), List.of(
                        "TCP 172.18.42.42:80 rr",
                        "  -> 172.18.42.111:80 DR 1",
                        "  -> 172.18.42.222:80 DR 1",
                        "vrrp vi_1 vrid 110 prio 100 v2 vips [172.18.42.42]")),
                Arguments.of("the backup holds the same table with its own priority", input(LVS2, List.of(vi1()), List.of(vs),
                        List.of(rs(1, "172.18.42.111", 1, RealServerState.ENABLED)), Set.of()), List.of(
                        "TCP 172.18.42.42:80 rr",
                        "  -> 172.18.42.111:80 DR 1",
                        "vrrp vi_1 vrid 110 prio 99 v2 vips [172.18.42.42]")),
                Arguments.of("a director runs only the instances it has a priority in", input(LVS1, List.of(vi1(), vi2OnlyOnLvs2()),
                        List.of(vs, http(200, 20)), List.of(), Set.of()), List.of(
                        "TCP 172.18.42.42:80 rr",
                        "vrrp vi_1 vrid 110 prio 100 v2 vips [172.18.42.42]")),
                Arguments.of("draining means weight 0, disabled means absent", input(LVS1, List.of(vi1()), List.of(vs),
                        List.of(rs(1, "172.18.42.111", 5, RealServerState.DRAINING), rs(2, "172.18.42.222", 5, RealServerState.DISABLED),
                                rs(3, "172.18.42.233", 3, RealServerState.ENABLED)), Set.of()), List.of(
                        "TCP 172.18.42.42:80 rr",
                        "  -> 172.18.42.111:80 DR 0 draining since " + CHANGED + " rs 1",
                        "  -> 172.18.42.233:80 DR 3",
                        "vrrp vi_1 vrid 110 prio 100 v2 vips [172.18.42.42]")),
                Arguments.of("a real server's own drain timeout goes with it", input(LVS1, List.of(vi1()), List.of(vs),
                        List.of(new PlanInput.RealServer(4, 100, "172.18.42.111", 80, 5, RealServerState.DRAINING, false, null, null, CHANGED, 90)),
                        Set.of()), List.of(
                        "TCP 172.18.42.42:80 rr",
                        "  -> 172.18.42.111:80 DR 0 draining since " + CHANGED + " timeout PT1M30S rs 4",
                        "vrrp vi_1 vrid 110 prio 100 v2 vips [172.18.42.42]")),
                Arguments.of("down real servers leave, or stay at weight 0 with inhibit_on_failure", input(LVS1, List.of(vi1()),
                        List.of(vs), List.of(rs(1, "172.18.42.111", 5, RealServerState.ENABLED),
                                new PlanInput.RealServer(2, 100, "172.18.42.222", 80, 5, RealServerState.ENABLED, true, 100, 10),
                                rs(3, "172.18.42.233", 2, RealServerState.ENABLED)), Set.of(1L, 2L)), List.of(
                        "TCP 172.18.42.42:80 rr",
                        "  -> 172.18.42.222:80 DR 0 u100 l10",
                        "  -> 172.18.42.233:80 DR 2",
                        "vrrp vi_1 vrid 110 prio 100 v2 vips [172.18.42.42]")),
                Arguments.of("the sorry server steps in below quorum", input(LVS1, List.of(vi1()), List.of(
                        new PlanInput.VirtualServer(100, 10, Family.IPV4, "172.18.42.42", 80, Protocol.TCP, null, Scheduler.WLC,
                                Forwarding.NAT, 300, 24, 2, "172.18.42.250", 8080)),
                        List.of(rs(1, "172.18.42.111", 1, RealServerState.ENABLED)), Set.of()), List.of(
                        "TCP 172.18.42.42:80 wlc persistent 300 mask /24",
                        "  -> 172.18.42.111:80 NAT 1",
                        "  -> 172.18.42.250:8080 NAT 1",
                        "vrrp vi_1 vrid 110 prio 100 v2 vips [172.18.42.42]")),
                Arguments.of("firewall-mark and IPv6 services sort after IPv4 by key", input(LVS1, List.of(vi1()), List.of(
                        new PlanInput.VirtualServer(300, 10, Family.IPV6, "2001:db8::42", 443, Protocol.TCP, null, Scheduler.MH,
                                Forwarding.TUN, null, null, 1, null, null),
                        new PlanInput.VirtualServer(301, 10, Family.IPV4, null, null, Protocol.TCP, 7L, Scheduler.SH, Forwarding.DR, null,
                                null, 1, null, null),
                        new PlanInput.VirtualServer(302, 10, Family.IPV4, "172.18.42.42", 53, Protocol.UDP, null, Scheduler.RR,
                                Forwarding.DR, null, null, 1, null, null)), List.of(), Set.of()), List.of(
                        "UDP 172.18.42.42:53 rr",
                        "FWM 7 sh",
                        "TCP [2001:db8::42]:443 mh",
                        "vrrp vi_1 vrid 110 prio 100 v2 vips [172.18.42.42]")),
                Arguments.of("a director in no instance holds nothing", input(LVS1, List.of(vi2OnlyOnLvs2()), List.of(http(200, 20)),
                        List.of(), Set.of()), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void compiles(String name, PlanInput input, List<String> expected) {
        DesiredState d = PlanCompiler.compile(input);
        assertThat(render(d)).containsExactlyElementsOf(expected);
        assertThat(d.generation()).isEqualTo(7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void isDeterministic(String name, PlanInput input, List<String> expected) {
        List<PlanInput.RealServer> reversed = new ArrayList<>(input.realServers());
        java.util.Collections.reverse(reversed);
        List<PlanInput.VirtualServer> vss = new ArrayList<>(input.virtualServers());
        java.util.Collections.reverse(vss);
        PlanInput shuffled = new PlanInput(input.node(), input.directorId(), input.cluster(), input.generation(), input.instances(), vss,
                reversed, input.downRealServers());
        assertThat(PlanCompiler.compile(shuffled)).isEqualTo(PlanCompiler.compile(input));
    }

    /** keepalived's quorum with hysteresis: (state before, live weight) -> state after, quorum 4, hysteresis 1. */
    @ParameterizedTest(name = "was {0}, live weight {1} -> up {2}")
    @org.junit.jupiter.params.provider.CsvSource({
            // a start (no state): up from quorum + hysteresis
            "'',    5, true", "'',    4, false", "'',    3, false",
            // up: stays up down to quorum - hysteresis, goes down below it
            "true,  5, true", "true,  4, true", "true,  3, true", "true,  2, false", "true, 0, false",
            // down: stays down up to quorum + hysteresis - 1, comes up at quorum + hysteresis
            "false, 3, false", "false, 4, false", "false, 5, true"})
    void quorumWithHysteresis(String was, long liveWeight, boolean up) {
        Boolean before = was.isEmpty() ? null : Boolean.valueOf(was);
        assertThat(Quorum.up(before, liveWeight, 4, 1)).isEqualTo(up);
    }

    @Test
    void withoutHysteresisTheQuorumIsTheLiveWeightAgainstTheQuorumAlone() {
        assertThat(Quorum.up(null, 2, 2, 0)).isTrue();
        assertThat(Quorum.up(true, 1, 2, 0)).isFalse();
        assertThat(Quorum.up(false, 2, 2, 0)).isTrue();
    }

    /**
     * Three real servers of weight 1, quorum 2, hysteresis 1, a sorry server: two of them down keep the quorum up
     * (live weight 1 is not below 2 - 1); all three down take it down and the sorry server in; one or two back (1, 2)
     * are not yet enough (below 2 + 1): the sorry server stays until all three are back. The state goes from one
     * compile to the next as the caller keeps it.
     */
    @Test
    void theSorryServerFollowsTheQuorumWithHysteresisAcrossCompiles() {
        PlanInput.VirtualServer vs = new PlanInput.VirtualServer(100, 10, Family.IPV4, "172.18.42.42", 80, Protocol.TCP, null,
                Scheduler.RR, Forwarding.DR, null, null, 2, "172.18.42.250", 80, 1);
        List<PlanInput.RealServer> rss = List.of(rs(1, "172.18.42.111", 1, RealServerState.ENABLED),
                rs(2, "172.18.42.112", 1, RealServerState.ENABLED), rs(3, "172.18.42.113", 1, RealServerState.ENABLED));
        java.util.Map<Long, Boolean> state = java.util.Map.of();
        List<Boolean> sorry = new ArrayList<>();
        for (Set<Long> down : List.<Set<Long>>of(Set.of(), Set.of(1L), Set.of(1L, 2L), Set.of(1L, 2L, 3L), Set.of(1L, 2L), Set.of(1L),
                Set.of())) {
            PlanCompiler.Compiled c = PlanCompiler.compileWithQuorum(input(LVS1, List.of(vi1()), List.of(vs), rss, down).with(down, state));
            state = c.quorumUp();
            sorry.add(c.desired().services().get(0).destinations().stream().anyMatch(d -> Addresses.format(d.destination().address()).equals("172.18.42.250")));
        }
        assertThat(sorry).containsExactly(false, false, false, true, true, true, false);
        assertThat(state).containsEntry(100L, true);
    }

    /** Connection sync comes from the director's own instance; a director without that instance has none; two: the first by name. */
    @Test
    void connectionSyncFollowsTheDirectorsInstance() {
        SyncDaemonSpec sync1 = new SyncDaemonSpec("vi_1", "eth1", 110, 0, null, 0, 0);
        SyncDaemonSpec sync2 = new SyncDaemonSpec("vi_2", "eth2", 111, 0, null, 0, 0);
        PlanInput lvs1 = new PlanInput("lvs1", LVS1, "c", 1, List.of(vi1(), vi2OnlyOnLvs2()), List.of(), List.of(), Set.of(), Map.of(),
                Map.of(20L, sync2));
        assertThat(PlanCompiler.compile(lvs1).connectionSync()).as("vi_2 does not run on lvs1").isNull();
        PlanInput lvs2 = new PlanInput("lvs2", LVS2, "c", 1, List.of(vi2OnlyOnLvs2(), vi1()), List.of(), List.of(), Set.of(), Map.of(),
                Map.of(20L, sync2, 10L, sync1));
        assertThat(PlanCompiler.compile(lvs2).connectionSync()).isEqualTo(sync1);
        assertThat(PlanCompiler.compile(lvs2.with(Set.of(), Map.of())).connectionSync()).as("kept by with()").isEqualTo(sync1);
        PlanInput none = new PlanInput("lvs2", LVS2, "c", 1, List.of(vi1()), List.of(), List.of(), Set.of());
        assertThat(PlanCompiler.compile(none).connectionSync()).isNull();
    }
}
