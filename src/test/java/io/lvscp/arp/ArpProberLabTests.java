package io.lvscp.arp;

import io.lvscp.vrrp.linux.NamespaceLab;
import static io.lvscp.vrrp.linux.NamespaceLab.sh;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ARP prober against a real kernel's ARP in a namespace: a real server with the VIP on
 * lo and the default arp_ignore answers for the VIP (the hijack the ARP watch reports);
 * with the LVS-DR settings it does not. Root; fails under CI=true if it cannot run.
 */
class ArpProberLabTests {

    static final Duration WINDOW = Duration.ofMillis(500);

    NamespaceLab lab;
    String hostIf = "lvarp" + ProcessHandle.current().pid();

    @AfterEach
    void tearDown() throws Exception {
        sh("ip link del " + hostIf + " 2>/dev/null || true");
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aRealServerWithTheVipOnLoAnswersArpUntilItsArpSettingsAreFixed() throws Exception {
        lab = NamespaceLab.create(false);
        String rs = lab.namespace("arprs");
        sh("ip link add " + hostIf + " type veth peer name eth0 netns " + rs);
        sh("ip addr add 10.201.0.1/24 dev " + hostIf + " && ip link set " + hostIf + " up");
        sh("ip -n " + rs + " addr add 10.201.0.2/24 dev eth0 && ip -n " + rs + " link set eth0 up");
        sh("ip -n " + rs + " addr add 172.18.49.49/32 dev lo");
        String rsMac = sh("ip netns exec " + rs + " cat /sys/class/net/eth0/address").trim();
        Inet4Address vip = (Inet4Address) InetAddress.getByName("172.18.49.49");

        try (ArpProber prober = new ArpProber(hostIf)) {
            assertThat(prober.mac()).isEqualTo(sh("cat /sys/class/net/" + hostIf + "/address").trim());
            // arp_ignore=0 (the default): the real server claims the VIP it holds on lo
            assertThat(prober.whoHas(vip, WINDOW)).containsExactly(rsMac);
            // a probe's sender address is 0.0.0.0: the real server learned no neighbour from it
            assertThat(sh("ip -n " + rs + " neigh show 10.201.0.1")).isBlank();

            sh("ip netns exec " + rs + " sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.lo.arp_ignore=1"
                    + " net.ipv4.conf.all.arp_announce=2 net.ipv4.conf.lo.arp_announce=2");
            assertThat(prober.whoHas(vip, WINDOW)).isEmpty();
            // its own address on that segment it still answers for
            assertThat(prober.whoHas((Inet4Address) InetAddress.getByName("10.201.0.2"), WINDOW)).containsExactly(rsMac);
            // nobody has this one
            assertThat(prober.whoHas((Inet4Address) InetAddress.getByName("10.201.0.99"), WINDOW)).isEmpty();
        }
    }
}
