package io.lvscp.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses.Family;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The diff as a table: current, desired -> the exact steps, including "nothing to do". */
class PlanDiffTests {

    static final ServiceKey WEB = ServiceKey.of(Protocol.TCP, "172.18.42.42", 80);
    static final ServiceKey DNS = ServiceKey.of(Protocol.UDP, "172.18.42.42", 53);

    static IpvsDestination d(String address, int weight) {
        return new IpvsDestination(address, 80, Forwarding.DR, weight, 0, 0);
    }

    static IpvsService svc(ServiceKey k, String sched, IpvsDestination... dests) {
        return new IpvsService(k, sched, 0, null, List.of(dests));
    }

    static VrrpInstanceSpec vi(int priority) {
        return new VrrpInstanceSpec("vi_1", 110, "eth0", Family.IPV4, 2, 1, priority, true, 0, true, "224.0.42.20", List.of(), null,
                List.of(new PlanInput.Vip("172.18.42.42", 32, "eth0", "eth0:1")));
    }

    static DataPlaneTable table(List<VrrpInstanceSpec> vrrp, IpvsService... services) {
        return new DataPlaneTable(List.of(services), vrrp);
    }

    static Stream<Arguments> table() {
        IpvsService article = svc(WEB, "rr", d("172.18.42.111", 1), d("172.18.42.222", 1));
        return Stream.of(
                Arguments.of("equal tables: nothing to do", table(List.of(vi(100)), article), table(List.of(vi(100)), article), List.of()),
                Arguments.of("from empty: service, then destinations, then VRRP", DataPlaneTable.EMPTY, table(List.of(vi(100)), article),
                        List.of("ipvsadm -A -t 172.18.42.42:80 -s rr",
                                "ipvsadm -a -t 172.18.42.42:80 -r 172.18.42.111:80 -g -w 1",
                                "ipvsadm -a -t 172.18.42.42:80 -r 172.18.42.222:80 -g -w 1",
                                "start VRRP instance vi_1 (VRID 110 on eth0, priority 100)")),
                Arguments.of("a weight change is one edit", table(List.of(), article),
                        table(List.of(), svc(WEB, "rr", d("172.18.42.111", 0), d("172.18.42.222", 1))),
                        List.of("ipvsadm -e -t 172.18.42.42:80 -r 172.18.42.111:80 -g -w 0")),
                Arguments.of("replace a real server: add before delete", table(List.of(), article),
                        table(List.of(), svc(WEB, "rr", d("172.18.42.111", 1), d("172.18.42.233", 1))),
                        List.of("ipvsadm -a -t 172.18.42.42:80 -r 172.18.42.233:80 -g -w 1",
                                "ipvsadm -d -t 172.18.42.42:80 -r 172.18.42.222:80")),
                Arguments.of("scheduler change edits the service and keeps its destinations", table(List.of(), article),
                        table(List.of(), svc(WEB, "wlc", d("172.18.42.111", 1), d("172.18.42.222", 1))),
                        List.of("ipvsadm -E -t 172.18.42.42:80 -s wlc")),
                Arguments.of("persistence is part of the service", table(List.of(), article),
                        table(List.of(), new IpvsService(WEB, "rr", 300, 24, article.destinations())),
                        List.of("ipvsadm -E -t 172.18.42.42:80 -s rr -p 300 -M 255.255.255.0")),
                Arguments.of("forwarding method change is an edit", table(List.of(), article),
                        table(List.of(), svc(WEB, "rr", new IpvsDestination("172.18.42.111", 80, Forwarding.TUN, 1, 0, 0),
                                d("172.18.42.222", 1))),
                        List.of("ipvsadm -e -t 172.18.42.42:80 -r 172.18.42.111:80 -i -w 1")),
                Arguments.of("a service no longer wanted goes last", table(List.of(), svc(DNS, "rr"), article),
                        table(List.of(), article), List.of("ipvsadm -D -u 172.18.42.42:53")),
                Arguments.of("priority change reconfigures VRRP; removal stops it", table(List.of(vi(100))), table(List.of(vi(150))),
                        List.of("reconfigure VRRP instance vi_1 (VRID 110 on eth0, priority 150)")),
                Arguments.of("an instance no longer wanted is stopped", table(List.of(vi(100))), DataPlaneTable.EMPTY,
                        List.of("stop VRRP instance vi_1 (VRID 110)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void steps(String name, DataPlaneTable current, DataPlaneTable desired, List<String> expected) {
        List<Change> changes = PlanDiff.between(current, desired);
        assertThat(changes).extracting(Change::description).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void applyingTheStepsReachesTheDesiredTable(String name, DataPlaneTable current, DataPlaneTable desired, List<String> expected) {
        DataPlaneTable after = PlanDiff.apply(current, PlanDiff.between(current, desired));
        assertThat(after).isEqualTo(desired);
        assertThat(PlanDiff.between(after, desired)).isEmpty();
    }
}
