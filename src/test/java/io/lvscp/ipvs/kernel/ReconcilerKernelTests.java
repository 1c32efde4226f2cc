package io.lvscp.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.ipvs.DesiredDestination;
import io.lvscp.ipvs.DesiredService;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.IpvsOp;
import io.lvscp.ipvs.Reconciler;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.ipvs.linux.IpvsClient;
import io.lvscp.ipvs.linux.KernelIpvsTable;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The reconciler against the real kernel: converge, resync with zero writes, adopt after a restart, repair drift, spare foreign services. */
@EnabledIfSystemProperty(named = "lvscp.lab.kernel", matches = "true")
class ReconcilerKernelTests {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void convergeResyncAdoptRepairDrift(TestReporter report) throws Exception {
        Reconciler reconciler = new Reconciler(Duration.ofSeconds(300));
        Instant now = Instant.now();
        List<DesiredService> desired = new ArrayList<>();
        for (int s = 0; s < 100; s++) {
            VirtualService svc = VirtualService.of(VirtualService.TCP, ip("172.20.0." + (s + 1)), 80, "wrr");
            List<DesiredDestination> ds = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                ds.add(DesiredDestination.up(Destination.of(ip("10.30." + s + "." + (d + 1)), 80, Forward.DIRECT_ROUTE, 1)));
            }
            desired.add(new DesiredService(svc, ds));
        }
        Set<String> owned = Set.of();
        try (IpvsClient client = IpvsClient.open()) {
            client.flush();
            Ipvsadm.run("-A", "-t", "172.21.0.1:22", "-s", "rr"); // an operator's own service
            KernelIpvsTable table = new KernelIpvsTable(client);

            List<IpvsOp> first = reconciler.reconcile(desired, table.read(), owned, now);
            assertThat(first).hasSize(100 + 1000);
            assertThat(table.apply(first).ok()).isTrue();

            long t0 = System.nanoTime();
            List<IpvsOp> resync = reconciler.reconcile(desired, table.read(), owned, now);
            long t1 = System.nanoTime();
            assertThat(resync).as("a resync with no change").isEmpty();
            report.publishEntry("resync1000DestsNoChangeMs", String.format("%.1f", (t1 - t0) / 1e6));

            // a restart: a fresh client and table adopt what is there, with nothing to write
            try (IpvsClient again = IpvsClient.open()) {
                assertThat(reconciler.reconcile(desired, new KernelIpvsTable(again).read(), owned, now)).isEmpty();
            }

            // drift by hand on managed services, and the operator's service untouched
            Ipvsadm.run("-e", "-t", "172.20.0.1:80", "-r", "10.30.0.1:80", "-g", "-w", "7");
            Ipvsadm.run("-d", "-t", "172.20.0.2:80", "-r", "10.30.1.1:80");
            Ipvsadm.run("-E", "-t", "172.20.0.3:80", "-s", "rr");
            List<IpvsOp> repair = reconciler.reconcile(desired, table.read(), owned, now);
            assertThat(repair).extracting(IpvsOp::toString).containsExactly(
                    "SET_DEST TCP 172.20.0.1:80 -> 10.30.0.1:80 DIRECT_ROUTE w1",
                    "NEW_DEST TCP 172.20.0.2:80 -> 10.30.1.1:80 DIRECT_ROUTE w1",
                    "SET_SERVICE TCP 172.20.0.3:80 wrr");
            assertThat(table.apply(repair).ok()).isTrue();
            assertThat(reconciler.reconcile(desired, table.read(), owned, now)).isEmpty();
            assertThat(Ipvsadm.list()).containsKey("TCP 172.21.0.1:22").hasSize(101);
            assertThat(Ipvsadm.list().get("TCP 172.20.0.1:80").dests()).allSatisfy(d -> assertThat(d.columns().get(1)).isEqualTo("1"));
            client.flush();
        }
    }
}
