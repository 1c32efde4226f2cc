package io.lvscp.ipvs;

import io.lvscp.common.Addresses;
import io.lvscp.ipvs.netlink.IpvsCodec;
import io.lvscp.ipvs.netlink.Request;

/** One write the reconciler asks of an IPVS table (the kernel's, or the dry-run's in memory). */
public record IpvsOp(Kind kind, VirtualService service, Destination destination) {

    public enum Kind { NEW_SERVICE, SET_SERVICE, DEL_SERVICE, NEW_DEST, SET_DEST, DEL_DEST }

    public Request toRequest() {
        return switch (kind) {
            case NEW_SERVICE -> IpvsCodec.newService(service);
            case SET_SERVICE -> IpvsCodec.setService(service);
            case DEL_SERVICE -> IpvsCodec.delService(service);
            case NEW_DEST -> IpvsCodec.newDestination(service, destination);
            case SET_DEST -> IpvsCodec.setDestination(service, destination);
            case DEL_DEST -> IpvsCodec.delDestination(service, destination);
        };
    }

    /** What it acts on: "TCP 172.18.42.42:80", "TCP 172.18.42.42:80 -> 10.0.0.1:80". */
    public String target() {
        return destination == null ? service.id() : service.id() + " -> " + endpoint();
    }

    /** "ipvsadm -A -t 172.18.42.42:80 -s rr", "ipvsadm -a -t 172.18.42.42:80 -r 10.0.0.1:80 -g -w 1", ... */
    public String ipvsadm() {
        String k = serviceArgs(service);
        return switch (kind) {
            case NEW_SERVICE -> "ipvsadm -A " + k + schedulerArgs(service);
            case SET_SERVICE -> "ipvsadm -E " + k + schedulerArgs(service);
            case DEL_SERVICE -> "ipvsadm -D " + k;
            case NEW_DEST -> "ipvsadm -a " + k + destinationArgs(destination);
            case SET_DEST -> "ipvsadm -e " + k + destinationArgs(destination);
            case DEL_DEST -> "ipvsadm -d " + k + " -r " + endpoint();
        };
    }

    private String endpoint() {
        return Addresses.hostPort(Addresses.format(destination.address()), destination.port());
    }

    /** ipvsadm's way to name a service: "-t 172.18.42.42:80", "-u [2001:db8::1]:53", "-f 7", "-f 8 -6". */
    static String serviceArgs(VirtualService s) {
        if (s.byMark()) {
            return "-f " + Integer.toUnsignedLong(s.fwmark()) + (s.family() == VirtualService.AF_INET6 ? " -6" : "");
        }
        String flag = switch (s.protocol()) {
            case VirtualService.TCP -> "-t";
            case VirtualService.UDP -> "-u";
            case VirtualService.SCTP -> "--sctp-service";
            default -> "--protocol-" + s.protocol();
        };
        return flag + " " + Addresses.hostPort(Addresses.format(s.address()), s.port());
    }

    private static String schedulerArgs(VirtualService s) {
        String args = " -s " + s.scheduler();
        if (s.timeout() > 0) {
            args += " -p " + s.timeout();
            int full = s.family() == VirtualService.AF_INET6 ? 128 : 32;
            if (s.netmask() != full) {
                args += " -M " + netmask(s.family(), s.netmask());
            }
        }
        return args;
    }

    private static String netmask(int family, int prefix) {
        if (family == VirtualService.AF_INET6) {
            return Integer.toString(prefix);
        }
        long m = (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return ((m >> 24) & 0xff) + "." + ((m >> 16) & 0xff) + "." + ((m >> 8) & 0xff) + "." + (m & 0xff);
    }

    private String destinationArgs(Destination d) {
        String method = switch (d.forward()) {
            case DIRECT_ROUTE -> "-g";
            case NAT, LOCAL -> "-m";
            case TUNNEL -> "-i";
        };
        String args = " -r " + endpoint() + " " + method + " -w " + d.weight();
        if (d.upperThreshold() > 0) {
            args += " -x " + d.upperThreshold();
        }
        if (d.lowerThreshold() > 0) {
            args += " -y " + d.lowerThreshold();
        }
        return args;
    }

    /** "NEW_DEST TCP 172.18.42.42:80 -> 10.0.0.1:80 DIRECT_ROUTE w1", "SET_SERVICE TCP 172.18.42.42:80 wlc". */
    @Override
    public String toString() {
        String s = kind + " " + service.id();
        if (destination == null) {
            return kind == Kind.DEL_SERVICE ? s : s + " " + service.scheduler() + (service.timeout() > 0 ? " persistent " + service.timeout() : "");
        }
        return kind == Kind.DEL_DEST ? s + " -> " + endpoint() : s + " -> " + endpoint() + " " + destination.forward() + " w" + destination.weight();
    }
}
