package io.lvscp.vrrp.linux;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Adds and removes interface addresses with RTM_NEWADDR / RTM_DELADDR on a NETLINK_ROUTE socket. */
public final class RtnetlinkAddresses implements Closeable {

    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int NLMSG_ERROR = 2;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_F_NODAD = 0x02;
    static final int EEXIST = 17;
    static final int EADDRNOTAVAIL = 99;

    private final int fd;
    private int sequence;

    public RtnetlinkAddresses() throws IOException {
        fd = Native.check(Native.LIBC.socket(Native.AF_NETLINK, Native.SOCK_RAW, Native.NETLINK_ROUTE), "netlink socket");
    }

    /** Adds {@code address/prefixLength} to the interface; an address already there is fine. */
    public void add(int ifindex, InetAddress address, int prefixLength, String label) throws IOException {
        int error = request(message(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ++sequence, ifindex,
                address, prefixLength, label));
        if (error != 0 && error != -EEXIST) {
            throw new IOException("RTM_NEWADDR " + address.getHostAddress() + ": " + Native.LIBC.strerror(-error));
        }
    }

    /** Removes the address; one that is not there is fine. */
    public void remove(int ifindex, InetAddress address, int prefixLength) throws IOException {
        int error = request(message(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, ++sequence, ifindex, address, prefixLength, null));
        if (error != 0 && error != -EADDRNOTAVAIL) {
            throw new IOException("RTM_DELADDR " + address.getHostAddress() + ": " + Native.LIBC.strerror(-error));
        }
    }

    private int request(byte[] message) throws IOException {
        byte[] kernel = new byte[12]; // struct sockaddr_nl, pid 0 = the kernel
        kernel[0] = (byte) Native.AF_NETLINK;
        if (Native.LIBC.sendto(fd, message, message.length, 0, kernel, kernel.length) < 0) {
            throw Native.error("netlink sendto");
        }
        byte[] reply = new byte[4096];
        long n = Native.LIBC.recv(fd, reply, reply.length, 0);
        if (n < 20) {
            throw Native.error("netlink recv");
        }
        ByteBuffer b = ByteBuffer.wrap(reply, 0, (int) n).order(ByteOrder.nativeOrder());
        if (b.getShort(4) != NLMSG_ERROR) {
            throw new IOException("unexpected netlink reply type " + b.getShort(4));
        }
        return b.getInt(16);
    }

    /** struct nlmsghdr + struct ifaddrmsg + IFA_LOCAL, IFA_ADDRESS and (IPv4) IFA_LABEL attributes. */
    static byte[] message(int type, int flags, int sequence, int ifindex, InetAddress address, int prefixLength,
            String label) {
        byte[] raw = address.getAddress();
        boolean v4 = address instanceof Inet4Address;
        byte[] labelBytes = label != null && v4 ? (label + "\0").getBytes(StandardCharsets.US_ASCII) : null;
        int length = 16 + 8 + 2 * align(4 + raw.length) + (labelBytes == null ? 0 : align(4 + labelBytes.length));
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putInt(length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(0);
        // IPv6 VIPs skip duplicate address detection (IFA_F_NODAD), as keepalived does: usable at once
        b.put((byte) (v4 ? 2 : 10)).put((byte) prefixLength).put((byte) (v4 ? 0 : IFA_F_NODAD)).put((byte) 0).putInt(ifindex);
        attribute(b, IFA_LOCAL, raw);
        attribute(b, IFA_ADDRESS, raw);
        if (labelBytes != null) {
            attribute(b, IFA_LABEL, labelBytes);
        }
        return b.array();
    }

    private static void attribute(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        b.position(b.position() + align(4 + value.length) - (4 + value.length));
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
