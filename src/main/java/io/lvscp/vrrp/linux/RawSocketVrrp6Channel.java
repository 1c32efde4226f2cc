package io.lvscp.vrrp.linux;

import io.lvscp.linux.Native;
import io.lvscp.common.Addresses.Family;
import io.lvscp.vrrp.ReceivedPacket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * An IPv6 raw socket for next header 112 bound to one interface: member of ff02::12 (or the
 * configured group), hop limit 255, no multicast loop. The kernel strips the IPv6 header: the hop
 * limit and the destination address come back as ancillary data (IPV6_HOPLIMIT, IPV6_PKTINFO),
 * which is why this channel uses recvmsg (64-bit Linux struct layouts).
 */
public final class RawSocketVrrp6Channel implements VrrpChannel {

    private static final int BUFFER = 2048;
    private static final int CONTROL = 256;
    private static final int NAME = 28; // struct sockaddr_in6

    private final int fd;
    private final int ifindex;
    private final String interfaceName;
    private final Pointer name;
    private final Pointer buffer;
    private final Pointer iov;
    private final Pointer control;
    private final Pointer message;

    public RawSocketVrrp6Channel(String interfaceName, InetAddress group) throws IOException {
        if (!(group instanceof Inet6Address)) {
            throw new IOException("not an IPv6 group: " + group.getHostAddress());
        }
        this.interfaceName = interfaceName;
        this.ifindex = Native.ifindex(interfaceName);
        this.fd = Native.check(Native.LIBC.socket(Native.AF_INET6, Native.SOCK_RAW, ReceivedPacket.IPPROTO_VRRP),
                "socket AF_INET6");
        try {
            setsockopt(Native.SOL_SOCKET, Native.SO_BINDTODEVICE,
                    (interfaceName + "\0").getBytes(StandardCharsets.US_ASCII), "SO_BINDTODEVICE");
            setsockopt(Native.IPPROTO_IPV6, Native.IPV6_MULTICAST_HOPS, Native.intValue(255), "IPV6_MULTICAST_HOPS");
            setsockopt(Native.IPPROTO_IPV6, Native.IPV6_UNICAST_HOPS, Native.intValue(255), "IPV6_UNICAST_HOPS");
            setsockopt(Native.IPPROTO_IPV6, Native.IPV6_MULTICAST_LOOP, Native.intValue(0), "IPV6_MULTICAST_LOOP");
            setsockopt(Native.IPPROTO_IPV6, Native.IPV6_MULTICAST_IF, Native.intValue(ifindex), "IPV6_MULTICAST_IF");
            setsockopt(Native.IPPROTO_IPV6, Native.IPV6_RECVHOPLIMIT, Native.intValue(1), "IPV6_RECVHOPLIMIT");
            setsockopt(Native.IPPROTO_IPV6, Native.IPV6_RECVPKTINFO, Native.intValue(1), "IPV6_RECVPKTINFO");
            if (group.isMulticastAddress()) {
                byte[] mreq = new byte[20]; // struct ipv6_mreq: group, ifindex
                System.arraycopy(group.getAddress(), 0, mreq, 0, 16);
                System.arraycopy(Native.intValue(ifindex), 0, mreq, 16, 4);
                setsockopt(Native.IPPROTO_IPV6, Native.IPV6_JOIN_GROUP, mreq, "IPV6_JOIN_GROUP");
            }
        } catch (IOException e) {
            Native.LIBC.close(fd);
            throw e;
        }
        Runtime rt = Runtime.getSystemRuntime();
        name = Memory.allocateDirect(rt, NAME);
        buffer = Memory.allocateDirect(rt, BUFFER);
        iov = Memory.allocateDirect(rt, 16);
        control = Memory.allocateDirect(rt, CONTROL);
        message = Memory.allocateDirect(rt, 56);
        iov.putAddress(0, buffer.address());
        iov.putLong(8, BUFFER);
    }

    private void setsockopt(int level, int option, byte[] value, String what) throws IOException {
        Native.check(Native.LIBC.setsockopt(fd, level, option, value, value.length), "setsockopt " + what);
    }

    @Override
    public void send(byte[] vrrpMessage, InetAddress destination) throws IOException {
        byte[] sockaddr = new byte[NAME]; // family, port, flowinfo, address, scope id
        sockaddr[0] = (byte) Native.AF_INET6;
        System.arraycopy(destination.getAddress(), 0, sockaddr, 8, 16);
        System.arraycopy(Native.intValue(ifindex), 0, sockaddr, 24, 4);
        if (Native.LIBC.sendto(fd, vrrpMessage, vrrpMessage.length, 0, sockaddr, sockaddr.length) < 0) {
            throw Native.error("sendto on " + interfaceName);
        }
    }

    @Override
    public void receiveTimeout(Duration timeout) throws IOException {
        long micros = Math.max(1, timeout.toNanos() / 1000);
        byte[] tv = new byte[16];
        long sec = micros / 1_000_000;
        long usec = micros % 1_000_000;
        for (int i = 0; i < 8; i++) {
            tv[i] = (byte) (sec >> (8 * i));
            tv[8 + i] = (byte) (usec >> (8 * i));
        }
        setsockopt(Native.SOL_SOCKET, Native.SO_RCVTIMEO, tv, "SO_RCVTIMEO");
    }

    @Override
    public ReceivedPacket receive() throws IOException {
        // struct msghdr: name, namelen, iov, iovlen, control, controllen, flags
        message.putAddress(0, name.address());
        message.putInt(8, NAME);
        message.putAddress(16, iov.address());
        message.putLong(24, 1);
        message.putAddress(32, control.address());
        message.putLong(40, CONTROL);
        message.putInt(48, 0);
        long n = Native.LIBC.recvmsg(fd, message, 0);
        if (n < 0) {
            if (Native.errno() == Native.EAGAIN) {
                return null;
            }
            throw Native.error("recvmsg on " + interfaceName);
        }
        byte[] payload = new byte[(int) n];
        buffer.get(0, payload, 0, payload.length);
        byte[] source = new byte[16];
        name.get(8, source, 0, 16);
        int hopLimit = -1;
        byte[] destination = null;
        long controlLength = message.getLong(40);
        long offset = 0;
        while (offset + 16 <= controlLength) {
            long length = control.getLong(offset);
            int level = control.getInt(offset + 8);
            int type = control.getInt(offset + 12);
            if (length < 16) {
                break;
            }
            if (level == Native.IPPROTO_IPV6 && type == Native.IPV6_HOPLIMIT) {
                hopLimit = control.getInt(offset + 16);
            } else if (level == Native.IPPROTO_IPV6 && type == Native.IPV6_PKTINFO) {
                destination = new byte[16];
                control.get(offset + 16, destination, 0, 16);
            }
            offset += (length + 7) & ~7L;
        }
        if (destination == null) {
            return null; // the kernel always sends IPV6_PKTINFO once asked; without it the checksum cannot be verified
        }
        try {
            return new ReceivedPacket(Family.IPV6, InetAddress.getByAddress(source), InetAddress.getByAddress(destination),
                    hopLimit, ReceivedPacket.IPPROTO_VRRP, payload);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
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
