package io.lvscp.director;

import io.lvscp.model.Director;
import java.time.Instant;

public record DirectorResponse(Long id, String cluster, String nodeName, String managementAddress, String interfaceName, long version,
        Instant createdAt, Instant updatedAt) {

    static DirectorResponse of(Director d) {
        return new DirectorResponse(d.getId(), d.getCluster().getName(), d.getNodeName(), d.getManagementAddress(), d.getInterfaceName(),
                d.getVersion(), d.getCreatedAt(), d.getUpdatedAt());
    }
}
