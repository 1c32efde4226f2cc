package io.lvscp.dataplane;

import io.lvscp.api.ApiException;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.Director;
import io.lvscp.model.RealServer;
import io.lvscp.model.VirtualServer;
import io.lvscp.model.VrrpInstance;
import io.lvscp.common.AuthType;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanCompiler;
import io.lvscp.plan.PlanInput;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads one director's rows and runs the (pure) plan compiler over them. */
@Service
public class PlanService {

    private final NodeRows rows;
    private final ConfigGeneration generation;
    private final HealthRegistry health;
    private final Map<String, PlanInput> lastInputs = new ConcurrentHashMap<>();
    /** Per node, each virtual server's quorum state at the last compile: hysteresis needs the state before. */
    private final Map<String, Map<Long, Boolean>> quorumUp = new ConcurrentHashMap<>();

    private final QuorumMetrics quorumMetrics;

    PlanService(NodeRows rows, ConfigGeneration generation, HealthRegistry health, QuorumMetrics quorumMetrics) {
        this.quorumMetrics = quorumMetrics;
        this.health = health;
        this.rows = rows;
        this.generation = generation;
    }

    /** The desired state of a node; 404 when no director has that node name. */
    @Transactional(readOnly = true)
    public DesiredState desired(String node) {
        return find(node).orElseThrow(() -> ApiException.notFound("node '" + node + "'", "no director has this node name"));
    }

    /** The desired state of a node, or empty when no director has that node name. */
    @Transactional(readOnly = true)
    public Optional<DesiredState> find(String node) {
        long gen = generation.current();
        Optional<NodeRows.Rows> found = rows.read(node);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Director d = found.get().director();
        List<PlanInput.Instance> inInstances = found.get().instances().stream().map(PlanService::instance).toList();
        List<VirtualServer> vss = found.get().virtualServers();
        List<RealServer> rss = found.get().realServers();
        Map<Long, io.lvscp.plan.SyncDaemonSpec> sync = new HashMap<>();
        for (VrrpInstance i : found.get().instances()) {
            VrrpInstance.LvsSync s = i.getLvsSync();
            if (s != null) {
                sync.put(i.getId(), new io.lvscp.plan.SyncDaemonSpec(i.getName(), s.interfaceName(), s.syncId(),
                        s.maxLength() == null ? 0 : s.maxLength(), s.group(), s.port() == null ? 0 : s.port(), s.ttl() == null ? 0 : s.ttl()));
            }
        }
        PlanInput input = new PlanInput(node, d.getId(), d.getCluster().getName(), gen, inInstances,
                vss.stream().map(PlanService::virtualServer).toList(), rss.stream().map(PlanService::realServer).toList(), health.downRealServers(),
                Map.of(), sync);
        lastInputs.put(node, input);
        return Optional.of(compileAndKeepQuorum(input));
    }

    /**
     * Compiles with the node's quorum states from the last compile and keeps the new ones. A compile with the same
     * inputs gives the same states again, so {@code /plan} and the agent may both call it.
     */
    private DesiredState compileAndKeepQuorum(PlanInput input) {
        PlanCompiler.Compiled c = PlanCompiler.compileWithQuorum(input.with(input.downRealServers(),
                quorumUp.getOrDefault(input.node(), Map.of())));
        quorumUp.put(input.node(), c.quorumUp());
        quorumMetrics.update(input, c.quorumUp());
        return c.desired();
    }

    /** The rows the last successful {@link #find} of this node read (for the local last good state), or null. */
    public PlanInput lastInput(String node) {
        return lastInputs.get(node);
    }

    /** Compiles rows read earlier with the health checks' current down set (no database access). */
    public DesiredState compile(PlanInput input) {
        return compileAndKeepQuorum(input.with(health.downRealServers(), Map.of()));
    }

    private static PlanInput.Instance instance(VrrpInstance i) {
        Map<Long, Integer> prio = new HashMap<>();
        i.getPriorities().forEach(p -> prio.put(p.getDirectorId(), p.getPriority()));
        return new PlanInput.Instance(i.getId(), i.getName(), i.getVrid(), i.getInterfaceName(), i.getIpFamily(), i.getVrrpVersion(),
                i.getAdvertInterval(), i.isPreempt(), i.getPreemptDelay(), i.getAuthType() == AuthType.PASS, i.getMulticastGroup(),
                List.copyOf(i.getUnicastPeers()), i.getSyncGroup(), prio,
                i.getVips().stream().map(v -> new PlanInput.Vip(v.getAddress(), v.getPrefixLength(), v.getDevice(), v.getLabel())).toList());
    }

    private static PlanInput.VirtualServer virtualServer(VirtualServer v) {
        return new PlanInput.VirtualServer(v.getId(), v.getVrrpInstanceId(), v.getIpFamily(), v.getVip(), v.getPort(), v.getProtocol(),
                v.getFwmark(), v.getScheduler(), v.getForwarding(), v.getPersistenceTimeout(), v.getPersistenceNetmask(), v.getQuorum(),
                v.getSorryAddress(), v.getSorryPort(), v.getHysteresis());
    }

    private static PlanInput.RealServer realServer(RealServer r) {
        return new PlanInput.RealServer(r.getId(), r.getVirtualServerId(), r.getAddress(), r.getPort(), r.getWeight(), r.getState(),
                r.isInhibitOnFailure(), r.getUpperThreshold(), r.getLowerThreshold(), r.getStateChangedAt(),
                r.getDrainTimeoutSeconds());
    }
}
