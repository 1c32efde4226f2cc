package io.lvscp.switchover;

import java.time.Instant;

/**
 * A switch-over as the API shows it.
 *
 * @param status            CATCHING_UP, HANDING_OVER, COMPLETED (the new master holds the raised priority), FAILED, CLEARED
 *                          (hold ended by DELETE) or SUPERSEDED (hold ended by a newer switch-over)
 * @param masterConnections connection entries in the old master's IPVS table at the hand-over (while catching up: the last seen)
 * @param targetConnections the same in the target's table
 * @param connectionsAtRisk the master's entries the target did not have at the hand-over (master minus target, at least 0)
 */
public record SwitchoverResponse(long id, String cluster, String instance, String from, String to, String status, int heldPriority,
        String requestedBy, Instant requestedAt, Instant handOverAt, Instant targetReadyAt, Instant releasedAt, Instant endedAt,
        Long masterConnections, Long targetConnections, Long connectionsAtRisk, String detail) {

    static SwitchoverResponse of(String cluster, SwitchoverRow r) {
        return new SwitchoverResponse(r.id(), cluster, r.instanceName(), r.fromNode(), r.targetNode(), r.status().name(), r.priority(),
                r.requestedBy(), r.requestedAt(), r.handOverAt(), r.targetReadyAt(), r.releasedAt(), r.endedAt(), r.masterConnections(),
                r.targetConnections(), r.atRisk(), r.detail());
    }
}
