package io.lvscp.vrrp.linux;

import io.lvscp.linux.Native;
import io.lvscp.vrrp.ReceivedPacket;
import io.lvscp.vrrp.VrrpPacketException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * An IPv4 raw socket for IP protocol 112 bound to one interface: member of the VRRP group (when
 * {@code group} is multicast; a unicast peer's address otherwise), TTL and multicast TTL 255, no multicast loop. The kernel writes the IP header on send and returns it on receive.
 */
public final class RawSocketVrrpChannel implements VrrpChannel {

    private final int fd;
    private final String interfaceName;
    /** recv's buffer, kept: {@link #receive()} runs at least once a round of the VRRP loop, nearly always to EAGAIN. */
    private final byte[] buffer = new byte[2048];

    public RawSocketVrrpChannel(String interfaceName, InetAddress group, InetAddress localAddress) throws IOException {
        if (!(group instanceof Inet4Address)) {
            throw new IOException("only IPv4 raw sockets are implemented");
        }
        this.interfaceName = interfaceName;
        this.fd = Native.check(Native.LIBC.socket(Native.AF_INET, Native.SOCK_RAW, ReceivedPacket.IPPROTO_VRRP), "socket");
        try {
            byte[] name = (interfaceName + "\0").getBytes(StandardCharsets.US_ASCII);
            setsockopt(Native.SOL_SOCKET, Native.SO_BINDTODEVICE, name, "SO_BINDTODEVICE " + interfaceName);
            setsockopt(Native.IPPROTO_IP, Native.IP_MULTICAST_TTL, Native.intValue(255), "IP_MULTICAST_TTL");
            setsockopt(Native.IPPROTO_IP, Native.IP_TTL, Native.intValue(255), "IP_TTL");
            setsockopt(Native.IPPROTO_IP, Native.IP_MULTICAST_LOOP, Native.intValue(0), "IP_MULTICAST_LOOP");
            int ifindex = Native.ifindex(interfaceName);
            byte[] mreqn = new byte[12]; // struct ip_mreqn: group, local address, ifindex
            System.arraycopy(group.getAddress(), 0, mreqn, 0, 4);
            System.arraycopy(localAddress.getAddress(), 0, mreqn, 4, 4);
            System.arraycopy(Native.intValue(ifindex), 0, mreqn, 8, 4);
            setsockopt(Native.IPPROTO_IP, Native.IP_MULTICAST_IF, mreqn, "IP_MULTICAST_IF");
            if (group.isMulticastAddress()) {
                setsockopt(Native.IPPROTO_IP, Native.IP_ADD_MEMBERSHIP, mreqn, "IP_ADD_MEMBERSHIP");
            }
        } catch (IOException e) {
            Native.LIBC.close(fd);
            throw e;
        }
    }

    /** Changes the TTL of what this socket sends (255 by default, as VRRP requires; the lab sends 64 to test rejection). */
    void ttl(int ttl) throws IOException {
        setsockopt(Native.IPPROTO_IP, Native.IP_MULTICAST_TTL, Native.intValue(ttl), "IP_MULTICAST_TTL");
        setsockopt(Native.IPPROTO_IP, Native.IP_TTL, Native.intValue(ttl), "IP_TTL");
    }

    private void setsockopt(int level, int option, byte[] value, String what) throws IOException {
        Native.check(Native.LIBC.setsockopt(fd, level, option, value, value.length), "setsockopt " + what);
    }

    /** Sends a VRRP message to {@code destination}; the kernel adds the IP header. */
    @Override
    public void send(byte[] vrrpMessage, InetAddress destination) throws IOException {
        byte[] sockaddr = new byte[16]; // struct sockaddr_in
        sockaddr[0] = (byte) Native.AF_INET; // sa_family, host order (little-endian)
        System.arraycopy(destination.getAddress(), 0, sockaddr, 4, 4);
        long n = Native.LIBC.sendto(fd, vrrpMessage, vrrpMessage.length, 0, sockaddr, sockaddr.length);
        if (n < 0) {
            throw Native.error("sendto on " + interfaceName);
        }
    }

    /** Sets how long {@link #receive()} waits at most. */
    @Override
    public void receiveTimeout(Duration timeout) throws IOException {
        long micros = Math.max(1, timeout.toNanos() / 1000);
        byte[] tv = new byte[16]; // struct timeval: tv_sec, tv_usec (two longs)
        putLong(tv, 0, micros / 1_000_000);
        putLong(tv, 8, micros % 1_000_000);
        setsockopt(Native.SOL_SOCKET, Native.SO_RCVTIMEO, tv, "SO_RCVTIMEO");
    }

    /**
     * Receives one packet, or returns null on timeout (or for a buffer without a whole IPv4 header,
     * which the kernel does not deliver to raw sockets).
     */
    @Override
    public ReceivedPacket receive() throws IOException {
        long n = Native.LIBC.recv(fd, buffer, buffer.length, 0);
        if (n < 0) {
            int e = Native.errno();
            if (e == Native.EAGAIN) {
                return null;
            }
            throw Native.error("recv on " + interfaceName);
        }
        try {
            return ReceivedPacket.fromIpv4Packet(Arrays.copyOf(buffer, (int) n));
        } catch (VrrpPacketException e) {
            return null;
        }
    }

    private static void putLong(byte[] b, int offset, long v) {
        for (int i = 0; i < 8; i++) {
            b[offset + i] = (byte) (v >> (8 * i));
        }
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
