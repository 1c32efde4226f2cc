package io.lvscp.vrrp.linux;

import static io.lvscp.vrrp.linux.NamespaceLab.backup;
import static io.lvscp.vrrp.linux.NamespaceLab.mac;
import static io.lvscp.vrrp.linux.NamespaceLab.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two of our VRRP nodes (VrrpNodeMain: the service's engine) and a client on one bridge (issue 4, lab test 1): SIGKILL the master's JVM and
 * the backup owns the VIP within Master_Down_Interval + 200 ms; the client's ARP cache shows the
 * backup's MAC (its gratuitous ARP was seen). VRRPv3, 100 ms adverts, priorities 150 / 100.
 */
@Tag("lab")
class EnginePairLabTests {

    @RegisterExtension
    final NamespaceLab.PerTest labs = NamespaceLab.perTest(false);
    private NamespaceLab lab;
    private String nsA;
    private String nsB;
    private String nsClient;

    @BeforeEach
    void lab() throws Exception {
        lab = labs.lab();
        String nsBridge = lab.namespace("vbr");
        nsA = lab.namespace("va");
        nsB = lab.namespace("vb");
        nsClient = lab.namespace("vc");
        lab.bridge(nsBridge, List.of(nsA, nsB, nsClient), List.of("10.200.8.1/24", "10.200.8.2/24", "10.200.8.9/24"));
    }

    @Test
    void crashOfTheMasterHandsTheVipToTheBackupWithinMasterDownInterval() throws Exception {
        // the client creates neighbour entries from gratuitous ARP (no ping needed)
        sh("ip netns exec " + nsClient + " sysctl -qw net.ipv4.conf.eth0.arp_accept=1");
        Process a = runner(nsA, "a.log", 150);
        lab.waitFor(() -> lab.log("a.log").contains("BACKUP MASTER"), 5000, "A master");
        runner(nsB, "b.log", 100);
        lab.waitFor(() -> backup(lab.log("b.log")), 5000, "B backup");
        String macA = mac(nsA, "eth0");
        lab.waitFor(() -> sh("ip -n " + nsClient + " neigh show 10.200.8.100").contains(macA), 1000,
                "client learns the VIP on A from A's gratuitous ARP");
        Thread.sleep(1000);
        assertThat(lab.log("b.log")).doesNotContain("MASTER").doesNotContain("REJECTED");

        Instant killed = Instant.now();
        NamespaceLab.kill(a);
        lab.waitFor(() -> lab.log("b.log").contains("BACKUP MASTER"), 3000, "B master after A's crash");
        Matcher m = Pattern.compile("BACKUP MASTER (\\S+)").matcher(lab.log("b.log"));
        assertThat(m.find()).isTrue();
        Duration takeover = Duration.between(killed, Instant.parse(m.group(1)));
        // Master_Down_Interval = 3 x 100 ms + (256 - 100) x 100 ms / 256 = 360.9 ms
        System.out.println("takeover after SIGKILL of the master: " + takeover.toMillis() + " ms (floor 261-361 ms)");
        assertThat(takeover).isLessThan(Duration.ofMillis(361 + 200));
        assertThat(sh("ip -n " + nsB + " -4 addr show dev eth0")).contains("10.200.8.100/24");
        String macB = mac(nsB, "eth0");
        lab.waitFor(() -> sh("ip -n " + nsClient + " neigh show 10.200.8.100").contains(macB), 1000,
                "client's ARP cache moved to B");
    }

    @Test
    void gracefulStopOfTheMasterHandsOverWithinSkewTime() throws Exception {
        Process a = runner(nsA, "a.log", 150);
        lab.waitFor(() -> lab.log("a.log").contains("BACKUP MASTER"), 5000, "A master");
        runner(nsB, "b.log", 100);
        lab.waitFor(() -> backup(lab.log("b.log")), 5000, "B backup");
        Thread.sleep(500);

        Instant stopped = Instant.now();
        NamespaceLab.stop(a); // SIGTERM: A sends priority 0
        lab.waitFor(() -> lab.log("b.log").contains("BACKUP MASTER"), 3000, "B master after A's priority 0");
        Matcher m = Pattern.compile("BACKUP MASTER (\\S+)").matcher(lab.log("b.log"));
        assertThat(m.find()).isTrue();
        Duration takeover = Duration.between(stopped, Instant.parse(m.group(1)));
        // Skew_Time = (256 - 100) x 100 ms / 256 = 60.9 ms
        System.out.println("takeover after SIGTERM of the master: " + takeover.toMillis() + " ms (skew 61 ms)");
        assertThat(takeover).isLessThan(Duration.ofMillis(61 + 200));
        assertThat(lab.log("a.log")).contains("PRI_ZERO_SENT=1");
        assertThat(sh("ip -n " + nsA + " -4 addr show dev eth0")).doesNotContain("10.200.8.100");
    }

    private Process runner(String ns, String log, int priority) throws Exception {
        return lab.runner(ns, log, "iface=eth0", "vrid=71", "vips=10.200.8.100", "prefix=24",
                "version=3", "interval-ms=100", "priority=" + priority);
    }
}
