package io.lvscp.vrrp;

/**
 * Per-instance statistics, named after keepalived's {@code vrrp_stats} fields (keepalived
 * vrrp.h; also in {@code keepalived --signum=STATS} output) so dashboards read the same.
 */
public enum VrrpCounter {
    /** Adverts that passed every check. */
    ADVERT_RCVD(true),
    ADVERT_SENT(false),
    BECOME_MASTER(false),
    RELEASE_MASTER(false),
    PACKET_LEN_ERR(true),
    ADVERT_INTERVAL_ERR(true),
    IP_TTL_ERR(true),
    INVALID_TYPE_RCVD(true),
    ADDR_LIST_ERR(true),
    INVALID_AUTHTYPE(true),
    AUTHTYPE_MISMATCH(true),
    AUTH_FAILURE(true),
    PRI_ZERO_RCVD(false),
    PRI_ZERO_SENT(false),
    /** Checksum errors (keepalived's RFC SNMP counter chk_err). */
    CHK_ERR(true),
    /** Version errors (vers_err). */
    VERS_ERR(true),
    /** VRID errors (vrid_err). */
    VRID_ERR(true),
    /**
     * Adverts of another master received while master, which lose to us (lower priority, or equal
     * and a lower address): both held the VIP for a moment. Not a keepalived counter.
     */
    SPLIT_BRAIN(false);

    private final boolean receiveOutcome;

    VrrpCounter(boolean receiveOutcome) {
        this.receiveOutcome = receiveOutcome;
    }

    /** True for the counters of which exactly one is incremented per packet the validator sees. */
    public boolean isReceiveOutcome() {
        return receiveOutcome;
    }

    /** The metric-style name, e.g. "advert_rcvd". */
    public String keepalivedName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
