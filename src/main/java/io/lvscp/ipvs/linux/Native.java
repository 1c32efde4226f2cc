package io.lvscp.ipvs.linux;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The few libc calls the netlink socket needs, loaded once; errno saved after each call. */
final class Native {

    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int SO_RCVTIMEO = 20;
    static final int SOL_NETLINK = 270;
    static final int NETLINK_EXT_ACK = 11;
    static final int MSG_PEEK = 0x02;
    static final int MSG_TRUNC = 0x20;
    static final int EINTR = 4;
    static final int EMSGSIZE = 90;
    static final int EAGAIN = 11;

    public interface LibC {
        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int len);

        int getsockname(int fd, Pointer addr, Pointer len);

        int setsockopt(int fd, int level, int name, Pointer value, int len);

        @ssize_t long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, int addrlen);

        @ssize_t long recv(int fd, Pointer buf, @size_t long len, int flags);

        int close(int fd);

        String strerror(int errno);
    }

    private static volatile LibC libc;

    private Native() {
    }

    static LibC libc() {
        LibC l = libc;
        if (l == null) {
            synchronized (Native.class) {
                if (libc == null) {
                    libc = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true).load("c");
                }
                l = libc;
            }
        }
        return l;
    }

    static Runtime runtime() {
        return Runtime.getRuntime(libc());
    }

    static int errno() {
        return runtime().getLastError();
    }

    static SyscallException error(String call) {
        int e = errno();
        return new SyscallException(call, e, libc().strerror(e));
    }
}
