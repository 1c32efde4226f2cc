package io.lvscp.virtualserver;

import io.lvscp.api.PlainText;
import jakarta.validation.Valid;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of POST/PUT .../virtual-servers: either vip + port + protocol, or fwmark.
 * Health-check fields are the defaults of its real servers (keepalived's names).
 */
@JsonIgnoreProperties(value = {"id", "cluster", "ipFamily", "label", "realServerCount", "createdAt", "updatedAt"}, allowGetters = true)
public record VirtualServerRequest(@PlainText String name, @PlainText String vrrpInstance, @PlainText String vip, Integer port, @PlainText String protocol, Long fwmark,
        @PlainText String scheduler, @PlainText String forwarding, Integer persistenceTimeout, @PlainText String persistenceNetmask, Integer delayLoop,
        Integer connectTimeout, Integer retry, Integer delayBeforeRetry, Boolean alpha, Integer quorum, Integer hysteresis,
        @Valid SorryServer sorryServer, Long version) {

    /** Where traffic goes when no real server is up. */
    public record SorryServer(@PlainText String address, Integer port) {
    }
}
