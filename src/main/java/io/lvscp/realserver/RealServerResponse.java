package io.lvscp.realserver;

import io.lvscp.model.RealServer;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.lvscp.realserver.RealServerRequest.HealthCheck;
import java.time.Instant;

/**
 * A real server as the API shows it; {@code health} (read-only) is what this node's
 * health checks found, absent where this node does not check it.
 */
public record RealServerResponse(Long id, Long virtualServerId, String address, int port, int weight, String state,
        boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold, HealthCheck healthCheck, long version,
        Instant createdAt, Instant updatedAt, @JsonInclude(JsonInclude.Include.NON_NULL) RealServerHealth health) {

    public RealServerResponse(Long id, Long virtualServerId, String address, int port, int weight, String state,
            boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold, HealthCheck healthCheck, long version,
            Instant createdAt, Instant updatedAt) {
        this(id, virtualServerId, address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold, healthCheck, version,
                createdAt, updatedAt, null);
    }

    static RealServerResponse of(RealServer r) {
        HealthCheck hc = HealthCheck.of(r.getHealthCheck());
        return new RealServerResponse(r.getId(), r.getVirtualServerId(), r.getAddress(), r.getPort(), r.getWeight(),
                r.getState().wireName(), r.isInhibitOnFailure(), r.getUpperThreshold(), r.getLowerThreshold(), hc, r.getVersion(),
                r.getCreatedAt(), r.getUpdatedAt());
    }

    /** The same with this node's health findings. */
    public RealServerResponse withHealth(RealServerHealth h) {
        return new RealServerResponse(id, virtualServerId, address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold,
                healthCheck, version, createdAt, updatedAt, h);
    }
}
