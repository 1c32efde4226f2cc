package io.lvscp.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of POST/PUT .../virtual-servers: either vip + port + protocol, or fwmark.
 * Health-check fields are the defaults of its real servers (keepalived's names).
 */
@JsonIgnoreProperties(value = {"id", "cluster", "ipFamily", "label", "realServerCount", "createdAt", "updatedAt"}, allowGetters = true)
public record VirtualServerRequest(String name, String vrrpInstance, String vip, Integer port, String protocol, Long fwmark,
        String scheduler, String forwarding, Integer persistenceTimeout, String persistenceNetmask, Integer delayLoop,
        Integer connectTimeout, Integer retry, Integer delayBeforeRetry, Boolean alpha, Integer quorum, Integer hysteresis,
        SorryServer sorryServer, Long version) {

    /** Where traffic goes when no real server is up. */
    public record SorryServer(String address, Integer port) {
    }
}
