package io.lvscp.vrrp.linux;

import static io.lvscp.vrrp.linux.NamespaceLab.backup;
import static io.lvscp.vrrp.linux.NamespaceLab.mac;
import static io.lvscp.vrrp.linux.NamespaceLab.sh;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * VRRPv3 over IPv6 (ff02::12, link-local sources) between Debian's keepalived and our node (VrrpNodeMain):
 * keepalived master, ours backup without a rejected packet, then keepalived's graceful stop hands
 * the VIP over. Root, iproute2 and keepalived: fails under CI=true without them.
 */
@Tag("lab")
class KeepalivedIpv6LabTests {

    @RegisterExtension
    final NamespaceLab.PerTest labs = NamespaceLab.perTest(true);
    private NamespaceLab lab;
    private String nsKeepalived;
    private String nsOurs;

    @BeforeEach
    void lab() throws Exception {
        lab = labs.lab();
        nsKeepalived = lab.namespace("v6k");
        nsOurs = lab.namespace("v6o");
        for (String ns : new String[] {nsKeepalived, nsOurs}) {
            // link-local addresses usable at once (no duplicate address detection)
            sh("ip netns exec " + ns + " sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0");
            // create neighbour entries from unsolicited adverts, as arp_accept does for IPv4: Linux 5.18+ does
            // it only where forwarding is on (a router's cache), so both namespaces act as routers
            sh("ip netns exec " + ns + " sysctl -qw net.ipv6.conf.all.forwarding=1 net.ipv6.conf.default.accept_untracked_na=1");
        }
        lab.veth(nsKeepalived, "vk0", null, nsOurs, "vo0", null);
    }

    @Test
    void v3Ipv6KeepalivedMasterOursBackupThenGracefulStopHandsOver() throws Exception {
        Process keepalived = lab.keepalived(nsKeepalived, "keepalived.log", """
                global_defs {
                    router_id lvscp_lab6
                }
                vrrp_instance VI_LAB6 {
                    state MASTER
                    interface vk0
                    virtual_router_id 62
                    priority 150
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        fd00:200:9::100/64
                    }
                }
                """);
        lab.waitFor(() -> lab.log("keepalived.log").contains("Entering MASTER STATE"), 6000, "keepalived master");
        lab.runner(nsOurs, "ours.log", "iface=vo0", "vrid=62",
                "vips=fd00:200:9::100", "prefix=64", "version=3", "interval-ms=100", "priority=100");
        lab.waitFor(() -> backup(lab.log("ours.log")), 6000, "ours backup");
        Thread.sleep(1500); // about four Master_Down_Intervals of 0.36 s
        assertThat(lab.log("ours.log")).doesNotContain("MASTER").doesNotContain("REJECTED");

        NamespaceLab.stop(keepalived);
        lab.waitFor(() -> lab.log("ours.log").contains("BACKUP MASTER"), 3000, "ours master after keepalived's priority 0");
        lab.waitFor(() -> sh("ip -n " + nsOurs + " -6 addr show dev vo0").contains("fd00:200:9::100/64"), 1000,
                "VIP on ours");
        String ourMac = mac(nsOurs, "vo0");
        lab.waitFor(() -> sh("ip -n " + nsKeepalived + " -6 neigh show fd00:200:9::100").contains(ourMac), 1000,
                "our unsolicited neighbour advert seen by keepalived's namespace");
        lab.close();
        assertThat(lab.log("ours.log")).contains("PRI_ZERO_RCVD=1").doesNotContain("REJECTED");
    }

    @Test
    void v3Ipv6OursMasterKeepalivedBackupWithoutComplaint() throws Exception {
        lab.runner(nsOurs, "ours.log", "iface=vo0", "vrid=62",
                "vips=fd00:200:9::100", "prefix=64", "version=3", "interval-ms=100", "priority=150");
        lab.waitFor(() -> lab.log("ours.log").contains("BACKUP MASTER"), 6000, "ours master");
        lab.keepalived(nsKeepalived, "keepalived.log", """
                global_defs {
                    router_id lvscp_lab6
                }
                vrrp_instance VI_LAB6 {
                    state BACKUP
                    interface vk0
                    virtual_router_id 62
                    priority 100
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        fd00:200:9::100/64
                    }
                }
                """);
        lab.waitFor(() -> lab.log("keepalived.log").contains("Entering BACKUP STATE"), 6000, "keepalived backup");
        Thread.sleep(1500);
        String k = lab.log("keepalived.log");
        assertThat(k).doesNotContain("Entering MASTER STATE");
        assertThat(k.toLowerCase()).doesNotContain("invalid").doesNotContain("mismatch").doesNotContain("bad ")
                .doesNotContain("error");
    }
}
