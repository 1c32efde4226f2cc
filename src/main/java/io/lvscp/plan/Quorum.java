package io.lvscp.plan;

/**
 * A virtual server's quorum with keepalived's hysteresis (keepalived.conf(5): quorum, hysteresis): while up it stays
 * up until the live weight falls below quorum - hysteresis; while down it comes up only at quorum + hysteresis. With
 * no state yet (a start), it is up when the live weight is at least quorum + hysteresis, as keepalived starts.
 */
public final class Quorum {

    private Quorum() {
    }

    /**
     * @param wasUp      the state at the last compile, or null for none
     * @param liveWeight the sum of the weights of the destinations that take new connections
     */
    public static boolean up(Boolean wasUp, long liveWeight, int quorum, int hysteresis) {
        if (wasUp == null) {
            return liveWeight >= (long) quorum + hysteresis;
        }
        return wasUp ? liveWeight >= (long) quorum - hysteresis : liveWeight >= (long) quorum + hysteresis;
    }
}
