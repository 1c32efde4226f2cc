package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.cluster.ConfigGeneration;
import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanDiff;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps this node's data plane at its desired state: polls the configuration
 * generation, and on a change (or every resync interval) compiles the plan and
 * applies the difference. When the database cannot be read it keeps what it has.
 */
public class NodeAgent implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    /** What the agent last did, for the health endpoint and the plan. */
    public record Status(String node, long appliedGeneration, Instant lastAppliedAt, Instant lastCheckedAt, String lastError) {
    }

    private final String node;
    private final DataPlane dataPlane;
    private final PlanService plans;
    private final ConfigGeneration generation;
    private final TaskScheduler scheduler;
    private final LvsProperties.Reconcile settings;
    private final Clock clock;
    private volatile Status status;
    private volatile ScheduledFuture<?> task;

    public NodeAgent(String node, DataPlane dataPlane, PlanService plans, ConfigGeneration generation, TaskScheduler scheduler,
            LvsProperties.Reconcile settings, Clock clock) {
        this.node = node;
        this.dataPlane = dataPlane;
        this.plans = plans;
        this.generation = generation;
        this.scheduler = scheduler;
        this.settings = settings;
        this.clock = clock;
        this.status = new Status(node, -1, null, null, null);
    }

    public Status status() {
        return status;
    }

    /** One round: apply the plan if the generation moved or a resync is due. Never throws. */
    public synchronized void reconcile() {
        Instant now = clock.instant();
        Status s = status;
        try {
            long gen = generation.current();
            boolean resyncDue = s.lastAppliedAt() == null || !now.isBefore(s.lastAppliedAt().plus(settings.resyncInterval()));
            if (gen == s.appliedGeneration() && !resyncDue) {
                status = new Status(node, s.appliedGeneration(), s.lastAppliedAt(), now, null);
                return;
            }
            DesiredState desired = plans.find(node).orElse(null);
            DataPlaneTable want = desired == null ? DataPlaneTable.EMPTY : desired.table();
            long wantGen = desired == null ? gen : desired.generation();
            List<Change> changes = PlanDiff.between(dataPlane.read(), want);
            if (!changes.isEmpty()) {
                log.info("Applying generation {} to the {} data plane of node {}: {} step(s)", wantGen, dataPlane.mode(), node,
                        changes.size());
                dataPlane.apply(changes, wantGen);
            }
            status = new Status(node, wantGen, now, now, null);
        } catch (RuntimeException e) {
            if (s.lastError() == null) {
                log.warn("Cannot reconcile node {}: {} (keeping the data plane as it is)", node, e.toString());
            }
            status = new Status(node, s.appliedGeneration(), s.lastAppliedAt(), now, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void start() {
        task = scheduler.scheduleWithFixedDelay(this::reconcile, settings.pollInterval());
    }

    @Override
    public void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        task = null;
    }

    @Override
    public boolean isRunning() {
        return task != null;
    }
}
