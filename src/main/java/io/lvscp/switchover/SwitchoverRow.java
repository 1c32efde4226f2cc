package io.lvscp.switchover;

import java.time.Instant;

/** One vrrp_switchover row (V9). */
public record SwitchoverRow(long id, long instanceId, String instanceName, String fromNode, String targetNode, Status status,
        int priority, String requestedBy, Instant requestedAt, Instant handOverAt, Instant targetReadyAt, Instant releasedAt,
        Instant endedAt, Long masterConnections, Long targetConnections, String detail) {

    /** Where a request stands; see V9__switchover.sql. */
    public enum Status {
        CATCHING_UP, HANDING_OVER, COMPLETED, FAILED, CLEARED, SUPERSEDED;

        /** The target runs at the raised priority in these. */
        public boolean holds() {
            return this == HANDING_OVER || this == COMPLETED;
        }

        /** Still going on, or holding: at most one row per instance is in one of these. */
        public boolean active() {
            return this == CATCHING_UP || holds();
        }
    }

    /** Connections at risk at the hand-over: the master's entries the target did not have. */
    public Long atRisk() {
        return masterConnections == null || targetConnections == null ? null : CatchUp.atRisk(masterConnections, targetConnections);
    }
}
