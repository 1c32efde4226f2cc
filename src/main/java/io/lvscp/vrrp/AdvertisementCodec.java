package io.lvscp.vrrp;

import io.lvscp.common.Addresses.Family;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes the VRRP message (what follows the IP header). Stateless.
 *
 * <pre>
 * byte 0    version (high nibble) | type (low nibble, 1)
 * byte 1    VRID
 * byte 2    priority
 * byte 3    count of addresses
 * v2: byte 4 auth type, byte 5 advert interval (s)    v3: bytes 4-5 reserved (4 bits) | max adver int (12 bits, cs)
 * bytes 6-7 checksum (v2: over the VRRP message; v3: also over the IPv4 or IPv6 pseudo-header)
 * addresses (4 or 16 bytes each), then v2 only: 8 bytes of auth data
 * </pre>
 */
public final class AdvertisementCodec {

    public static final int HEADER_LENGTH = 8;

    private AdvertisementCodec() {
    }

    /**
     * Encodes an advertisement. {@code source} and {@code destination} are the IP addresses the
     * packet will carry: VRRPv3's checksum covers them (v2 ignores them).
     */
    public static byte[] encode(Advertisement ad, InetAddress source, InetAddress destination) {
        byte[] b = new byte[ad.encodedLength()];
        b[0] = (byte) ((ad.version().wireValue() << 4) | Advertisement.TYPE_ADVERTISEMENT);
        b[1] = (byte) ad.vrid();
        b[2] = (byte) ad.priority();
        b[3] = (byte) ad.addresses().size();
        if (ad.version() == VrrpVersion.V2) {
            b[4] = (byte) ad.authType().wireValue();
            b[5] = (byte) ad.interval();
        } else {
            b[4] = (byte) ((ad.interval() >> 8) & 0x0f);
            b[5] = (byte) ad.interval();
        }
        int offset = HEADER_LENGTH;
        for (InetAddress a : ad.addresses()) {
            byte[] raw = a.getAddress();
            System.arraycopy(raw, 0, b, offset, raw.length);
            offset += raw.length;
        }
        if (ad.version() == VrrpVersion.V2) {
            byte[] pass = ad.password().getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(pass, 0, b, offset, pass.length);
        }
        int sum = checksum(ad.version(), ad.family(), b, source, destination);
        b[6] = (byte) (sum >> 8);
        b[7] = (byte) sum;
        return b;
    }

    /**
     * Decodes the VRRP message of a received packet, checking only what makes it a well-formed
     * advertisement: length, version, type, address count against length, checksum. Everything that
     * depends on the receiving instance (TTL, VRID, auth, interval, addresses) is the
     * {@link AdvertisementValidator}'s job.
     */
    public static Advertisement decode(ReceivedPacket packet) throws VrrpPacketException {
        byte[] b = packet.payloadUnsafe();
        if (b.length < HEADER_LENGTH) {
            throw new VrrpPacketException(Rejection.PACKET_LENGTH, "VRRP message of " + b.length + " bytes");
        }
        VrrpVersion version = VrrpVersion.ofWire((b[0] & 0xf0) >> 4);
        if (version == null) {
            throw new VrrpPacketException(Rejection.VERSION, "version " + ((b[0] & 0xf0) >> 4));
        }
        if ((b[0] & 0x0f) != Advertisement.TYPE_ADVERTISEMENT) {
            throw new VrrpPacketException(Rejection.TYPE, "type " + (b[0] & 0x0f));
        }
        Family family = packet.family();
        if (version == VrrpVersion.V2 && family != Family.IPV4) {
            throw new VrrpPacketException(Rejection.VERSION, "VRRPv2 over IPv6");
        }
        int count = b[3] & 0xff;
        int addressLength = family == Family.IPV4 ? 4 : 16;
        int expected = HEADER_LENGTH + count * addressLength + (version == VrrpVersion.V2 ? Advertisement.AUTH_DATA_LENGTH : 0);
        // v2 tolerates trailing bytes after the auth data (RFC 3768 sets no upper bound; the checksum covers
        // them); v3 has no trailer, so any difference is an error
        if (b.length < expected || (version == VrrpVersion.V3 && b.length != expected)) {
            throw new VrrpPacketException(Rejection.PACKET_LENGTH,
                    "VRRP message of " + b.length + " bytes, " + count + " addresses need " + expected);
        }
        if (checksum(version, family, b, packet.source(), packet.destination()) != 0) {
            throw new VrrpPacketException(Rejection.CHECKSUM, "checksum does not verify");
        }
        List<InetAddress> addresses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int offset = HEADER_LENGTH + i * addressLength;
            try {
                addresses.add(InetAddress.getByAddress(Arrays.copyOfRange(b, offset, offset + addressLength)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 4 or 16 bytes always make an address
            }
        }
        if (version == VrrpVersion.V2) {
            VrrpAuthType auth = VrrpAuthType.ofWire(b[4] & 0xff);
            if (auth == null || auth == VrrpAuthType.AH) {
                throw new VrrpPacketException(Rejection.INVALID_AUTH_TYPE, "auth type " + (b[4] & 0xff));
            }
            String password = "";
            if (auth == VrrpAuthType.PASS) {
                int start = HEADER_LENGTH + count * addressLength;
                int end = start;
                while (end < start + Advertisement.AUTH_DATA_LENGTH && b[end] != 0) {
                    end++;
                }
                password = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
            }
            return new Advertisement(version, b[1] & 0xff, b[2] & 0xff, b[5] & 0xff, family, addresses, auth, password);
        }
        int interval = ((b[4] & 0x0f) << 8) | (b[5] & 0xff);
        return new Advertisement(version, b[1] & 0xff, b[2] & 0xff, interval, family, addresses, VrrpAuthType.NONE, "");
    }

    /**
     * The Internet checksum of the message (with its checksum field as it is), plus the v3 pseudo-header.
     * Returns 0 for a message whose checksum field is right; for a message with a zero checksum field, the
     * value to put there.
     */
    static int checksum(VrrpVersion version, Family family, byte[] message, InetAddress source, InetAddress destination) {
        long sum = 0;
        if (version == VrrpVersion.V3) {
            sum += sumOf(source.getAddress());
            sum += sumOf(destination.getAddress());
            if (family == Family.IPV4 || source instanceof Inet4Address) {
                sum += ReceivedPacket.IPPROTO_VRRP; // zero byte, protocol
                sum += message.length; // 16-bit length
            } else {
                sum += (message.length >>> 16) + (message.length & 0xffff); // 32-bit upper-layer length
                sum += ReceivedPacket.IPPROTO_VRRP; // three zero bytes, next header
            }
        }
        sum += sumOf(message);
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long sumOf(byte[] b) {
        long sum = 0;
        for (int i = 0; i + 1 < b.length; i += 2) {
            sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
        if ((b.length & 1) != 0) {
            sum += (b[b.length - 1] & 0xff) << 8;
        }
        return sum;
    }
}
