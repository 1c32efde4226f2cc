package io.lvscp.vrrp.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Our RTM_NEWADDR / RTM_DELADDR messages are byte for byte what iproute2's {@code ip addr add/del} sends
 * (captured with strace by lab/capture-rtnetlink.sh into src/test/resources/rtnetlink/); only the sequence number
 * (ip's is the time) and the interface index (vo0's in the capture) are taken from the capture.
 */
class RtnetlinkGoldenBytesTests {

    /** The datagram of one capture. */
    static byte[] captured(String name) throws IOException {
        try (InputStream in = RtnetlinkGoldenBytesTests.class.getResourceAsStream("/rtnetlink/" + name + ".txt")) {
            assertThat(in).as("capture " + name).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("> ")) {
                    return HexFormat.of().parseHex(line.substring(2).trim());
                }
            }
        }
        throw new AssertionError("no datagram in " + name);
    }

    static int seq(byte[] m) {
        return ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).getInt(8);
    }

    static int ifindex(byte[] m) {
        return ByteBuffer.wrap(m).order(ByteOrder.nativeOrder()).getInt(20);
    }

    static final InetAddress V4 = Addresses.parse("10.200.9.100");
    static final InetAddress V6 = Addresses.parse("fd00:200:9::100");

    @Test
    void newAddressIpv4WithLabel() throws IOException {
        byte[] ip = captured("01-newaddr-ipv4-label");
        assertThat(RtnetlinkAddresses.add(seq(ip), ifindex(ip), V4, 24, "vo0:61")).isEqualTo(ip);
    }

    @Test
    void deleteAddressIpv4() throws IOException {
        byte[] ip = captured("02-deladdr-ipv4");
        assertThat(RtnetlinkAddresses.remove(seq(ip), ifindex(ip), V4, 24)).isEqualTo(ip);
    }

    @Test
    void newAddressIpv6WithoutDuplicateAddressDetection() throws IOException {
        byte[] ip = captured("03-newaddr-ipv6-nodad");
        // a label is never sent for IPv6 (the kernel keeps labels for IPv4 only)
        assertThat(RtnetlinkAddresses.add(seq(ip), ifindex(ip), V6, 64, "vo0:61")).isEqualTo(ip);
    }

    @Test
    void deleteAddressIpv6() throws IOException {
        byte[] ip = captured("04-deladdr-ipv6");
        assertThat(RtnetlinkAddresses.remove(seq(ip), ifindex(ip), V6, 64)).isEqualTo(ip);
    }
}
