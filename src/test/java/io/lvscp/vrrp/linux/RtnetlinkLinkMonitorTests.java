package io.lvscp.vrrp.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Parsing of RTM_NEWLINK / RTM_DELLINK notifications (pure; the lab test sees real ones). */
class RtnetlinkLinkMonitorTests {

    /** nlmsghdr + ifinfomsg + IFLA_MTU + IFLA_IFNAME, as the kernel sends them. */
    static byte[] link(int type, int flags, String name) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int nameAttr = (4 + n.length + 3) & ~3;
        int len = 16 + 16 + 8 + nameAttr;
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) 0).putInt(0).putInt(0);
        b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(3).putInt(flags).putInt(0xffffffff);
        b.putShort((short) 8).putShort((short) 4).putInt(1500); // IFLA_MTU first
        b.putShort((short) (4 + n.length)).putShort((short) RtnetlinkLinkMonitor.IFLA_IFNAME).put(n);
        return b.array();
    }

    @Test
    void upMeansUpAndRunningAndADeletedLinkIsDown() {
        byte[] a = link(RtnetlinkLinkMonitor.RTM_NEWLINK, 0x1 | 0x40 | 0x1000, "eth0");
        byte[] b = link(RtnetlinkLinkMonitor.RTM_NEWLINK, 0x1, "eth1"); // up, no carrier
        byte[] c = link(RtnetlinkLinkMonitor.RTM_DELLINK, 0x1 | 0x40, "eth2");
        byte[] all = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        System.arraycopy(c, 0, all, a.length + b.length, c.length);
        assertThat(RtnetlinkLinkMonitor.parse(all, all.length)).containsExactly(new RtnetlinkLinkMonitor.Link("eth0", true),
                new RtnetlinkLinkMonitor.Link("eth1", false), new RtnetlinkLinkMonitor.Link("eth2", false));
    }

    @Test
    void truncatedOrForeignMessagesAreSkipped() {
        byte[] a = link(RtnetlinkLinkMonitor.RTM_NEWLINK, 0x41, "eth0");
        assertThat(RtnetlinkLinkMonitor.parse(a, a.length - 3)).isEmpty();
        byte[] other = link(20, 0x41, "eth0"); // RTM_NEWADDR
        assertThat(RtnetlinkLinkMonitor.parse(other, other.length)).isEmpty();
    }
}
