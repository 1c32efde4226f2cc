package io.lvscp.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.ipvs.linux.IpvsClient;
import io.lvscp.realserver.SetupScript;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The real-server setup script on a real LVS-DR segment inside the lab kernel: the init
 * namespace is the director (IPVS, the VIP on the bridge), a real-server namespace and a
 * client namespace hang off the same bridge. ARP is observed independently
 * (lab/arp-who-has.py: who answers "who has VIP" on the wire).
 */
@EnabledIfSystemProperty(named = "lvscp.lab.kernel", matches = "true")
class RealServerSetupKernelTests {

    static final String VIP = "172.18.46.46";
    static final Path ROOT = Path.of("/run/lvscp-setup-root");
    static final Path SCRIPT = Path.of("/run/lvscp-setup.sh");

    @BeforeEach
    void site() throws Exception {
        sh("""
                set -e
                ip link add lvsbr type bridge; ip addr add 10.66.0.1/24 dev lvsbr; ip link set lvsbr up
                ip addr add %1$s/32 dev lvsbr
                for n in sr sc; do
                  ip netns add lvscp-$n
                  ip link add $n type veth peer name ${n}0 netns lvscp-$n
                  ip link set $n master lvsbr; ip link set $n up
                  ip -n lvscp-$n link set ${n}0 up; ip -n lvscp-$n link set lo up
                done
                ip -n lvscp-sr addr add 10.66.0.2/24 dev sr0
                ip -n lvscp-sc addr add 10.66.0.3/24 dev sc0
                ip -n lvscp-sc route add %1$s/32 dev sc0
                mkdir -p /run/lvscp-www-setup && echo hello-from-setup > /run/lvscp-www-setup/index.html
                (cd /run/lvscp-www-setup && exec ip netns exec lvscp-sr /usr/bin/python3 -m http.server 80 --bind 0.0.0.0 >/dev/null 2>&1) &
                echo $! > /run/lvscp-www-setup/pid
                for i in $(seq 50); do ip netns exec lvscp-sr bash -c 'echo > /dev/tcp/127.0.0.1/80' 2>/dev/null && break; sleep 0.1; done
                mkdir -p %2$s/etc/sysctl.d %2$s/etc/network/interfaces.d %2$s/etc/systemd/network
                """.formatted(VIP, ROOT));
        try (IpvsClient c = IpvsClient.open()) {
            c.flush();
            VirtualService web = VirtualService.of(VirtualService.TCP, InetAddress.getByName(VIP), 80, "rr");
            c.newService(web);
            c.newDestination(web, Destination.of(InetAddress.getByName("10.66.0.2"), 80, Forward.DIRECT_ROUTE, 1));
        }
        Files.writeString(SCRIPT, SetupScript.generate(new SetupScript.Input("lab", "10.66.0.2",
                List.of(new SetupScript.Vip(VIP, List.of(VIP + ":80/tcp"))), List.of(), Instant.now())));
    }

    @AfterEach
    void down() throws Exception {
        sh("kill $(cat /run/lvscp-www-setup/pid) 2>/dev/null || true; ip netns del lvscp-sr 2>/dev/null || true;"
                + " ip netns del lvscp-sc 2>/dev/null || true; ip link del lvsbr 2>/dev/null || true; rm -rf " + ROOT);
        try (IpvsClient c = IpvsClient.open()) {
            c.flush();
        }
    }

    static String sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(command + ": " + out).isZero();
        return out;
    }

    static String setup(String args) throws Exception {
        return sh("ip netns exec lvscp-sr env LVS_SETUP_ROOT=" + ROOT + " bash " + SCRIPT + " " + args);
    }

    /** What the real-server namespace looks like: lo's addresses and the four ARP sysctls. */
    static String realServerState() throws Exception {
        return sh("ip -n lvscp-sr -o addr show dev lo | sed 's/ valid_lft.*//'; ip netns exec lvscp-sr sysctl net.ipv4.conf.all.arp_ignore"
                + " net.ipv4.conf.lo.arp_ignore net.ipv4.conf.all.arp_announce net.ipv4.conf.lo.arp_announce");
    }

    /** The MACs that answer "who has VIP" on the client's segment. */
    static List<String> whoHasVip() throws Exception {
        return sh("ip netns exec lvscp-sc python3 lab/arp-who-has.py sc0 " + VIP + " 0.5").lines().toList();
    }

    static String mac(String netns, String dev) throws Exception {
        return sh((netns == null ? "" : "ip netns exec " + netns + " ") + "cat /sys/class/net/" + dev + "/address").trim();
    }

    @Test
    void setupIsIdempotentMakesDirectRoutingWorkAndUndoRestoresTheNamespace() throws Exception {
        String before = realServerState();
        assertThat(before).doesNotContain(VIP);

        String out = setup("");
        assertThat(out).contains("VIPs on lo: " + VIP);
        String after = realServerState();
        assertThat(after).contains("inet " + VIP + "/32").contains("lo:lvs1")
                .contains("net.ipv4.conf.all.arp_ignore = 1").contains("net.ipv4.conf.lo.arp_announce = 2");
        assertThat(Files.readString(ROOT.resolve("etc/sysctl.d/90-lvs-control-plane.conf"))).contains("net.ipv4.conf.all.arp_ignore = 1");
        assertThat(Files.readString(ROOT.resolve("etc/network/interfaces.d/lvs-control-plane"))).contains("up ip -4 addr add " + VIP + "/32 dev lo");
        assertThat(Files.readString(ROOT.resolve("etc/systemd/network/90-lvs-control-plane-lo.network"))).contains("Address=" + VIP + "/32");

        // a request to the VIP goes client -> director (IPVS, DR: MAC rewrite) -> real server, which answers from the VIP
        assertThat(sh("ip netns exec lvscp-sc curl -s -m 5 http://" + VIP + "/")).contains("hello-from-setup");
        // only the director answers ARP for the VIP
        assertThat(whoHasVip()).containsExactly(mac(null, "lvsbr"));

        setup("");
        assertThat(realServerState()).isEqualTo(after);

        setup("--undo");
        assertThat(realServerState()).isEqualTo(before);
        try (var files = Files.walk(ROOT)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void aRealServerWithTheVipButWithoutTheArpSettingsAnswersArpUntilSetupRuns() throws Exception {
        // the classic LVS-DR outage: the VIP on lo, arp_ignore left at 0
        sh("ip -n lvscp-sr addr add " + VIP + "/32 dev lo");
        String realServerMac = mac("lvscp-sr", "sr0");
        assertThat(whoHasVip()).containsExactlyInAnyOrder(mac(null, "lvsbr"), realServerMac);

        setup("");
        assertThat(whoHasVip()).containsExactly(mac(null, "lvsbr"));

        // undo puts back what was there: the VIP the operator had added stays, the ARP settings go back to 0
        setup("--undo");
        assertThat(realServerState()).contains("inet " + VIP + "/32").contains("net.ipv4.conf.all.arp_ignore = 0");
        assertThat(whoHasVip()).contains(realServerMac);
    }
}
