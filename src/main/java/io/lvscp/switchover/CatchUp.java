package io.lvscp.switchover;

/** Whether a target director's IPVS table has caught up with the master's, by their connection entries. Pure. */
public final class CatchUp {

    private CatchUp() {
    }

    /** Caught up when the target is short of the master by at most {@code percent} of the master's count or {@code connections}, whichever is more. */
    public record Margin(int percent, long connections) {

        /** The shortfall allowed when the master has {@code master} entries. */
        public long allowed(long master) {
            long share = (Math.max(0, master) * percent + 99) / 100; // rounded up
            return Math.max(connections, share);
        }

        @Override
        public String toString() {
            return percent + "% or " + connections + " connections";
        }
    }

    /** How many of the master's connections the target does not have (0 when it has as many or more). */
    public static long atRisk(long master, long target) {
        return Math.max(0, master - target);
    }

    public static boolean caughtUp(long master, long target, Margin margin) {
        return atRisk(master, target) <= margin.allowed(master);
    }
}
