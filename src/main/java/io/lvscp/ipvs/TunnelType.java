package io.lvscp.ipvs;

/** Encapsulation of a TUN destination (IP_VS_CONN_F_TUNNEL_TYPE_*). */
public enum TunnelType {
    IPIP, GUE, GRE;

    public int wireValue() {
        return ordinal();
    }

    public static TunnelType of(int wire) {
        return values()[wire];
    }
}
