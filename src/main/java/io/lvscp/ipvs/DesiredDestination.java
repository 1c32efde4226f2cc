package io.lvscp.ipvs;

import java.time.Instant;

/**
 * A real server as the control plane wants it, with what health checks and operators said.
 *
 * @param inhibitOnFailure when DOWN: keep it with weight 0 instead of removing it
 * @param drainingSince    when DRAINING: since when (the drain timeout counts from here)
 */
public record DesiredDestination(Destination destination, Status status, boolean inhibitOnFailure, Instant drainingSince) {

    public enum Status { UP, DOWN, DRAINING }

    public static DesiredDestination up(Destination d) {
        return new DesiredDestination(d, Status.UP, false, null);
    }

    public static DesiredDestination down(Destination d, boolean inhibitOnFailure) {
        return new DesiredDestination(d, Status.DOWN, inhibitOnFailure, null);
    }

    public static DesiredDestination draining(Destination d, Instant since) {
        return new DesiredDestination(d, Status.DRAINING, false, since);
    }
}
