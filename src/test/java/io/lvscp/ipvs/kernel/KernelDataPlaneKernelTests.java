package io.lvscp.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.ipvs.linux.IpvsClient;
import io.lvscp.ipvs.linux.KernelDataPlane;
import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.IpvsDestination;
import io.lvscp.plan.IpvsService;
import io.lvscp.plan.PlanDiff;
import io.lvscp.plan.ServiceKey;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The plan's own diff applied through KernelDataPlane: converges, then nothing to do; one refused step leaves the rest applied. */
@EnabledIfSystemProperty(named = "lvscp.lab.kernel", matches = "true")
class KernelDataPlaneKernelTests {

    @Test
    void planDiffAppliedToTheKernelConverges() throws Exception {
        try (IpvsClient client = IpvsClient.open()) {
            client.flush();
            KernelDataPlane dp = new KernelDataPlane(client);
            IpvsService web = new IpvsService(ServiceKey.of(Protocol.TCP, "172.18.42.42", 80), "wrr", 0, null, List.of(
                    new IpvsDestination("10.0.0.1", 80, Forwarding.DR, 1, 0, 0),
                    new IpvsDestination("10.0.0.2", 80, Forwarding.DR, 2, 0, 0)));
            IpvsService bad = new IpvsService(ServiceKey.of(Protocol.TCP, "172.18.42.43", 80), "nosuchsched", 0, null, List.of());
            IpvsService dns = new IpvsService(ServiceKey.of(Protocol.UDP, "2001:db8::53", 53), "sh", 300, 64, List.of());
            DataPlaneTable desired = new DataPlaneTable(List.of(web, bad, dns), List.of());

            List<Change> steps = PlanDiff.between(dp.read(), desired);
            assertThatThrownBy(() -> dp.apply(steps, 1)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("NEW_SERVICE TCP 172.18.42.43:80: ENOENT");
            DataPlaneTable good = new DataPlaneTable(List.of(web, dns), List.of());
            assertThat(PlanDiff.between(dp.read(), good)).isEmpty();
            assertThat(dp.read().services()).containsExactlyInAnyOrder(web, dns);
            client.flush();
        }
    }
}
