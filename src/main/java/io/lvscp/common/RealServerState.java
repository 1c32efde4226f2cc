package io.lvscp.common;

/** Administrative state of a real server, set by operators. */
public enum RealServerState implements WireNamed {
    /** In the IPVS table with its configured weight. */
    ENABLED,
    /** In the table with weight 0: existing connections finish, no new ones arrive. */
    DRAINING,
    /** Not in the table. */
    DISABLED;

    @Override
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
