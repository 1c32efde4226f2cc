package io.lvscp.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Desired, actual (as the kernel dump returns it), owned -> the exact list of writes. */
class ReconcilerTests {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final Reconciler RECONCILER = new Reconciler(Duration.ofSeconds(300));

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static final VirtualService WEB = VirtualService.of(VirtualService.TCP, ip("172.18.42.42"), 80, "rr");
    static final VirtualService DNS = VirtualService.of(VirtualService.UDP, ip("172.18.42.42"), 53, "rr");
    static final VirtualService SSH = VirtualService.of(VirtualService.TCP, ip("172.18.42.1"), 22, "rr");

    static Destination d(String ip, int weight) {
        return Destination.of(ip(ip), 80, Forward.DIRECT_ROUTE, weight);
    }

    /** As the kernel reports it: HASHED flag, counters and connection counts. */
    static VirtualService kernel(VirtualService s) {
        return new VirtualService(s.family(), s.protocol(), s.address(), s.port(), s.fwmark(), s.scheduler(),
                s.flags() | ServiceFlags.HASHED, s.timeout(), s.netmask(), s.peName(), Stats.ZERO);
    }

    static Destination kernel(Destination d, int active) {
        return new Destination(d.family(), d.address(), d.port(), d.forward(), d.weight(), d.upperThreshold(), d.lowerThreshold(),
                d.forward() == Forward.TUNNEL ? TunnelType.IPIP : null, 0, 0, active, 0, 0, Stats.ZERO);
    }

    static Destination kernel(Destination d, int active, int inactive, int persistent) {
        return new Destination(d.family(), d.address(), d.port(), d.forward(), d.weight(), d.upperThreshold(), d.lowerThreshold(),
                d.forward() == Forward.TUNNEL ? TunnelType.IPIP : null, 0, 0, active, inactive, persistent, Stats.ZERO);
    }

    static TableEntry have(VirtualService s, Destination... ds) {
        return new TableEntry(kernel(s), Stream.of(ds).map(x -> kernel(x, 0)).toList());
    }

    static DesiredService want(VirtualService s, DesiredDestination... ds) {
        return new DesiredService(s, List.of(ds));
    }

    static DesiredDestination up(String ip) {
        return DesiredDestination.up(d(ip, 1));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing desired, nothing there", List.of(), List.of(), Set.of(), List.of()),
                Arguments.of("no change -> no command", List.of(want(WEB, up("10.0.0.1"), up("10.0.0.2"))),
                        List.of(have(WEB, d("10.0.0.1", 1), d("10.0.0.2", 1))), Set.of("TCP 172.18.42.42:80"), List.of()),
                Arguments.of("from empty", List.of(want(WEB, up("10.0.0.1"), up("10.0.0.2"))), List.of(), Set.of(), List.of(
                        "NEW_SERVICE TCP 172.18.42.42:80 rr",
                        "NEW_DEST TCP 172.18.42.42:80 -> 10.0.0.1:80 DIRECT_ROUTE w1",
                        "NEW_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80 DIRECT_ROUTE w1")),
                Arguments.of("adoption after a restart: what is there stays, connections and all",
                        List.of(want(WEB, up("10.0.0.1"), up("10.0.0.2"))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.1", 1), 40), kernel(d("10.0.0.2", 1), 38)))),
                        Set.of(), List.of()),
                Arguments.of("adoption repairs only what differs", List.of(want(WEB, up("10.0.0.1"), up("10.0.0.2"))),
                        List.of(have(WEB, d("10.0.0.1", 1))), Set.of(),
                        List.of("NEW_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80 DIRECT_ROUTE w1")),
                Arguments.of("drift by hand on a managed service is repaired", List.of(want(WEB, up("10.0.0.1"), up("10.0.0.2"))),
                        List.of(have(WEB.withScheduler("wlc"), d("10.0.0.1", 5), d("10.0.0.2", 1), d("10.0.0.9", 1))),
                        Set.of("TCP 172.18.42.42:80"), List.of(
                                "SET_SERVICE TCP 172.18.42.42:80 rr",
                                "SET_DEST TCP 172.18.42.42:80 -> 10.0.0.1:80 DIRECT_ROUTE w1",
                                "DEL_DEST TCP 172.18.42.42:80 -> 10.0.0.9:80")),
                Arguments.of("replace a real server: add before delete", List.of(want(WEB, up("10.0.0.1"), up("10.0.0.3"))),
                        List.of(have(WEB, d("10.0.0.1", 1), d("10.0.0.2", 1))), Set.of("TCP 172.18.42.42:80"), List.of(
                                "NEW_DEST TCP 172.18.42.42:80 -> 10.0.0.3:80 DIRECT_ROUTE w1",
                                "DEL_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80")),
                Arguments.of("one service moves to another port: the new one is complete before the old one goes",
                        List.of(want(SSH, up("10.0.0.7")), want(WEB, up("10.0.0.1"))),
                        List.of(have(DNS, d("10.0.0.5", 1)), have(SSH, d("10.0.0.7", 1))),
                        Set.of("UDP 172.18.42.42:53", "TCP 172.18.42.1:22"), List.of(
                                "NEW_SERVICE TCP 172.18.42.42:80 rr",
                                "NEW_DEST TCP 172.18.42.42:80 -> 10.0.0.1:80 DIRECT_ROUTE w1",
                                "DEL_SERVICE UDP 172.18.42.42:53")),
                Arguments.of("a service someone else owns is never touched", List.of(want(WEB, up("10.0.0.1"))),
                        List.of(have(WEB, d("10.0.0.1", 1)), have(SSH, d("10.0.0.7", 1))), Set.of("TCP 172.18.42.42:80"), List.of()),
                Arguments.of("an owned service no longer desired is deleted, last", List.of(want(WEB, up("10.0.0.1"))),
                        List.of(have(DNS, d("10.0.0.5", 1)), have(SSH)), Set.of("TCP 172.18.42.42:80", "UDP 172.18.42.42:53"), List.of(
                                "NEW_SERVICE TCP 172.18.42.42:80 rr",
                                "NEW_DEST TCP 172.18.42.42:80 -> 10.0.0.1:80 DIRECT_ROUTE w1",
                                "DEL_SERVICE UDP 172.18.42.42:53")),
                Arguments.of("persistence changed", List.of(want(WEB.persistent(300, 24))), List.of(have(WEB)), Set.of(),
                        List.of("SET_SERVICE TCP 172.18.42.42:80 rr persistent 300")),
                Arguments.of("a failed real server is removed", List.of(want(WEB, up("10.0.0.1"), DesiredDestination.down(d("10.0.0.2", 1), false))),
                        List.of(have(WEB, d("10.0.0.1", 1), d("10.0.0.2", 1))), Set.of(),
                        List.of("DEL_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80")),
                Arguments.of("inhibit_on_failure: weight 0 instead", List.of(want(WEB, up("10.0.0.1"), DesiredDestination.down(d("10.0.0.2", 1), true))),
                        List.of(have(WEB, d("10.0.0.1", 1), d("10.0.0.2", 1))), Set.of(),
                        List.of("SET_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80 DIRECT_ROUTE w0")),
                Arguments.of("a failed real server not in the kernel is not added", List.of(want(WEB, DesiredDestination.down(d("10.0.0.2", 1), false))),
                        List.of(have(WEB)), Set.of(), List.of()),
                Arguments.of("drain starts: weight 0 while connections remain",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(10)))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 1), 3)))), Set.of(),
                        List.of("SET_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80 DIRECT_ROUTE w0")),
                Arguments.of("draining at weight 0 with connections: nothing to do",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(10)))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 0), 3)))), Set.of(), List.of()),
                Arguments.of("drained: no active connection left -> deleted",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(10)))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 0), 0)))), Set.of(),
                        List.of("DEL_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80")),
                Arguments.of("draining with inactive connections left (TIME_WAIT, or UDP entries): stays at weight 0",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(10)))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 0), 0, 4, 0)))), Set.of(), List.of()),
                Arguments.of("draining with persistence templates left: stays at weight 0",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(10)))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 0), 0, 0, 2)))), Set.of(), List.of()),
                Arguments.of("drain timeout passed -> deleted despite templates",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(300)))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 0), 0, 1, 2)))), Set.of(),
                        List.of("DEL_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80")),
                Arguments.of("drain timeout passed -> deleted despite connections",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(300)))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 0), 3)))), Set.of(),
                        List.of("DEL_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80")),
                Arguments.of("its own drain timeout (60 s) passed, the default's (300 s) not -> deleted",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(60), Duration.ofSeconds(60), 7L))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 0), 3)))), Set.of(),
                        List.of("DEL_DEST TCP 172.18.42.42:80 -> 10.0.0.2:80")),
                Arguments.of("its own drain timeout (1 h) not passed, the default's would have -> stays",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW.minusSeconds(600), Duration.ofHours(1), 7L))),
                        List.of(new TableEntry(kernel(WEB), List.of(kernel(d("10.0.0.2", 0), 3)))), Set.of(), List.of()),
                Arguments.of("a draining server not in the kernel is not added",
                        List.of(want(WEB, DesiredDestination.draining(d("10.0.0.2", 1), NOW))), List.of(have(WEB)), Set.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reconcile(String name, List<DesiredService> desired, List<TableEntry> actual, Set<String> owned, List<String> expected) {
        assertThat(RECONCILER.reconcile(desired, actual, owned, NOW)).extracting(IpvsOp::toString).containsExactlyElementsOf(expected);
    }

    /**
     * The same writes applied to an in-memory table (the dry-run data plane's) are all accepted and leave nothing
     * to do: the reconciler reaches what it was asked for in one round.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void applyingTheWritesLeavesNothingToDo(String name, List<DesiredService> desired, List<TableEntry> actual, Set<String> owned,
            List<String> expected) {
        InMemoryIpvsTable table = InMemoryIpvsTable.holding(actual);
        RECONCILER.reconcile(desired, table.read(), owned, NOW).forEach(table::apply);
        // draining destinations with connections stay at weight 0 until drained: the in-memory table keeps those counts
        assertThat(RECONCILER.reconcile(desired, table.read(), owned, NOW)).isEmpty();
    }

    /** What {@code /plan}, the dry-run and the kernel data plane show for each write: the ipvsadm command. */
    static Stream<Arguments> commands() {
        VirtualService udp6 = VirtualService.of(VirtualService.UDP, ip("2001:db8::42"), 53, "sh").persistent(300, 64);
        VirtualService mark = VirtualService.fwmark(VirtualService.AF_INET6, 8, "lc");
        Destination tun = Destination.of(ip("10.0.0.3"), 80, Forward.TUNNEL, 2).withThresholds(100, 10);
        Destination nat6 = Destination.of(ip("2001:db8::11"), 8053, Forward.NAT, 3);
        return Stream.of(
                Arguments.of(new IpvsOp(IpvsOp.Kind.NEW_SERVICE, WEB, null), "ipvsadm -A -t 172.18.42.42:80 -s rr"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.SET_SERVICE, WEB.persistent(300, 24), null),
                        "ipvsadm -E -t 172.18.42.42:80 -s rr -p 300 -M 255.255.255.0"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.SET_SERVICE, WEB.persistent(300, 32), null), "ipvsadm -E -t 172.18.42.42:80 -s rr -p 300"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.DEL_SERVICE, DNS, null), "ipvsadm -D -u 172.18.42.42:53"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.NEW_SERVICE, udp6, null), "ipvsadm -A -u [2001:db8::42]:53 -s sh -p 300 -M 64"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.NEW_SERVICE, mark, null), "ipvsadm -A -f 8 -6 -s lc"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.NEW_DEST, WEB, d("10.0.0.1", 1)), "ipvsadm -a -t 172.18.42.42:80 -r 10.0.0.1:80 -g -w 1"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.SET_DEST, WEB, tun), "ipvsadm -e -t 172.18.42.42:80 -r 10.0.0.3:80 -i -w 2 -x 100 -y 10"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.NEW_DEST, udp6, nat6), "ipvsadm -a -u [2001:db8::42]:53 -r [2001:db8::11]:8053 -m -w 3"),
                Arguments.of(new IpvsOp(IpvsOp.Kind.DEL_DEST, WEB, d("10.0.0.2", 1)), "ipvsadm -d -t 172.18.42.42:80 -r 10.0.0.2:80"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("commands")
    void eachWriteShowsAsItsIpvsadmCommand(IpvsOp op, String command) {
        assertThat(op.ipvsadm()).isEqualTo(command);
        assertThat(io.lvscp.plan.Change.of(op).description()).isEqualTo(command);
        assertThat(io.lvscp.plan.Change.of(op).target()).startsWith(op.service().id());
    }
}
