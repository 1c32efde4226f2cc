package io.lvscp.ipvs;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the drain of one real server stands on one director (pure). A draining real server is at
 * weight 0: no new connection goes to it, and it leaves IPVS when nothing the kernel holds for it is
 * left: no active connection, no inactive one (FIN_WAIT, TIME_WAIT, SYN_RECV, and every UDP entry:
 * a UDP real server never has an active one, its entries leave by the kernel's UDP expiry) and no
 * persistence template (a client's affinity, which would send it back). It leaves at the drain
 * timeout anyway, cutting what is left.
 *
 * @param phase      waiting, drained (nothing left) or timed out (something left at the deadline)
 * @param active     established connections left
 * @param inactive   other connection entries left
 * @param persistent persistence templates left
 * @param deadline   when it leaves whatever is left (null: no start time known, it waits for zero)
 */
public record DrainProgress(Phase phase, int active, int inactive, int persistent, Instant deadline) {

    public enum Phase {
        WAITING, DRAINED, TIMED_OUT;

        /** The real server leaves IPVS now. */
        public boolean done() {
            return this != WAITING;
        }
    }

    /** What is left: the connections, active and inactive, and the persistence templates. */
    public int left() {
        return active + inactive + persistent;
    }

    /**
     * @param have    the real server in the kernel's table now, with its counters; null when it is not there
     * @param since   when the drain started (null: unknown, no deadline)
     * @param timeout how long a drain may last
     */
    public static DrainProgress of(Destination have, Instant since, Duration timeout, Instant now) {
        Instant deadline = since == null ? null : since.plus(timeout);
        if (have == null) {
            return new DrainProgress(Phase.DRAINED, 0, 0, 0, deadline);
        }
        int a = Math.max(0, have.activeConnections());
        int i = Math.max(0, have.inactiveConnections());
        int p = Math.max(0, have.persistentConnections());
        Phase phase = a + i + p == 0 ? Phase.DRAINED : deadline != null && !now.isBefore(deadline) ? Phase.TIMED_OUT : Phase.WAITING;
        return new DrainProgress(phase, a, i, p, deadline);
    }
}
