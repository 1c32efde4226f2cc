package io.lvscp.linux;

import io.lvscp.netlink.Errno;
import java.io.IOException;

/** A system call failed: carries the call, errno and its name (ENOBUFS, EAGAIN, ...) and strerror's text. */
public class SyscallException extends IOException {

    private final int errno;

    public SyscallException(String call, int errno, String strerror) {
        super(call + ": " + Errno.name(errno) + " (" + strerror + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }
}
