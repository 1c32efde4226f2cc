package io.lvscp.switchover;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lvs.switchover.*}: planned switch-over of a VRRP instance to a named director (see {@link SwitchoverService}).
 *
 * @param catchUpTimeout    how long a request waits (at most; a request may ask for less or more, up to 10 min) for
 *                          the target's IPVS table to come within the margin of the master's; then 504
 * @param handOverTimeout   after the hand-over starts, how long to wait for the target to report MASTER and the old
 *                          master not; then 504 and the request FAILED
 * @param marginPercent     caught up when the target has at least this share less than the master's connection entries ...
 * @param marginConnections ... or at most this many fewer (whichever allows more)
 * @param pollInterval      how often each director's agent reads the switch-over rows, and the request polls the database
 * @param priority          the new master's effective priority while the switch-over holds (1-254; above every
 *                          configured backup, so preempt does not take the instance back)
 */
@ConfigurationProperties("lvs.switchover")
public record SwitchoverProperties(@DefaultValue("30s") Duration catchUpTimeout, @DefaultValue("15s") Duration handOverTimeout,
        @DefaultValue("5") int marginPercent, @DefaultValue("10") long marginConnections, @DefaultValue("250ms") Duration pollInterval,
        @DefaultValue("254") int priority) {

    public SwitchoverProperties {
        if (priority < 1 || priority > 254) {
            throw new IllegalArgumentException("lvs.switchover.priority must be 1-254");
        }
        if (marginPercent < 0 || marginPercent > 100 || marginConnections < 0) {
            throw new IllegalArgumentException("lvs.switchover.margin-percent is 0-100 and margin-connections 0 or more");
        }
    }

    CatchUp.Margin margin() {
        return new CatchUp.Margin(marginPercent, marginConnections);
    }
}
