package io.lvscp.common;

/** VRRP authentication (RFC 3768 section 5.3.6; VRRPv3 has none). */
public enum AuthType implements WireNamed {
    NONE, PASS;

    @Override
    public String wireName() {
        return name();
    }
}
