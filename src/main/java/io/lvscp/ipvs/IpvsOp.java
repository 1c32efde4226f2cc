package io.lvscp.ipvs;

import io.lvscp.ipvs.netlink.IpvsCodec;
import io.lvscp.ipvs.netlink.Request;

/** One write the reconciler asks of the kernel. */
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

    /** "NEW_DEST TCP 172.18.42.42:80 -> 10.0.0.1:80 DIRECT_ROUTE w1", "SET_SERVICE TCP 172.18.42.42:80 wlc". */
    @Override
    public String toString() {
        String s = kind + " " + service.id();
        if (destination == null) {
            return kind == Kind.DEL_SERVICE ? s : s + " " + service.scheduler() + (service.timeout() > 0 ? " persistent " + service.timeout() : "");
        }
        String ep = io.lvscp.common.Addresses.hostPort(io.lvscp.common.Addresses.format(destination.address()), destination.port());
        return kind == Kind.DEL_DEST ? s + " -> " + ep : s + " -> " + ep + " " + destination.forward() + " w" + destination.weight();
    }
}
