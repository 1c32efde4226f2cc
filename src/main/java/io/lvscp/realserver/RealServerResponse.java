package io.lvscp.realserver;

import io.lvscp.model.RealServer;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.lvscp.realserver.RealServerRequest.HealthCheck;
import java.time.Instant;
import java.util.List;

/**
 * A real server as the API shows it; {@code health} (read-only) is what this node's
 * health checks found, absent where this node does not check it; {@code drainTimeout} its own drain timeout in
 * seconds (absent: the directors' default); {@code drain} (read-only, while it drains) where its drain stands on
 * each director.
 */
public record RealServerResponse(Long id, Long virtualServerId, String address, int port, int weight, String state,
        boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold, HealthCheck healthCheck, long version,
        Instant createdAt, Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) RealServerHealth health,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer drainTimeout, @JsonInclude(JsonInclude.Include.NON_NULL) Drain drain) {

    /**
     * A drain as the directors report it.
     *
     * @param since     when the drain started (the timeout counts from here)
     * @param directors each director's last report, by node name
     */
    public record Drain(Instant since, List<DirectorDrain> directors) {
    }

    /**
     * Where the drain stands on one director, as it last reported (after each round of its node agent).
     *
     * @param phase      WAITING (something left), DRAINED (nothing left: it left, or leaves, the director's table), TIMED_OUT
     *                   (the deadline passed with something left: it was removed anyway)
     * @param active     established connections left in that director's IPVS table
     * @param inactive   other connection entries left (FIN_WAIT, TIME_WAIT, every UDP entry)
     * @param templates  persistence templates left
     * @param inTable    whether it is still in that director's IPVS table
     * @param deadline   when that director removes it whatever is left
     */
    public record DirectorDrain(String node, String phase, int active, int inactive, int templates, boolean inTable, Instant deadline,
            Instant reportedAt) {
    }

    public RealServerResponse(Long id, Long virtualServerId, String address, int port, int weight, String state,
            boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold, HealthCheck healthCheck, long version,
            Instant createdAt, Instant updatedAt) {
        this(id, virtualServerId, address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold, healthCheck, version,
                createdAt, updatedAt, null, null, null);
    }

    public RealServerResponse(Long id, Long virtualServerId, String address, int port, int weight, String state,
            boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold, HealthCheck healthCheck, long version,
            Instant createdAt, Instant updatedAt, RealServerHealth health) {
        this(id, virtualServerId, address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold, healthCheck, version,
                createdAt, updatedAt, health, null, null);
    }

    static RealServerResponse of(RealServer r) {
        HealthCheck hc = HealthCheck.of(r.getHealthCheck());
        return new RealServerResponse(r.getId(), r.getVirtualServerId(), r.getAddress(), r.getPort(), r.getWeight(),
                r.getState().wireName(), r.isInhibitOnFailure(), r.getUpperThreshold(), r.getLowerThreshold(), hc, r.getVersion(),
                r.getCreatedAt(), r.getUpdatedAt(), null, r.getDrainTimeoutSeconds(), null);
    }

    /** The same with this node's health findings. */
    public RealServerResponse withHealth(RealServerHealth h) {
        return new RealServerResponse(id, virtualServerId, address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold,
                healthCheck, version, createdAt, updatedAt, h, drainTimeout, drain);
    }

    /** The same with the directors' drain reports. */
    public RealServerResponse withDrain(Drain d) {
        return new RealServerResponse(id, virtualServerId, address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold,
                healthCheck, version, createdAt, updatedAt, health, drainTimeout, d);
    }
}
