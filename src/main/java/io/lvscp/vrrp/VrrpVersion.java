package io.lvscp.vrrp;

/** The VRRP protocol version: the high nibble of the first byte of an advertisement. */
public enum VrrpVersion {
    /** RFC 3768: IPv4 only, interval in seconds, optional simple-text authentication. */
    V2(2),
    /** RFC 5798: IPv4 or IPv6, 12-bit interval in centiseconds, checksum with pseudo-header. */
    V3(3);

    private final int wireValue;

    VrrpVersion(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** The version with this wire value, or null when there is none. */
    public static VrrpVersion ofWire(int value) {
        for (VrrpVersion v : values()) {
            if (v.wireValue == value) {
                return v;
            }
        }
        return null;
    }
}
