package io.lvscp.vrrp;

import io.lvscp.common.Addresses.Family;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A VRRP message as received, with the IP header fields the validator needs. On IPv4 the raw
 * socket returns the IP header ({@link #fromIpv4Packet}); on IPv6 the kernel strips it and the hop
 * limit comes from ancillary data (construct directly, or {@link #fromIpv6Packet} for a capture).
 *
 * @param ttl IPv4 TTL or IPv6 hop limit
 * @param protocol IPv4 protocol or IPv6 next header (112 for VRRP)
 * @param payload the VRRP message only (defensively copied)
 */
public record ReceivedPacket(Family family, InetAddress source, InetAddress destination, int ttl, int protocol,
        byte[] payload) {

    public static final int IPPROTO_VRRP = 112;

    public ReceivedPacket {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    int payloadLength() {
        return payload.length;
    }

    int payloadByte(int index) {
        return payload[index] & 0xff;
    }

    byte[] payloadUnsafe() {
        return payload;
    }

    /**
     * Splits an IPv4 packet (header included, as from a raw socket) into header fields and
     * payload. The payload ends at the header's total length when that is shorter than the buffer.
     */
    public static ReceivedPacket fromIpv4Packet(byte[] packet) throws VrrpPacketException {
        if (packet.length < 20 || (packet[0] & 0xf0) != 0x40) {
            throw new VrrpPacketException(Rejection.PACKET_LENGTH, "not an IPv4 packet of at least 20 bytes");
        }
        int headerLength = (packet[0] & 0x0f) * 4;
        int total = ((packet[2] & 0xff) << 8) | (packet[3] & 0xff);
        if (headerLength < 20 || total < headerLength || total > packet.length) {
            // a total length that disagrees with the buffer (a padded or cut capture): take the buffer as it is
            total = packet.length;
        }
        if (headerLength < 20 || headerLength > total) {
            throw new VrrpPacketException(Rejection.PACKET_LENGTH, "IPv4 header length " + headerLength);
        }
        return new ReceivedPacket(Family.IPV4, address(packet, 12, 4), address(packet, 16, 4), packet[8] & 0xff,
                packet[9] & 0xff, Arrays.copyOfRange(packet, headerLength, total));
    }

    /** Splits an IPv6 packet whose fixed header is directly followed by the VRRP message. */
    public static ReceivedPacket fromIpv6Packet(byte[] packet) throws VrrpPacketException {
        if (packet.length < 40 || (packet[0] & 0xf0) != 0x60) {
            throw new VrrpPacketException(Rejection.PACKET_LENGTH, "not an IPv6 packet of at least 40 bytes");
        }
        int payloadLength = ((packet[4] & 0xff) << 8) | (packet[5] & 0xff);
        int end = Math.min(packet.length, 40 + payloadLength);
        return new ReceivedPacket(Family.IPV6, address(packet, 8, 16), address(packet, 24, 16), packet[7] & 0xff,
                packet[6] & 0xff, Arrays.copyOfRange(packet, 40, end));
    }

    private static InetAddress address(byte[] b, int offset, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(b, offset, offset + length));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 or 16 bytes
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedPacket p && family == p.family && source.equals(p.source)
                && destination.equals(p.destination) && ttl == p.ttl && protocol == p.protocol
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + source.hashCode();
    }

    @Override
    public String toString() {
        return "ReceivedPacket[" + family + " " + source.getHostAddress() + " -> " + destination.getHostAddress() + " ttl="
                + ttl + " proto=" + protocol + " " + payload.length + " bytes]";
    }
}
