package io.lvscp.ipvs;

/** IPVS forwarding method of a destination, with its IP_VS_CONN_F_* value. */
public enum Forward {
    NAT(0), LOCAL(1), TUNNEL(2), DIRECT_ROUTE(3);

    private final int wire;

    Forward(int wire) {
        this.wire = wire;
    }

    public int wireValue() {
        return wire;
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
