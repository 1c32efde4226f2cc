package io.lvscp.cluster;

import io.lvscp.model.Cluster;
import java.time.Instant;

public record ClusterResponse(Long id, String name, String description, long version, Instant createdAt, Instant updatedAt) {

    static ClusterResponse of(Cluster c) {
        return new ClusterResponse(c.getId(), c.getName(), c.getDescription(), c.getVersion(), c.getCreatedAt(), c.getUpdatedAt());
    }
}
