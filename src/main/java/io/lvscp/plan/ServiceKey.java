package io.lvscp.plan;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.common.Protocol;
import java.util.Comparator;

/**
 * How IPVS identifies a virtual service: protocol + address + port, or a firewall
 * mark with its address family.
 */
public record ServiceKey(Family family, Protocol protocol, String address, int port, long fwmark) implements Comparable<ServiceKey> {

    private static final Comparator<ServiceKey> ORDER = Comparator.comparing(ServiceKey::family)
            .thenComparingLong(ServiceKey::fwmark)
            .thenComparing(k -> k.protocol == null ? "" : k.protocol.name())
            .thenComparing(k -> k.address == null ? "" : k.address)
            .thenComparingInt(ServiceKey::port);

    public static ServiceKey of(Protocol protocol, String address, int port) {
        return new ServiceKey(Addresses.family(address), protocol, address, port, 0);
    }

    public static ServiceKey fwmark(Family family, long mark) {
        return new ServiceKey(family, null, null, 0, mark);
    }

    public boolean byMark() {
        return fwmark != 0;
    }

    /** ipvsadm's way to name it: "-t 172.18.42.42:80", "-u [2001:db8::1]:53", "-f 7". */
    public String ipvsadmArgs() {
        if (byMark()) {
            return "-f " + fwmark + (family == Family.IPV6 ? " -6" : "");
        }
        String flag = switch (protocol) {
            case TCP -> "-t";
            case UDP -> "-u";
            case SCTP -> "--sctp-service";
        };
        return flag + " " + Addresses.hostPort(address, port);
    }

    @Override
    public String toString() {
        return byMark() ? "FWM " + fwmark + " " + family : protocol + " " + Addresses.hostPort(address, port);
    }

    @Override
    public int compareTo(ServiceKey o) {
        return ORDER.compare(this, o);
    }
}
