package io.lvscp.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of POST/PUT .../real-servers. With DR or TUN forwarding the port defaults to
 * the virtual server's (IPVS cannot change it); health-check knobs left out inherit
 * the virtual server's defaults.
 */
@JsonIgnoreProperties(value = {"id", "cluster", "virtualServerId", "virtualServer", "createdAt", "updatedAt"}, allowGetters = true)
public record RealServerRequest(String address, Integer port, Integer weight, String state, Boolean inhibitOnFailure,
        Integer upperThreshold, Integer lowerThreshold, HealthCheck healthCheck, Long version) {

    /** keepalived's checker for one real server. */
    public record HealthCheck(String type, String path, String statusCodes, String digest, String virtualhost, String command,
            Integer connectPort, Integer connectTimeout, Integer retry, Integer delayBeforeRetry, Integer delayLoop) {
    }
}
