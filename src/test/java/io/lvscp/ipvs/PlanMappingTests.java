package io.lvscp.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.IpvsDestination;
import io.lvscp.plan.IpvsService;
import io.lvscp.plan.ServiceKey;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The plan's desired services as the reconciler's model, and a table's rows as /plan shows them back, for every kind of service. */
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
    void kernelOpsShowAsTheirIpvsadmCommands(IpvsService s) {
        VirtualService k = PlanMapping.toKernel(s);
        String target = s.key().ipvsadmArgs();
        assertThat(new IpvsOp(IpvsOp.Kind.NEW_SERVICE, k, null).ipvsadm()).startsWith("ipvsadm -A " + target + " -s " + s.scheduler());
        assertThat(new IpvsOp(IpvsOp.Kind.SET_SERVICE, k, null).ipvsadm()).startsWith("ipvsadm -E " + target + " -s " + s.scheduler());
        assertThat(new IpvsOp(IpvsOp.Kind.DEL_SERVICE, k, null).ipvsadm()).isEqualTo("ipvsadm -D " + target);
        for (IpvsDestination d : s.destinations()) {
            Destination kd = PlanMapping.toKernel(d);
            String method = switch (d.forwarding()) {
                case DR -> "-g";
                case NAT -> "-m";
                case TUN -> "-i";
            };
            String args = " -r " + d.endpoint() + " " + method + " -w " + d.weight() + (d.upperThreshold() > 0 ? " -x " + d.upperThreshold() : "")
                    + (d.lowerThreshold() > 0 ? " -y " + d.lowerThreshold() : "");
            assertThat(new IpvsOp(IpvsOp.Kind.NEW_DEST, k, kd).ipvsadm()).isEqualTo("ipvsadm -a " + target + args);
            assertThat(new IpvsOp(IpvsOp.Kind.SET_DEST, k, kd).ipvsadm()).isEqualTo("ipvsadm -e " + target + args);
            assertThat(new IpvsOp(IpvsOp.Kind.DEL_DEST, k, kd).ipvsadm()).isEqualTo("ipvsadm -d " + target + " -r " + d.endpoint());
        }
    }

    @Test
    void drainingRealServersBecomeDrainingDestinations() {
        ServiceKey key = ServiceKey.of(Protocol.TCP, "172.18.42.42", 80);
        Instant since = Instant.parse("2026-11-26T00:00:00Z");
        IpvsService web = new IpvsService(key, "wlc", 0, null, List.of(
                new IpvsDestination("172.18.42.221", 80, Forwarding.DR, 5, 0, 0),
                new IpvsDestination("172.18.42.222", 80, Forwarding.DR, 0, 0, 0)));
        DesiredState state = new DesiredState("lvs1", "c", 3, List.of(web), List.of(),
                List.of(new DesiredState.Draining(key, "172.18.42.222", 80, since)));
        List<DesiredService> desired = PlanMapping.desired(state);
        assertThat(desired).hasSize(1);
        assertThat(desired.get(0).service().id()).isEqualTo("TCP 172.18.42.42:80");
        assertThat(desired.get(0).destinations()).extracting(DesiredDestination::status)
                .containsExactly(DesiredDestination.Status.UP, DesiredDestination.Status.DRAINING);
        assertThat(desired.get(0).destinations().get(1).drainingSince()).isEqualTo(since);
        assertThat(desired.get(0).destinations().get(1).destination().weight()).isZero();
    }
}
