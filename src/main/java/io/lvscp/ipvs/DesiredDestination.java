package io.lvscp.ipvs;

import java.time.Duration;
import java.time.Instant;

/**
 * A real server as the control plane wants it, with what health checks and operators said.
 *
 * @param inhibitOnFailure when DOWN: keep it with weight 0 instead of removing it
 * @param drainingSince    when DRAINING: since when (the drain timeout counts from here)
 * @param drainTimeout     when DRAINING: this real server's own drain timeout; null: the reconciler's (lvs.reconcile.drain-timeout)
 * @param realServerId     the real server's id in the model, when the destination is one (null: a sorry server, a test)
 */
public record DesiredDestination(Destination destination, Status status, boolean inhibitOnFailure, Instant drainingSince,
        Duration drainTimeout, Long realServerId) {

    public enum Status { UP, DOWN, DRAINING }

    public DesiredDestination(Destination destination, Status status, boolean inhibitOnFailure, Instant drainingSince) {
        this(destination, status, inhibitOnFailure, drainingSince, null, null);
    }

    public static DesiredDestination up(Destination d) {
        return new DesiredDestination(d, Status.UP, false, null);
    }

    public static DesiredDestination down(Destination d, boolean inhibitOnFailure) {
        return new DesiredDestination(d, Status.DOWN, inhibitOnFailure, null);
    }

    public static DesiredDestination draining(Destination d, Instant since) {
        return new DesiredDestination(d, Status.DRAINING, false, since);
    }

    public static DesiredDestination draining(Destination d, Instant since, Duration timeout, Long realServerId) {
        return new DesiredDestination(d, Status.DRAINING, false, since, timeout, realServerId);
    }

    /** The drain timeout that applies: this real server's, else {@code fallback}. */
    public Duration drainTimeout(Duration fallback) {
        return drainTimeout != null ? drainTimeout : fallback;
    }
}
