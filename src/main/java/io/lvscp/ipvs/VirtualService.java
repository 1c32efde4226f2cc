package io.lvscp.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A virtual service as the kernel knows it: identified by protocol + address + port, or
 * by firewall mark + address family; with its scheduler, flags and persistence.
 *
 * @param family     AF_INET (2) or AF_INET6 (10)
 * @param protocol   IP protocol number (6, 17, 132); 0 for a firewall-mark service
 * @param address    null for a firewall-mark service
 * @param fwmark     0 unless the service is a firewall-mark service
 * @param flags      IP_VS_SVC_F_* bits ({@link ServiceFlags}); PERSISTENT is set when timeout > 0
 * @param timeout    persistence timeout in seconds
 * @param netmask    persistence granularity: prefix length (0..32 for IPv4, 1..128 for IPv6)
 * @param peName     persistence engine ("sip") or null
 * @param stats      counters read from the kernel, or null in a request
 */
public record VirtualService(int family, int protocol, InetAddress address, int port, int fwmark,
        String scheduler, int flags, int timeout, int netmask, String peName, Stats stats) {

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int SCTP = 132;

    public VirtualService {
        Objects.requireNonNull(scheduler, "scheduler");
        if (fwmark == 0) {
            Objects.requireNonNull(address, "address (or a firewall mark)");
        }
    }

    public static VirtualService of(int protocol, InetAddress address, int port, String scheduler) {
        int family = familyOf(address);
        return new VirtualService(family, protocol, address, port, 0, scheduler, 0, 0,
                family == AF_INET6 ? 128 : 32, null, null);
    }

    /** A service as the API names it: by firewall mark (with its family) when {@code fwmark} is set, else protocol, address, port. */
    public static VirtualService of(io.lvscp.common.Addresses.Family family, Long fwmark, io.lvscp.common.Protocol protocol, String address,
            Integer port, String scheduler) {
        return fwmark != null && fwmark != 0
                ? fwmark(family == io.lvscp.common.Addresses.Family.IPV6 ? AF_INET6 : AF_INET, (int) (long) fwmark, scheduler)
                : of(protocol.number(), io.lvscp.common.Addresses.parse(address), port == null ? 0 : port, scheduler);
    }

    public static VirtualService fwmark(int family, int mark, String scheduler) {
        return new VirtualService(family, 0, null, 0, mark, scheduler, 0, 0,
                family == AF_INET6 ? 128 : 32, null, null);
    }

    public static int familyOf(InetAddress a) {
        return a instanceof Inet6Address ? AF_INET6 : AF_INET;
    }

    /** Persistent for the given seconds with this prefix length as granularity. */
    public VirtualService persistent(int seconds, int prefixLength) {
        return new VirtualService(family, protocol, address, port, fwmark, scheduler,
                seconds > 0 ? flags | ServiceFlags.PERSISTENT : flags & ~ServiceFlags.PERSISTENT, seconds,
                prefixLength, peName, stats);
    }

    public VirtualService withScheduler(String name) {
        return new VirtualService(family, protocol, address, port, fwmark, name, flags, timeout, netmask, peName, stats);
    }

    public VirtualService withFlags(int f) {
        return new VirtualService(family, protocol, address, port, fwmark, scheduler, f, timeout, netmask, peName, stats);
    }

    /** Only what identifies the service (for comparisons of identity). */
    public boolean sameKey(VirtualService o) {
        return family == o.family && protocol == o.protocol && port == o.port && fwmark == o.fwmark
                && Objects.equals(address, o.address);
    }

    public boolean byMark() {
        return fwmark != 0;
    }

    /** How ipvsadm -Ln names the service: "TCP 172.18.42.42:80", "UDP [2001:db8::1]:53", "FWM 7", "FWM 8 IPv6". */
    public String id() {
        return byMark() ? "FWM " + fwmark + (family == AF_INET6 ? " IPv6" : "")
                : switch (protocol) { case TCP -> "TCP"; case UDP -> "UDP"; case SCTP -> "SCTP"; default -> "proto" + protocol; }
                        + " " + io.lvscp.common.Addresses.hostPort(io.lvscp.common.Addresses.format(address), port);
    }

    @Override
    public String toString() {
        return id() + " " + scheduler + (timeout > 0 ? " persistent " + timeout : "");
    }
}
