package io.lvscp.common;

/** IPVS packet-forwarding method (keepalived's lb_kind). */
public enum Forwarding implements WireNamed {
    /** Direct routing: the director rewrites the MAC address only (the default). */
    DR,
    /** Masquerading: the director rewrites destination address and port. */
    NAT,
    /** IP-in-IP tunnelling to the real server. */
    TUN;

    @Override
    public String wireName() {
        return name();
    }

    /** DR and TUN cannot change the destination port. */
    public boolean keepsPort() {
        return this != NAT;
    }
}
