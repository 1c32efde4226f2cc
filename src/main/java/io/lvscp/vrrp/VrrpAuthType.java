package io.lvscp.vrrp;

import io.lvscp.common.AuthType;

/** The VRRPv2 "Auth Type" field (RFC 3768 section 5.3.6). VRRPv3 has no authentication. */
public enum VrrpAuthType {
    /** 0: no authentication; the 8 bytes of auth data are zero. */
    NONE(0),
    /** 1: simple text password, up to 8 bytes, zero padded (keepalived's auth_type PASS). */
    PASS(1),
    /** 2: IP Authentication Header; deprecated by RFC 3768 and always rejected here. */
    AH(2);

    private final int wireValue;

    VrrpAuthType(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** The auth type with this wire value, or null when there is none. */
    public static VrrpAuthType ofWire(int value) {
        for (VrrpAuthType t : values()) {
            if (t.wireValue == value) {
                return t;
            }
        }
        return null;
    }

    /** The wire auth type for the plan's setting. */
    public static VrrpAuthType of(AuthType type) {
        return type == AuthType.PASS ? PASS : NONE;
    }
}
