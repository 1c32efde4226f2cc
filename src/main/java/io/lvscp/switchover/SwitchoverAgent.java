package io.lvscp.switchover;

import io.lvscp.common.PeriodicThread;
import io.lvscp.LvsProperties;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.dataplane.LocalConnections;
import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A director's half of a planned switch-over (the API node's half is {@link SwitchoverService}). On its own
 * thread, every {@code lvs.switchover.poll-interval}: reads the vrrp_switchover rows naming this node and acts
 * as {@link AgentPlan} says (runs the instance at the held priority as target, acknowledges, releases once as
 * old master); every {@code lvs.directors.heartbeat-interval} it writes the connection entries of this node's
 * IPVS table next to its heartbeat (null in dry-run).
 */
@Component
public class SwitchoverAgent implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SwitchoverAgent.class);

    private final String node;
    private final SwitchoverProperties settings;
    private final Duration countInterval;
    private final SwitchoverStore store;
    private final DatabaseStatus database;
    private final ObjectProvider<VrrpNodeHandle> vrrp;
    private final Supplier<Long> counter;
    private final PeriodicThread thread = new PeriodicThread("switchover-agent");
    private long lastCountAt;
    private String lastError;

    @Autowired
    SwitchoverAgent(LvsProperties props, SwitchoverProperties settings, SwitchoverStore store, DatabaseStatus database,
            ObjectProvider<VrrpNodeHandle> vrrp, ObjectProvider<LocalConnections> connections) {
        this(props.nodeName(), props.directors().heartbeatInterval(), settings, store, database, vrrp, () -> countConnections(connections));
    }

    /** {@code counter}: the connection entries of this node's IPVS table, null when unknown. */
    SwitchoverAgent(String node, Duration countInterval, SwitchoverProperties settings, SwitchoverStore store, DatabaseStatus database,
            ObjectProvider<VrrpNodeHandle> vrrp, Supplier<Long> counter) {
        this.node = node;
        this.settings = settings;
        this.countInterval = countInterval;
        this.store = store;
        this.database = database;
        this.vrrp = vrrp;
        this.counter = counter;
    }

    /** The connection entries of this node's IPVS table (active + inactive of every destination); null in dry-run or on a failed read. */
    static Long countConnections(ObjectProvider<LocalConnections> connections) {
        LocalConnections c = connections.getIfAvailable();
        return c == null ? null : c.connectionCount();
    }

    /** One round. Never throws. */
    void tick() {
        if (!database.ready()) {
            return;
        }
        try {
            long now = System.nanoTime();
            if (now - lastCountAt >= countInterval.toNanos()) {
                lastCountAt = now;
                store.writeConnections(node, counter.get());
            }
            VrrpNodeHandle n = vrrp.getIfAvailable();
            if (n == null) {
                return;
            }
            List<SwitchoverRow> rows = store.rowsFor(node);
            Map<String, Integer> current = n.effectivePriorities();
            if (rows.isEmpty() && current.isEmpty()) {
                lastError = null;
                return;
            }
            Map<String, VrrpState> states = new LinkedHashMap<>();
            n.instances().forEach(s -> states.put(s.name(), s.state()));
            AgentPlan.Actions a = AgentPlan.decide(node, rows, current, states);
            a.setPriorities().forEach((instance, p) -> {
                n.setEffectivePriority(instance, p);
                log.info("Switch-over: node {} runs {} at {}", node, instance, p == null ? "its configured priority (hold ended)"
                        : "priority " + p + " (held as the switch-over's target)");
            });
            for (Long id : a.acknowledge()) {
                store.acknowledge(id);
            }
            for (AgentPlan.Release r : a.release()) {
                if (store.claimRelease(r.rowId())) {
                    boolean released = n.release(r.instance());
                    log.info("Switch-over {}: node {} {} {}", r.rowId(), node, released ? "released" : "was no longer master of", r.instance());
                }
            }
            lastError = null;
        } catch (RuntimeException e) {
            if (!DatabaseStatus.isConnectionFailure(e) && !e.toString().equals(lastError)) {
                lastError = e.toString();
                log.warn("Node {}: switch-over round failed: {}", node, e.toString());
            }
        }
    }

    @Override
    public void start() {
        thread.start(this::tick, settings.pollInterval());
    }

    @Override
    public void stop() {
        thread.stop();
    }

    @Override
    public boolean isRunning() {
        return thread.isRunning();
    }
}
