package io.lvscp.ipvs;

import io.lvscp.common.Forwarding;

/**
 * IPVS forwarding method of a destination, with its IP_VS_CONN_F_* value. The API's {@link Forwarding} has the three
 * an operator chooses; the kernel also knows LOCAL (IP_VS_CONN_F_LOCALNODE), which only a write asking for it sets
 * (the kernel stores the method it is given, also for a local address), so it is read back only after someone else
 * wrote it. Both mappings are here.
 */
public enum Forward {
    NAT(0), LOCAL(1), TUNNEL(2), DIRECT_ROUTE(3);

    private final int wire;

    Forward(int wire) {
        this.wire = wire;
    }

    public int wireValue() {
        return wire;
    }

    /** The method an operator chose (keepalived's lb_kind). */
    public static Forward of(Forwarding f) {
        return switch (f) {
            case DR -> DIRECT_ROUTE;
            case NAT -> NAT;
            case TUN -> TUNNEL;
        };
    }

    /** As the API and ipvsadm's lb_kind name it: DR, NAT, TUN, or LOCAL (which the API cannot ask for). */
    public String apiName() {
        return switch (this) {
            case DIRECT_ROUTE -> Forwarding.DR.name();
            case NAT -> Forwarding.NAT.name();
            case TUNNEL -> Forwarding.TUN.name();
            case LOCAL -> "LOCAL";
        };
    }

    /** From the kernel's value (only the low three bits, IP_VS_CONN_F_FWD_MASK, count). */
    public static Forward of(int wire) {
        int v = wire & 7;
        for (Forward f : values()) {
            if (f.wire == v) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown forwarding method " + wire);
    }
}
