package io.lvscp.vrrp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The adverts captured from keepalived 2.2.7 (src/test/resources/vrrp/golden/README.md). */
final class Golden {

    /** v2, VRID 51, priority 150, 1 s, PASS "lvscp", 10.200.0.100 and .101, from 10.200.0.1. */
    static final String V2_PASS = "vrrp-v4-vrid51.bin";
    /** v3 IPv4, VRID 52, priority 200, 50 cs, 10.200.0.102, from 10.200.0.1. */
    static final String V3_IPV4 = "vrrp-v4-vrid52.bin";
    /** v3 IPv6, VRID 53, priority 100, 100 cs, fd00:200::100 and ::101, from fe80::5eff:fe00:c801 to ff02::12. */
    static final String V3_IPV6 = "vrrp-v6-vrid53.bin";

    private Golden() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/vrrp/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReceivedPacket packet(String name) {
        byte[] b = bytes(name);
        try {
            return (b[0] & 0xf0) == 0x60 ? ReceivedPacket.fromIpv6Packet(b) : ReceivedPacket.fromIpv4Packet(b);
        } catch (VrrpPacketException e) {
            throw new IllegalStateException(e);
        }
    }
}
