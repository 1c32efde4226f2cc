package io.lvscp.cluster;

import io.lvscp.cluster.RealServerRequest.HealthCheck;
import java.time.Instant;

public record RealServerResponse(Long id, Long virtualServerId, String address, int port, int weight, String state,
        boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold, HealthCheck healthCheck, long version,
        Instant createdAt, Instant updatedAt) {

    static RealServerResponse of(RealServer r) {
        HealthCheck hc = new HealthCheck(r.getCheckType().wireName(), r.getCheckPath(), r.getCheckStatusCodes(), r.getCheckDigest(),
                r.getCheckVirtualhost(), r.getCheckCommand(), r.getCheckConnectPort(), r.getConnectTimeout(), r.getRetry(),
                r.getDelayBeforeRetry(), r.getDelayLoop());
        return new RealServerResponse(r.getId(), r.getVirtualServerId(), r.getAddress(), r.getPort(), r.getWeight(),
                r.getState().wireName(), r.isInhibitOnFailure(), r.getUpperThreshold(), r.getLowerThreshold(), hc, r.getVersion(),
                r.getCreatedAt(), r.getUpdatedAt());
    }
}
