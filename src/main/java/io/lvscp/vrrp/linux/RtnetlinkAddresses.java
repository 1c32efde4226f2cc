package io.lvscp.vrrp.linux;

import static io.lvscp.netlink.Netlink.IFA_ADDRESS;
import static io.lvscp.netlink.Netlink.IFA_F_NODAD;
import static io.lvscp.netlink.Netlink.IFA_LABEL;
import static io.lvscp.netlink.Netlink.IFA_LOCAL;
import static io.lvscp.netlink.Netlink.NLM_F_ACK;
import static io.lvscp.netlink.Netlink.NLM_F_CREATE;
import static io.lvscp.netlink.Netlink.NLM_F_EXCL;
import static io.lvscp.netlink.Netlink.NLM_F_REQUEST;
import static io.lvscp.netlink.Netlink.RTM_DELADDR;
import static io.lvscp.netlink.Netlink.RTM_NEWADDR;

import io.lvscp.linux.Native;
import io.lvscp.netlink.Errno;
import io.lvscp.netlink.Message;
import io.lvscp.netlink.MessageWriter;
import io.lvscp.netlink.Netlink;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Adds and removes interface addresses with RTM_NEWADDR / RTM_DELADDR on a NETLINK_ROUTE socket, written with the
 * netlink layer IPVS uses ({@link MessageWriter}, {@link Message}); the bytes are those {@code ip addr add/del} sends
 * (golden bytes in src/test/resources/rtnetlink/).
 */
public final class RtnetlinkAddresses implements Closeable {

    static final int EEXIST = 17;
    static final int EADDRNOTAVAIL = 99;

    private final int fd;
    private int sequence;

    public RtnetlinkAddresses() throws IOException {
        fd = Native.check(Native.LIBC.socket(Native.AF_NETLINK, Native.SOCK_RAW, Netlink.NETLINK_ROUTE), "netlink socket");
    }

    /** Adds {@code address/prefixLength} to the interface; an address already there is fine. */
    public void add(int ifindex, InetAddress address, int prefixLength, String label) throws IOException {
        int error = request(add(++sequence, ifindex, address, prefixLength, label));
        if (error != 0 && error != -EEXIST) {
            throw new IOException("RTM_NEWADDR " + address.getHostAddress() + ": " + Errno.name(error) + " (" + Native.LIBC.strerror(-error) + ")");
        }
    }

    /** Removes the address; one that is not there is fine. */
    public void remove(int ifindex, InetAddress address, int prefixLength) throws IOException {
        int error = request(remove(++sequence, ifindex, address, prefixLength));
        if (error != 0 && error != -EADDRNOTAVAIL) {
            throw new IOException("RTM_DELADDR " + address.getHostAddress() + ": " + Errno.name(error) + " (" + Native.LIBC.strerror(-error) + ")");
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
        List<Message> messages = Message.parseAll(java.nio.ByteBuffer.wrap(reply, 0, (int) n));
        if (messages.isEmpty() || !messages.get(0).isError()) {
            throw new IOException("unexpected netlink reply type " + (messages.isEmpty() ? "(none)" : messages.get(0).type()));
        }
        return messages.get(0).errorCode();
    }

    /** RTM_NEWADDR as {@code ip addr add ADDRESS/PREFIX dev DEV [label LABEL]} writes it (create, fail if present, ack). */
    static byte[] add(int sequence, int ifindex, InetAddress address, int prefixLength, String label) {
        return message(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, sequence, ifindex, address, prefixLength,
                label);
    }

    /** RTM_DELADDR as {@code ip addr del ADDRESS/PREFIX dev DEV} writes it. */
    static byte[] remove(int sequence, int ifindex, InetAddress address, int prefixLength) {
        return message(RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK, sequence, ifindex, address, prefixLength, null);
    }

    /** struct nlmsghdr + struct ifaddrmsg + IFA_LOCAL, (IPv4 only) IFA_LABEL and IFA_ADDRESS. */
    static byte[] message(int type, int flags, int sequence, int ifindex, InetAddress address, int prefixLength, String label) {
        byte[] raw = address.getAddress();
        boolean v4 = address instanceof Inet4Address;
        MessageWriter w = new MessageWriter(64).begin(type, flags, sequence, 0);
        // struct ifaddrmsg: family, prefix length, flags, scope, ifindex. IPv6 VIPs skip duplicate address
        // detection (IFA_F_NODAD), as keepalived does: usable at once
        int ifaFlags = !v4 && type == RTM_NEWADDR ? IFA_F_NODAD : 0;
        w.bytesRaw(new byte[] {(byte) (v4 ? Native.AF_INET : Native.AF_INET6), (byte) prefixLength, (byte) ifaFlags, 0});
        w.u32raw(ifindex);
        // in iproute2's order: local, label, address
        w.bytes(IFA_LOCAL, raw);
        if (label != null && v4) {
            w.string(IFA_LABEL, label);
        }
        return w.bytes(IFA_ADDRESS, raw).end().toByteArray();
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
