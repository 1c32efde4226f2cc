package io.lvscp.vrrp.linux;

import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;

/** The libc calls the VRRP adapters need, loaded once; failures become IOExceptions with strerror. */
final class Native {

    // Linux x86_64 / aarch64 values (include/uapi/linux/*.h, asm-generic/socket.h)
    static final int AF_INET = 2;
    static final int AF_NETLINK = 16;
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOL_SOCKET = 1;
    static final int SO_RCVTIMEO = 20;
    static final int SO_BINDTODEVICE = 25;
    static final int IPPROTO_IP = 0;
    static final int IP_TTL = 2;
    static final int IP_MULTICAST_IF = 32;
    static final int IP_MULTICAST_TTL = 33;
    static final int IP_MULTICAST_LOOP = 34;
    static final int IP_ADD_MEMBERSHIP = 35;
    static final int AF_INET6 = 10;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_UNICAST_HOPS = 16;
    static final int IPV6_MULTICAST_IF = 17;
    static final int IPV6_MULTICAST_HOPS = 18;
    static final int IPV6_MULTICAST_LOOP = 19;
    static final int IPV6_JOIN_GROUP = 20;
    static final int IPV6_RECVPKTINFO = 49;
    static final int IPV6_PKTINFO = 50;
    static final int IPV6_RECVHOPLIMIT = 51;
    static final int IPV6_HOPLIMIT = 52;
    static final int NETLINK_ROUTE = 0;
    static final int ETH_P_ARP = 0x0806;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 04000;
    static final short POLLIN = 1;

    public interface LibC {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int option, byte[] value, int length);

        long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

        long recvfrom(int fd, byte[] buffer, long length, int flags, byte[] address, IntByReference addressLength);

        long recv(int fd, byte[] buffer, long length, int flags);

        long recvmsg(int fd, jnr.ffi.Pointer message, int flags);

        int close(int fd);

        int if_nametoindex(String name);

        int bind(int fd, byte[] address, int addressLength);

        /** struct pollfd[]: int fd, short events, short revents (8 bytes each). */
        int poll(byte[] fds, long nfds, int timeoutMillis);

        int fcntl(int fd, int command, int argument);

        String strerror(int errno);
    }

    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private Native() {
    }

    static int errno() {
        return Runtime.getSystemRuntime().getLastError();
    }

    static IOException error(String what) {
        int e = errno();
        return new IOException(what + ": " + LIBC.strerror(e) + " (errno " + e + ")");
    }

    static int check(int result, String what) throws IOException {
        if (result < 0) {
            throw error(what);
        }
        return result;
    }

    static byte[] intValue(int v) {
        // host order; x86_64 and aarch64 are little-endian
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** Makes reads on {@code fd} return EAGAIN instead of waiting. */
    static void nonBlocking(int fd) throws IOException {
        int flags = check(LIBC.fcntl(fd, F_GETFL, 0), "fcntl F_GETFL");
        check(LIBC.fcntl(fd, F_SETFL, flags | O_NONBLOCK), "fcntl F_SETFL O_NONBLOCK");
    }

    static int ifindex(String name) throws IOException {
        int index = LIBC.if_nametoindex(name);
        if (index == 0) {
            throw error("if_nametoindex " + name);
        }
        return index;
    }
}
