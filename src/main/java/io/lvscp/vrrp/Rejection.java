package io.lvscp.vrrp;

/** Why a received packet was not accepted; each maps to the keepalived counter it increments. */
public enum Rejection {
    /** Shorter than its headers, or its length disagrees with the address count. */
    PACKET_LENGTH(VrrpCounter.PACKET_LEN_ERR),
    /** IP protocol is not 112. */
    PROTOCOL(VrrpCounter.INVALID_TYPE_RCVD),
    /** IPv4 TTL or IPv6 hop limit is not 255. */
    TTL(VrrpCounter.IP_TTL_ERR),
    /** Version is neither 2 nor 3, or not the version this instance runs. */
    VERSION(VrrpCounter.VERS_ERR),
    /** Type is not 1 (ADVERTISEMENT). */
    TYPE(VrrpCounter.INVALID_TYPE_RCVD),
    /** The checksum does not verify. */
    CHECKSUM(VrrpCounter.CHK_ERR),
    /** The VRID is not this instance's. */
    VRID(VrrpCounter.VRID_ERR),
    /** v2: unknown auth type, or AH. */
    INVALID_AUTH_TYPE(VrrpCounter.INVALID_AUTHTYPE),
    /** v2: auth type differs from ours. */
    AUTH_TYPE_MISMATCH(VrrpCounter.AUTHTYPE_MISMATCH),
    /** v2: wrong password. */
    AUTH_FAILURE(VrrpCounter.AUTH_FAILURE),
    /** v2: advert interval differs from ours (v3 learns it instead). */
    ADVERT_INTERVAL(VrrpCounter.ADVERT_INTERVAL_ERR),
    /** The address list differs from our virtual addresses. */
    ADDRESS_LIST(VrrpCounter.ADDR_LIST_ERR);

    private final VrrpCounter counter;

    Rejection(VrrpCounter counter) {
        this.counter = counter;
    }

    public VrrpCounter counter() {
        return counter;
    }
}
