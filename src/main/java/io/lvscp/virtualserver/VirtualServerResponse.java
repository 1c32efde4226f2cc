package io.lvscp.virtualserver;

import io.lvscp.common.Netmasks;
import io.lvscp.model.VirtualServer;
import io.lvscp.virtualserver.VirtualServerRequest.SorryServer;
import java.time.Instant;

public record VirtualServerResponse(Long id, String cluster, String name, String label, String vrrpInstance, String ipFamily, String vip,
        Integer port, String protocol, Long fwmark, String scheduler, String forwarding, Integer persistenceTimeout,
        String persistenceNetmask, int delayLoop, int connectTimeout, int retry, int delayBeforeRetry, boolean alpha, int quorum,
        int hysteresis, SorryServer sorryServer, long version, Instant createdAt, Instant updatedAt) {

    static VirtualServerResponse of(VirtualServer v, String clusterName, String instanceName) {
        return new VirtualServerResponse(v.getId(), clusterName, v.getName(), v.label(), instanceName, v.getIpFamily().name(), v.getVip(),
                v.getPort(), v.getProtocol().wireName(), v.getFwmark(), v.getScheduler().wireName(), v.getForwarding().wireName(),
                v.getPersistenceTimeout(), Netmasks.format(v.getIpFamily(), v.getPersistenceNetmask()), v.getDelayLoop(),
                v.getConnectTimeout(), v.getRetry(), v.getDelayBeforeRetry(), v.isAlpha(), v.getQuorum(), v.getHysteresis(),
                v.getSorryAddress() == null ? null : new SorryServer(v.getSorryAddress(), v.getSorryPort()), v.getVersion(),
                v.getCreatedAt(), v.getUpdatedAt());
    }
}
