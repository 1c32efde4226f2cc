package io.lvscp.plan;

import io.lvscp.common.Addresses.Family;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.common.RealServerState;
import io.lvscp.common.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the compiler needs about one director, as plain values read from the
 * database (so the compiler itself does no I/O).
 *
 * @param node              the director's node name
 * @param directorId        its id, the key of the instances' priorities
 * @param generation        the configuration generation these rows were read at
 * @param instances         the VRRP instances of its cluster
 * @param virtualServers    the virtual servers of those instances
 * @param realServers       their real servers
 * @param downRealServers   ids of real servers that health checks currently report down
 * @param quorumUp          by virtual server id, whether its quorum was up at the last compile for this node (state the
 *                          caller keeps, for hysteresis); a virtual server not in it starts as keepalived does: up when
 *                          its live weight is at least quorum + hysteresis
 * @param connectionSync    by instance id, the connection-synchronisation settings of the instances that have them (empty in
 *                          a local state file written before they existed)
 */
public record PlanInput(String node, long directorId, String cluster, long generation, List<Instance> instances,
        List<VirtualServer> virtualServers, List<RealServer> realServers, Set<Long> downRealServers, Map<Long, Boolean> quorumUp,
        Map<Long, SyncDaemonSpec> connectionSync) {

    public PlanInput {
        quorumUp = quorumUp == null ? Map.of() : Map.copyOf(quorumUp);
        connectionSync = connectionSync == null ? Map.of() : Map.copyOf(connectionSync);
    }

    public PlanInput(String node, long directorId, String cluster, long generation, List<Instance> instances,
            List<VirtualServer> virtualServers, List<RealServer> realServers, Set<Long> downRealServers, Map<Long, Boolean> quorumUp) {
        this(node, directorId, cluster, generation, instances, virtualServers, realServers, downRealServers, quorumUp, Map.of());
    }

    public PlanInput(String node, long directorId, String cluster, long generation, List<Instance> instances,
            List<VirtualServer> virtualServers, List<RealServer> realServers, Set<Long> downRealServers) {
        this(node, directorId, cluster, generation, instances, virtualServers, realServers, downRealServers, Map.of());
    }

    /** The same rows with another down set and quorum state. */
    public PlanInput with(Set<Long> down, Map<Long, Boolean> quorum) {
        return new PlanInput(node, directorId, cluster, generation, instances, virtualServers, realServers, down, quorum, connectionSync);
    }

    public record Instance(long id, String name, int vrid, String interfaceName, Family family, int vrrpVersion, int advertInterval,
            boolean preempt, int preemptDelay, boolean authPass, String multicastGroup, List<String> unicastPeers, String syncGroup,
            Map<Long, Integer> priorityByDirector, List<Vip> vips) {
    }

    public record Vip(String address, int prefixLength, String device, String label) {
    }

    /**
     * @param quorum     the live weight the service needs, else its sorry server is added (keepalived's quorum)
     * @param hysteresis keepalived's hysteresis: quorum goes up at quorum + hysteresis, down below quorum - hysteresis
     *                   (null, as in a local state file written before it counted: 0)
     */
    public record VirtualServer(long id, long instanceId, Family family, String vip, Integer port, Protocol protocol, Long fwmark,
            Scheduler scheduler, Forwarding forwarding, Integer persistenceTimeout, Integer persistenceNetmask, int quorum,
            String sorryAddress, Integer sorryPort, Integer hysteresis) {

        public VirtualServer {
            // absent in local state files written before hysteresis was acted on
            hysteresis = hysteresis == null ? 0 : hysteresis;
        }

        public VirtualServer(long id, long instanceId, Family family, String vip, Integer port, Protocol protocol, Long fwmark,
                Scheduler scheduler, Forwarding forwarding, Integer persistenceTimeout, Integer persistenceNetmask, int quorum,
                String sorryAddress, Integer sorryPort) {
            this(id, instanceId, family, vip, port, protocol, fwmark, scheduler, forwarding, persistenceTimeout, persistenceNetmask,
                    quorum, sorryAddress, sorryPort, 0);
        }
    }

    /** @param drainTimeoutSeconds this real server's drain timeout; null: the director's lvs.reconcile.drain-timeout */
    public record RealServer(long id, long virtualServerId, String address, int port, int weight, RealServerState state,
            boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold, java.time.Instant stateChangedAt,
            Integer drainTimeoutSeconds) {

        public RealServer(long id, long virtualServerId, String address, int port, int weight, RealServerState state,
                boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold, java.time.Instant stateChangedAt) {
            this(id, virtualServerId, address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold, stateChangedAt, null);
        }

        public RealServer(long id, long virtualServerId, String address, int port, int weight, RealServerState state,
                boolean inhibitOnFailure, Integer upperThreshold, Integer lowerThreshold) {
            this(id, virtualServerId, address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold, null);
        }
    }
}
