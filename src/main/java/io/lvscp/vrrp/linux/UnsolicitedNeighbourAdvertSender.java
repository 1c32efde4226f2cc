package io.lvscp.vrrp.linux;

import io.lvscp.linux.Native;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends unsolicited neighbour advertisements (RFC 4861 7.2.6: to ff02::1, Override set, with the
 * target link-layer address option) for IPv6 VIPs: the IPv6 counterpart of gratuitous ARP. Uses an
 * ICMPv6 raw socket, whose checksum the kernel fills in.
 */
public final class UnsolicitedNeighbourAdvertSender implements Closeable {

    static final int IPPROTO_ICMPV6 = 58;
    static final int NEIGHBOR_ADVERT = 136;
    static final int FLAG_OVERRIDE = 0x20;
    static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
    static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private final int fd;
    private final int ifindex;
    private final byte[] mac;

    public UnsolicitedNeighbourAdvertSender(String interfaceName) throws IOException {
        this.ifindex = Native.ifindex(interfaceName);
        this.mac = GratuitousArpSender.parseMac(Files.readString(Path.of("/sys/class/net", interfaceName, "address")).trim());
        this.fd = Native.check(Native.LIBC.socket(Native.AF_INET6, Native.SOCK_RAW, IPPROTO_ICMPV6), "ICMPv6 socket");
        try {
            byte[] name = (interfaceName + "\0").getBytes(StandardCharsets.US_ASCII);
            Native.check(Native.LIBC.setsockopt(fd, Native.SOL_SOCKET, Native.SO_BINDTODEVICE, name, name.length),
                    "SO_BINDTODEVICE");
            byte[] hops = Native.intValue(255); // RFC 4861: hop limit 255 or receivers drop it
            Native.check(Native.LIBC.setsockopt(fd, Native.IPPROTO_IPV6, Native.IPV6_MULTICAST_HOPS, hops, 4),
                    "IPV6_MULTICAST_HOPS");
            Native.check(Native.LIBC.setsockopt(fd, Native.IPPROTO_IPV6, Native.IPV6_MULTICAST_IF,
                    Native.intValue(ifindex), 4), "IPV6_MULTICAST_IF");
        } catch (IOException e) {
            Native.LIBC.close(fd);
            throw e;
        }
    }

    /** Sends one unsolicited NA for an IPv6 VIP (IPv4 VIPs are ignored: see {@link GratuitousArpSender}). */
    public void announce(InetAddress vip) throws IOException {
        if (!(vip instanceof Inet6Address)) {
            return;
        }
        byte[] message = message(mac, vip);
        byte[] sockaddr = new byte[28];
        sockaddr[0] = (byte) Native.AF_INET6;
        System.arraycopy(ALL_NODES, 0, sockaddr, 8, 16);
        System.arraycopy(Native.intValue(ifindex), 0, sockaddr, 24, 4);
        if (Native.LIBC.sendto(fd, message, message.length, 0, sockaddr, sockaddr.length) < 0) {
            throw Native.error("sendto neighbour advert " + vip.getHostAddress());
        }
    }

    /** ICMPv6 type 136 with the checksum left zero for the kernel, Override flag, target, target link-layer option. */
    static byte[] message(byte[] mac, InetAddress target) {
        ByteBuffer b = ByteBuffer.allocate(32);
        b.put((byte) NEIGHBOR_ADVERT).put((byte) 0).putShort((short) 0);
        b.put((byte) FLAG_OVERRIDE).put(new byte[3]);
        b.put(target.getAddress());
        b.put((byte) OPTION_TARGET_LINK_LAYER_ADDRESS).put((byte) 1).put(mac);
        return b.array();
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
