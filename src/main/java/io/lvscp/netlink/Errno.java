package io.lvscp.netlink;

import java.util.Map;

/** Linux errno numbers (asm-generic/errno-base.h and errno.h) with their names and messages. */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOBUFS = 105;

    private record E(String name, String message) {
    }

    private static final Map<Integer, E> TABLE = Map.ofEntries(
            Map.entry(1, new E("EPERM", "Operation not permitted")),
            Map.entry(2, new E("ENOENT", "No such file or directory")),
            Map.entry(3, new E("ESRCH", "No such process")),
            Map.entry(4, new E("EINTR", "Interrupted system call")),
            Map.entry(5, new E("EIO", "Input/output error")),
            Map.entry(9, new E("EBADF", "Bad file descriptor")),
            Map.entry(11, new E("EAGAIN", "Resource temporarily unavailable")),
            Map.entry(12, new E("ENOMEM", "Cannot allocate memory")),
            Map.entry(13, new E("EACCES", "Permission denied")),
            Map.entry(14, new E("EFAULT", "Bad address")),
            Map.entry(16, new E("EBUSY", "Device or resource busy")),
            Map.entry(17, new E("EEXIST", "File exists")),
            Map.entry(19, new E("ENODEV", "No such device")),
            Map.entry(22, new E("EINVAL", "Invalid argument")),
            Map.entry(24, new E("EMFILE", "Too many open files")),
            Map.entry(28, new E("ENOSPC", "No space left on device")),
            Map.entry(34, new E("ERANGE", "Numerical result out of range")),
            Map.entry(38, new E("ENOSYS", "Function not implemented")),
            Map.entry(71, new E("EPROTO", "Protocol error")),
            Map.entry(90, new E("EMSGSIZE", "Message too long")),
            Map.entry(93, new E("EPROTONOSUPPORT", "Protocol not supported")),
            Map.entry(95, new E("EOPNOTSUPP", "Operation not supported")),
            Map.entry(97, new E("EAFNOSUPPORT", "Address family not supported by protocol")),
            Map.entry(98, new E("EADDRINUSE", "Address already in use")),
            Map.entry(99, new E("EADDRNOTAVAIL", "Cannot assign requested address")),
            Map.entry(105, new E("ENOBUFS", "No buffer space available")),
            Map.entry(110, new E("ETIMEDOUT", "Connection timed out")),
            Map.entry(111, new E("ECONNREFUSED", "Connection refused")));

    private Errno() {
    }

    /** "EEXIST", or "E123" for a number not in the table. */
    public static String name(int errno) {
        E e = TABLE.get(Math.abs(errno));
        return e != null ? e.name : "E" + Math.abs(errno);
    }

    public static String message(int errno) {
        E e = TABLE.get(Math.abs(errno));
        return e != null ? e.message : "errno " + Math.abs(errno);
    }
}
