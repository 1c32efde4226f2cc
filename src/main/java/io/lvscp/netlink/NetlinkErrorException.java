package io.lvscp.netlink;

import java.io.IOException;

/**
 * The kernel refused a request: an NLMSG_ERROR with a negative error code.
 * Carries the errno (positive), its name and the command that failed.
 */
public class NetlinkErrorException extends IOException {

    private final int errno;
    private final String command;
    private final String extendedMessage;

    public NetlinkErrorException(int errno, String command, String extendedMessage) {
        super(command + ": " + Errno.name(errno) + " (" + Errno.message(errno) + ")"
                + (extendedMessage == null ? "" : ": " + extendedMessage));
        this.errno = errno;
        this.command = command;
        this.extendedMessage = extendedMessage;
    }

    /** Positive errno, e.g. 17 for EEXIST. */
    public int errno() {
        return errno;
    }

    /** "EEXIST", "ENOENT", "ESRCH", ... */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The command that failed, e.g. "NEW_SERVICE TCP 172.18.42.42:80". */
    public String command() {
        return command;
    }

    /** The kernel's extended-ACK message, or null. */
    public String extendedMessage() {
        return extendedMessage;
    }
}
