package io.lvscp.vrrp.linux;

import io.lvscp.linux.Native;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Link notifications: a NETLINK_ROUTE socket in the RTNLGRP_LINK multicast group, non-blocking.
 * {@link #changes()} returns each interface whose up-and-running state changed (IFF_UP and
 * IFF_RUNNING, as keepalived reads it), by name; a deleted link is down.
 */
public final class RtnetlinkLinkMonitor implements Closeable {

    static final int RTMGRP_LINK = 1;
    static final int RTM_NEWLINK = io.lvscp.netlink.Netlink.RTM_NEWLINK;
    static final int RTM_DELLINK = io.lvscp.netlink.Netlink.RTM_DELLINK;
    static final int IFLA_IFNAME = 3;
    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;

    /** One link's state from one notification. */
    public record Link(String name, boolean up) {
    }

    private final int fd;
    private final Map<String, Boolean> known = new HashMap<>();
    /** recv's buffer, kept between calls ({@link #changes()} runs every round of the VRRP loop). */
    private final byte[] buffer = new byte[16384];

    public RtnetlinkLinkMonitor() throws IOException {
        fd = Native.check(Native.LIBC.socket(Native.AF_NETLINK, Native.SOCK_RAW, Native.NETLINK_ROUTE), "netlink socket");
        try {
            byte[] local = new byte[12]; // struct sockaddr_nl: family, pad, pid 0 (the kernel assigns), groups
            local[0] = (byte) Native.AF_NETLINK;
            System.arraycopy(Native.intValue(RTMGRP_LINK), 0, local, 8, 4);
            Native.check(Native.LIBC.bind(fd, local, local.length), "bind RTMGRP_LINK");
            Native.nonBlocking(fd);
        } catch (IOException e) {
            Native.LIBC.close(fd);
            throw e;
        }
    }

    public int fd() {
        return fd;
    }

    /** Tells the monitor what an interface is now, so only a real change is reported. */
    public void assume(String name, boolean up) {
        known.put(name, up);
    }

    /** The links whose state changed since the last call; never blocks. */
    public List<Link> changes() throws IOException {
        List<Link> out = null; // the VRRP loop asks every round, and nearly always nothing changed: nothing allocated
        byte[] buffer = this.buffer;
        while (true) {
            long n = Native.LIBC.recv(fd, buffer, buffer.length, 0);
            if (n < 0) {
                int e = Native.errno();
                if (e == Native.EAGAIN || e == Native.EINTR) {
                    return out == null ? List.of() : out;
                }
                throw Native.error("recv link notifications");
            }
            for (Link l : parse(buffer, (int) n)) {
                Boolean before = known.put(l.name(), l.up());
                if (before == null || before != l.up()) {
                    if (out == null) {
                        out = new ArrayList<>();
                    }
                    out.add(l);
                }
            }
        }
    }

    /** The RTM_NEWLINK / RTM_DELLINK messages of one datagram (nlmsghdr, ifinfomsg, IFLA_* attributes). */
    static List<Link> parse(byte[] data, int length) {
        List<Link> links = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        int offset = 0;
        while (offset + 16 <= length) {
            int len = b.getInt(offset);
            int type = b.getShort(offset + 4) & 0xffff;
            if (len < 16 || offset + len > length) {
                break;
            }
            if ((type == RTM_NEWLINK || type == RTM_DELLINK) && len >= 32) {
                int flags = b.getInt(offset + 16 + 8);
                String name = null;
                int a = offset + 32;
                while (a + 4 <= offset + len) {
                    int alen = b.getShort(a) & 0xffff;
                    int atype = b.getShort(a + 2) & 0x3fff;
                    if (alen < 4 || a + alen > offset + len) {
                        break;
                    }
                    if (atype == IFLA_IFNAME) {
                        int end = a + 4;
                        while (end < a + alen && data[end] != 0) {
                            end++;
                        }
                        name = new String(data, a + 4, end - a - 4, StandardCharsets.US_ASCII);
                    }
                    a += (alen + 3) & ~3;
                }
                if (name != null) {
                    boolean up = type == RTM_NEWLINK && (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
                    links.add(new Link(name, up));
                }
            }
            offset += (len + 3) & ~3;
        }
        return links;
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
