package io.lvscp.ipvs.linux;

import io.lvscp.linux.SyscallException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.ipvs.netlink.GenlControl;
import io.lvscp.netlink.Message;
import io.lvscp.netlink.MessageWriter;
import io.lvscp.netlink.Netlink;
import io.lvscp.netlink.NetlinkErrorException;
import io.lvscp.support.LabRequirement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The jnr-ffi socket against the host kernel's generic-netlink controller (every Linux
 * kernel has it; no root needed). IPVS itself is tested in the lab kernel.
 */
class NetlinkSocketTests {

    static void linuxOnly() {
        // fails under CI=true (CI runs on Linux), skips with the reason elsewhere
        LabRequirement.require(System.getProperty("os.name").startsWith("Linux"), "netlink is Linux only");
    }

    @Test
    void resolvesTheControllerItself() throws Exception {
        linuxOnly();
        try (NetlinkSocket s = new NetlinkSocket(Netlink.NETLINK_GENERIC)) {
            assertThat(s.portId()).isNotZero();
            assertThat(IpvsClient.resolveFamily(s, "nlctrl")).isEqualTo(Netlink.GENL_ID_CTRL);
        }
    }

    @Test
    void anUnknownFamilyIsATypedEnoent() throws Exception {
        linuxOnly();
        try (NetlinkSocket s = new NetlinkSocket(Netlink.NETLINK_GENERIC)) {
            assertThatThrownBy(() -> IpvsClient.resolveFamily(s, "NOSUCHFAM"))
                    .isInstanceOfSatisfying(NetlinkErrorException.class, e -> {
                        assertThat(e.errnoName()).isEqualTo("ENOENT");
                        assertThat(e.command()).isEqualTo("GETFAMILY NOSUCHFAM");
                    });
        }
    }

    /** A batch of requests in one sendmsg: every ACK and every error comes back, matched by sequence number. */
    @Test
    void batchedRequestsAreAnsweredInOrder() throws Exception {
        linuxOnly();
        try (NetlinkSocket s = new NetlinkSocket(Netlink.NETLINK_GENERIC)) {
            MessageWriter w = new MessageWriter();
            for (int i = 1; i <= 200; i++) {
                GenlControl.getFamily(i % 2 == 0 ? "nlctrl" : "NOFAM" + i).writeTo(w, Netlink.GENL_ID_CTRL, 1, i, s.portId());
            }
            s.send(w.toByteArray());
            List<Message> got = new ArrayList<>();
            while (got.stream().filter(Message::isError).count() < 200) {
                got.addAll(Message.parseAll(s.receive()));
            }
            assertThat(got.stream().filter(m -> !m.isError()).map(Message::seq)).hasSize(100).allMatch(q -> q % 2 == 0);
            assertThat(got.stream().filter(m -> m.isError() && m.errorCode() != 0).map(Message::seq)).hasSize(100).allMatch(q -> q % 2 == 1);
        }
    }

    @Test
    void aReceiveWithNothingToReadTimesOutAsEagain() throws Exception {
        linuxOnly();
        try (NetlinkSocket s = new NetlinkSocket(Netlink.NETLINK_GENERIC, 50)) {
            assertThatThrownBy(s::receive).isInstanceOfSatisfying(SyscallException.class,
                    e -> assertThat(e.errnoName()).isEqualTo("EAGAIN"));
        }
    }

    @Test
    void theIpvsFamilyResolvesExactlyWhereTheKernelHasIpvs() {
        linuxOnly();
        // LAB.md: the host kernel here is built without IPVS, so this is "false"; where the
        // ip_vs module is loaded, /proc/net/ip_vs exists and the family resolves
        assertThat(IpvsClient.available()).isEqualTo(new java.io.File("/proc/net/ip_vs").exists());
    }
}
