package io.lvscp.linux;

import io.lvscp.netlink.Errno;
import java.io.IOException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The one libc binding of the service (jnr-ffi), loaded once with errno saved after each call: sockets for
 * netlink (IPVS, rtnetlink), raw VRRP, ARP and neighbour-advert sockets. A failed call becomes a
 * {@link SyscallException} carrying errno, its name and strerror's text. Numbers are Linux x86_64 / aarch64
 * (include/uapi/linux/*.h, asm-generic/socket.h); struct layouts assume 64-bit little-endian.
 */
public final class Native {

    public static final int AF_INET = 2;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_RAW = 3;
    public static final int SOL_SOCKET = 1;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_BINDTODEVICE = 25;
    public static final int IPPROTO_IP = 0;
    public static final int IP_TTL = 2;
    public static final int IP_MULTICAST_IF = 32;
    public static final int IP_MULTICAST_TTL = 33;
    public static final int IP_MULTICAST_LOOP = 34;
    public static final int IP_ADD_MEMBERSHIP = 35;
    public static final int AF_INET6 = 10;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_UNICAST_HOPS = 16;
    public static final int IPV6_MULTICAST_IF = 17;
    public static final int IPV6_MULTICAST_HOPS = 18;
    public static final int IPV6_MULTICAST_LOOP = 19;
    public static final int IPV6_JOIN_GROUP = 20;
    public static final int IPV6_RECVPKTINFO = 49;
    public static final int IPV6_PKTINFO = 50;
    public static final int IPV6_RECVHOPLIMIT = 51;
    public static final int IPV6_HOPLIMIT = 52;
    public static final int NETLINK_ROUTE = 0;
    public static final int ETH_P_ARP = 0x0806;
    public static final int EAGAIN = 11;
    public static final int EINTR = 4;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int O_NONBLOCK = 04000;
    public static final short POLLIN = 1;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_EXT_ACK = 11;
    public static final int MSG_PEEK = 0x02;
    public static final int MSG_TRUNC = 0x20;
    public static final int EMSGSIZE = 90;
    public static final int EPERM = 1;
    public static final int EINVAL = 22;
    public static final int SCHED_OTHER = 0;
    public static final int SCHED_RR = 2;
    /** Or-ed into a policy: threads (and processes) this thread creates start with the default policy. */
    public static final int SCHED_RESET_ON_FORK = 0x40000000;

    /** The calls; byte[] overloads for small fixed structs, Pointer ones for direct buffers. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int len);

        int bind(int fd, byte[] address, int addressLength);

        int getsockname(int fd, Pointer addr, Pointer len);

        int setsockopt(int fd, int level, int name, Pointer value, int len);

        int setsockopt(int fd, int level, int option, byte[] value, int length);

        @ssize_t long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, int addrlen);

        @ssize_t long sendto(int fd, byte[] buffer, @size_t long length, int flags, byte[] address, int addressLength);

        @ssize_t long recv(int fd, Pointer buf, @size_t long len, int flags);

        @ssize_t long recv(int fd, byte[] buffer, @size_t long length, int flags);

        @ssize_t long recvfrom(int fd, byte[] buffer, @size_t long length, int flags, byte[] address, IntByReference addressLength);

        @ssize_t long recvmsg(int fd, Pointer message, int flags);

        int close(int fd);

        int if_nametoindex(String name);

        /** struct pollfd[]: int fd, short events, short revents (8 bytes each). */
        int poll(byte[] fds, long nfds, int timeoutMillis);

        /** poll with a struct timespec timeout (tv_sec, tv_nsec: two longs); sigmask null: the thread's own. */
        int ppoll(byte[] fds, long nfds, byte[] timeout, Pointer sigmask);

        int fcntl(int fd, int command, int argument);

        String strerror(int errno);

        /** pid 0: the calling thread (Linux schedules threads); param: struct sched_param (int sched_priority). */
        int sched_setscheduler(int pid, int policy, byte[] param);

        /** The calling thread's policy when pid is 0 (SCHED_RESET_ON_FORK or-ed in if set). */
        int sched_getscheduler(int pid);

        /** struct sched_param of the thread (int sched_priority). */
        int sched_getparam(int pid, byte[] param);
    }

    public static final LibC LIBC = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true).load("c");

    private Native() {
    }

    public static Runtime runtime() {
        return Runtime.getRuntime(LIBC);
    }

    /** errno of the last call on this thread. */
    public static int errno() {
        return runtime().getLastError();
    }

    /** The last call failed: errno, its name and strerror's text. */
    public static SyscallException error(String call) {
        int e = errno();
        return new SyscallException(call, e, LIBC.strerror(e));
    }

    public static int check(int result, String call) throws IOException {
        if (result < 0) {
            throw error(call);
        }
        return result;
    }

    /** A C int in host order (x86_64 and aarch64 are little-endian). */
    public static byte[] intValue(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** Makes reads on {@code fd} return EAGAIN instead of waiting. */
    public static void nonBlocking(int fd) throws IOException {
        int flags = check(LIBC.fcntl(fd, F_GETFL, 0), "fcntl F_GETFL");
        check(LIBC.fcntl(fd, F_SETFL, flags | O_NONBLOCK), "fcntl F_SETFL O_NONBLOCK");
    }

    public static int ifindex(String name) throws IOException {
        int index = LIBC.if_nametoindex(name);
        if (index == 0) {
            throw error("if_nametoindex " + name);
        }
        return index;
    }

    /** The name of an errno value ("ENOBUFS"). */
    public static String errnoName(int errno) {
        return Errno.name(errno);
    }
}
