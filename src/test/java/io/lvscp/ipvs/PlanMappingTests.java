package io.lvscp.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.ipvs.linux.KernelDataPlane;
import io.lvscp.plan.Change;
import io.lvscp.plan.IpvsDestination;
import io.lvscp.plan.IpvsService;
import io.lvscp.plan.ServiceKey;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Plan values -> kernel values -> plan values is the identity, for every kind of service. */
class PlanMappingTests {

    static Stream<IpvsService> services() {
        List<IpvsDestination> dests = List.of(
                new IpvsDestination("10.0.0.1", 80, Forwarding.DR, 1, 0, 0),
                new IpvsDestination("10.0.0.2", 8080, Forwarding.NAT, 5, 100, 10),
                new IpvsDestination("10.0.0.3", 80, Forwarding.TUN, 0, 0, 0));
        return Stream.of(
                new IpvsService(ServiceKey.of(Protocol.TCP, "172.18.42.42", 80), "rr", 0, null, dests),
                new IpvsService(ServiceKey.of(Protocol.UDP, "172.18.42.42", 53), "sh", 300, 24, List.of()),
                new IpvsService(ServiceKey.of(Protocol.SCTP, "2001:db8::42", 9), "wlc", 60, null, List.of()),
                new IpvsService(ServiceKey.of(Protocol.TCP, "2001:db8::42", 443), "mh", 60, 64,
                        List.of(new IpvsDestination("2001:db8::11", 443, Forwarding.DR, 3, 0, 0))),
                new IpvsService(ServiceKey.fwmark(Addresses.Family.IPV4, 7), "rr", 0, null, List.of()),
                new IpvsService(ServiceKey.fwmark(Addresses.Family.IPV6, 8), "lc", 0, null, List.of()));
    }

    @ParameterizedTest
    @MethodSource("services")
    void roundTrip(IpvsService s) {
        VirtualService k = PlanMapping.toKernel(s);
        assertThat(k.id()).isEqualTo(s.key().toString().startsWith("FWM") ? k.id() : s.key().toString());
        TableEntry row = new TableEntry(k, s.destinations().stream().map(PlanMapping::toKernel).toList());
        assertThat(PlanMapping.fromKernel(row)).isEqualTo(s);
    }

    @ParameterizedTest
    @MethodSource("services")
    void planStepsBecomeKernelOps(IpvsService s) {
        List<Change> changes = List.of(
                new Change(Change.Op.ADD_SERVICE, s.key(), s, null, null, "add"),
                new Change(Change.Op.DELETE_SERVICE, s.key(), s, null, null, "del"));
        assertThat(KernelDataPlane.toOps(changes)).extracting(IpvsOp::kind)
                .containsExactly(IpvsOp.Kind.NEW_SERVICE, IpvsOp.Kind.DEL_SERVICE);
    }
}
