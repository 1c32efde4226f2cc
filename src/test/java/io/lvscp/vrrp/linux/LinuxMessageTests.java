package io.lvscp.vrrp.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bytes the Linux adapters hand to the kernel, checked without root. */
class LinuxMessageTests {

    @Test
    void gratuitousArpIsABroadcastRequestWhoseSenderAndTargetAreTheVip() {
        byte[] mac = GratuitousArpSender.parseMac("02:00:5e:00:c8:02");
        byte[] f = GratuitousArpSender.frame(mac, Addresses.parse("10.200.9.100"));
        assertThat(f).hasSize(60);
        assertThat(Arrays.copyOfRange(f, 0, 6)).containsOnly((byte) 0xff);
        assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(mac);
        assertThat(Arrays.copyOfRange(f, 12, 14)).isEqualTo(new byte[] {0x08, 0x06});
        assertThat(Arrays.copyOfRange(f, 14, 22)).isEqualTo(new byte[] {0, 1, 0x08, 0, 6, 4, 0, 1});
        assertThat(Arrays.copyOfRange(f, 22, 28)).isEqualTo(mac);
        assertThat(Arrays.copyOfRange(f, 28, 32)).isEqualTo(new byte[] {10, (byte) 200, 9, 100});
        assertThat(Arrays.copyOfRange(f, 32, 38)).containsOnly((byte) 0);
        assertThat(Arrays.copyOfRange(f, 38, 42)).isEqualTo(new byte[] {10, (byte) 200, 9, 100});
        assertThat(Arrays.copyOfRange(f, 42, 60)).containsOnly((byte) 0);
    }

    @Test
    void unsolicitedNeighbourAdvertHasOverrideTargetAndLinkLayerOption() {
        byte[] mac = GratuitousArpSender.parseMac("02:00:5e:00:c8:02");
        byte[] m = UnsolicitedNeighbourAdvertSender.message(mac, Addresses.parse("fd00:200:9::100"));
        assertThat(m).hasSize(32);
        assertThat(m[0] & 0xff).as("type").isEqualTo(136);
        assertThat(m[4] & 0xff).as("flags: override, not solicited, not router").isEqualTo(0x20);
        assertThat(Arrays.copyOfRange(m, 8, 24)).isEqualTo(Addresses.parse("fd00:200:9::100").getAddress());
        assertThat(Arrays.copyOfRange(m, 24, 26)).as("option 2, length 1 (8 bytes)").isEqualTo(new byte[] {2, 1});
        assertThat(Arrays.copyOfRange(m, 26, 32)).isEqualTo(mac);
    }

    @Test
    void newAddressMessageCarriesLocalAddressAndLabelAlignedToFourBytes() {
        byte[] m = RtnetlinkAddresses.message(io.lvscp.netlink.Netlink.RTM_NEWADDR, 0x605, 7, 3,
                Addresses.parse("10.200.9.100"), 24, "vo0:1");
        ByteBuffer b = ByteBuffer.wrap(m).order(ByteOrder.nativeOrder());
        assertThat(b.getInt(0)).as("nlmsg_len").isEqualTo(m.length).isEqualTo(16 + 8 + 8 + 8 + 12);
        assertThat(b.getShort(4)).isEqualTo((short) 20);
        assertThat(b.getShort(6)).isEqualTo((short) 0x605);
        assertThat(b.getInt(8)).as("seq").isEqualTo(7);
        assertThat(m[16]).as("AF_INET").isEqualTo((byte) 2);
        assertThat(m[17]).as("prefix").isEqualTo((byte) 24);
        assertThat(b.getInt(20)).as("ifindex").isEqualTo(3);
        assertThat(b.getShort(24)).isEqualTo((short) 8);
        assertThat(b.getShort(26)).as("IFA_LOCAL").isEqualTo((short) 2);
        assertThat(b.getShort(32)).as("IFA_LABEL length").isEqualTo((short) 10);
        assertThat(b.getShort(34)).isEqualTo((short) 3);
        assertThat(new String(m, 36, 5)).isEqualTo("vo0:1");
        assertThat(m[41]).isZero();
        assertThat(b.getShort(46)).as("IFA_ADDRESS").isEqualTo((short) 1);
    }
}
