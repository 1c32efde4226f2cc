package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.event.EventService;
import io.lvscp.plan.Change;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanInput;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Keeps this node's data plane at its desired state. Every poll interval it looks at the
 * configuration generation (and at {@code inputsVersion}, which moves when something else
 * that shapes the plan changes, such as a health check result); on a change, or every
 * resync interval, it compiles the plan and has the data plane reconcile to it.
 *
 * <ul>
 * <li>When the database cannot be reached it holds the last good desired state ({@link LastGood}:
 * in memory, or the local state file at start-up), compiled again with the current health results,
 * and keeps resyncing to it; without one it keeps the data plane as it is. Other read failures keep
 * the data plane as it is.</li>
 * <li>Steps the data plane refuses are logged, counted ({@code lvs_reconcile_errors_total})
 * and recorded as an event when they differ from the last round's; the next round retries.</li>
 * <li>Drift: steps needed on a round whose desired state is the same as the last clean
 * round's (someone changed a managed service by hand) are counted as repairs
 * ({@code lvs_reconcile_drift_repairs_total}). Removing a drained real server is not drift.</li>
 * </ul>
 */
public class NodeAgent implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    /** How many steps an event lists. */
    static final int EVENT_STEPS = 50;

    /** Where the agent gets a desired state when the database cannot be read. */
    /** The last good desired state, for database outages. */
    public interface LastGood {
        /** Nothing held: the data plane is kept as it is during an outage (tests, tools). */
        LastGood NONE = new LastGood() {
            @Override
            public boolean databaseUp() {
                return true;
            }

            @Override
            public boolean outage(RuntimeException e) {
                return false;
            }

            @Override
            public void planned(DesiredState desired) {
            }

            @Override
            public Optional<DesiredState> held() {
                return Optional.empty();
            }
        };

        /** False while the database is known to be unreachable: the agent then does not wait on it. */
        boolean databaseUp();

        /** Whether this failure means the database is unreachable (and notes that it is). */
        boolean outage(RuntimeException e);

        /** After each round whose desired state was read from the database (and handed to the data plane). */
        void planned(DesiredState desired);

        /** The state to hold during an outage, or empty when there is none. */
        Optional<DesiredState> held();
    }

    /** What the agent last did, for the health endpoint and the plan. */
    public record Status(String node, long appliedGeneration, Instant lastAppliedAt, Instant lastCheckedAt, String lastError,
            long driftRepairs) {
    }

    private final String node;
    private final DataPlane dataPlane;
    private final PlanService plans;
    private final ConfigGeneration generation;
    private final LongSupplier inputsVersion;
    private final TaskScheduler scheduler;
    private final LvsProperties.Reconcile settings;
    private final Clock clock;
    private final EventService events;
    private final LastGood lastGood;
    private final Timer duration;
    private final Map<Change.Op, Counter> operations = new EnumMap<>(Change.Op.class);
    private final Counter refusedSteps;
    private final Counter failedRounds;
    private final Counter driftRepairs;
    private final DrainOutcomes drains;
    private final AtomicLong appliedGeneration = new AtomicLong(-1);
    private volatile Status status;
    private volatile String cluster;
    private volatile ScheduledFuture<?> task;
    private long lastInputsVersion = Long.MIN_VALUE;
    /** When {@link #reconcile} last read this node's rows from the database (null: not yet). */
    private Instant rowsReadAt;
    /**
     * How long rows read at an unchanged generation are compiled again instead of read again: a bound on what a change
     * made outside the service's transactions (a restored backup, a hand-edited row) waits for.
     */
    static final Duration REREAD = Duration.ofMinutes(1);
    private DesiredState lastClean;
    private Set<String> lastRefused = Set.of();
    private volatile DrainReporter drainReporter;

    public NodeAgent(String node, DataPlane dataPlane, PlanService plans, ConfigGeneration generation, LongSupplier inputsVersion,
            TaskScheduler scheduler, LvsProperties.Reconcile settings, Clock clock, EventService events, MeterRegistry meters) {
        this(node, dataPlane, plans, generation, inputsVersion, scheduler, settings, clock, events, meters, LastGood.NONE);
    }

    public NodeAgent(String node, DataPlane dataPlane, PlanService plans, ConfigGeneration generation, LongSupplier inputsVersion,
            TaskScheduler scheduler, LvsProperties.Reconcile settings, Clock clock, EventService events, MeterRegistry meters,
            LastGood lastGood) {
        this.node = node;
        this.lastGood = lastGood;
        this.dataPlane = dataPlane;
        this.plans = plans;
        this.generation = generation;
        this.inputsVersion = inputsVersion;
        this.scheduler = scheduler;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.status = new Status(node, -1, null, null, null, 0);
        this.duration = Timer.builder("lvs.reconcile.duration").description("Time of one reconcile round (read, diff, write)")
                .tag("node", node).register(meters);
        for (Change.Op op : Change.Op.values()) {
            operations.put(op, Counter.builder("lvs.reconcile.operations").description("Steps the data plane carried out, by kind")
                    .tag("node", node).tag("op", op.name().toLowerCase()).register(meters));
        }
        this.refusedSteps = Counter.builder("lvs.reconcile.errors").description("Steps the data plane refused, and rounds that failed")
                .tag("node", node).tag("kind", "refused_step").register(meters);
        this.failedRounds = Counter.builder("lvs.reconcile.errors").description("Steps the data plane refused, and rounds that failed")
                .tag("node", node).tag("kind", "failed_round").register(meters);
        this.drains = new DrainOutcomes(node, events, meters);
        this.driftRepairs = Counter.builder("lvs.reconcile.drift.repairs")
                .description("Steps that repaired a change made by hand to a managed service").tag("node", node).register(meters);
        Gauge.builder("lvs.config.generation.applied", appliedGeneration, AtomicLong::get)
                .description("The configuration generation this node's data plane was last brought to").tag("node", node).register(meters);
    }

    public Status status() {
        return status;
    }

    /** Reports each draining real server's progress on this director to the database after every round. */
    void drainReporter(DrainReporter reporter) {
        this.drainReporter = reporter;
    }

    /** The cluster of this node's director as of the last round ("" before one, or when no director names this node). */
    public String cluster() {
        String c = cluster;
        return c == null ? "" : c;
    }

    /** One round: reconcile if the generation or the inputs moved, or a resync is due. Never throws. */
    public synchronized void reconcile() {
        Instant now = clock.instant();
        Status s = status;
        if (!lastGood.databaseUp()) {
            hold(now, s, "database unavailable");
            return;
        }
        try {
            long gen = generation.current();
            long inputs = inputsVersion.getAsLong();
            if (gen == s.appliedGeneration() && inputs == lastInputsVersion && !resyncDue(now, s) && !holding) {
                status = new Status(node, s.appliedGeneration(), s.lastAppliedAt(), now, s.lastError(), s.driftRepairs());
                return;
            }
            PlanInput rows = rowsStillCurrent(gen, now);
            DesiredState desired;
            if (rows != null) {
                desired = plans.compile(rows);
            } else {
                desired = plans.find(node).orElse(null);
                rowsReadAt = now;
            }
            if (desired == null) {
                desired = new DesiredState(node, null, gen, List.of(), List.of());
            }
            holding = false;
            apply(desired, inputs, now, s, null);
            try {
                lastGood.planned(desired); // read from the database: good, even if the kernel refused some steps
            } catch (RuntimeException e) {
                log.warn("Cannot keep the last good state of node {}: {}", node, e.toString());
            }
        } catch (RuntimeException e) {
            if (lastGood.outage(e)) {
                hold(now, s, "database unavailable: " + e.getClass().getSimpleName());
                return;
            }
            failedRounds.increment();
            if (s.lastError() == null || !s.lastError().endsWith(e.getMessage() == null ? "" : e.getMessage())) {
                log.warn("Cannot reconcile node {}: {} (keeping the data plane as it is)", node, e.toString());
            }
            lastClean = null;
            status = new Status(node, s.appliedGeneration(), s.lastAppliedAt(), now, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    s.driftRepairs());
        }
    }

    /**
     * This node's rows as last read, when they are those of generation {@code gen} and were read less than
     * {@link #REREAD} ago, else null: a round for a resync or a health change then compiles them again with the current
     * health results instead of reading the database again (every write bumps the generation in its transaction). At
     * 1,000 x 10 the read is most of a round's work (and of its allocation): once every resync interval per director.
     */
    private PlanInput rowsStillCurrent(long gen, Instant now) {
        PlanInput last = plans.lastInput(node);
        return last != null && last.generation() == gen && rowsReadAt != null && now.isBefore(rowsReadAt.plus(REREAD)) ? last : null;
    }

    private boolean resyncDue(Instant now, Status s) {
        return s.lastAppliedAt() == null || !now.isBefore(s.lastAppliedAt().plus(settings.resyncInterval()));
    }

    /** True while the agent holds the last good state (the database could not be read). */
    private boolean holding;

    /** During an outage: resync to the last good state (recompiled with current health) when due or when health moved. */
    private void hold(Instant now, Status s, String why) {
        try {
            long inputs = inputsVersion.getAsLong();
            Optional<DesiredState> held = lastGood.held();
            if (held.isEmpty()) {
                status = new Status(node, s.appliedGeneration(), s.lastAppliedAt(), now, why + "; no last good state: data plane kept as it is",
                        s.driftRepairs());
                return;
            }
            DesiredState desired = held.get();
            String note = why + "; holding the last good desired state (generation " + desired.generation() + ")";
            if (holding && inputs == lastInputsVersion && !resyncDue(now, s)) {
                status = new Status(node, s.appliedGeneration(), s.lastAppliedAt(), now, note, s.driftRepairs());
                return;
            }
            holding = true;
            apply(desired, inputs, now, s, note);
        } catch (RuntimeException e) {
            failedRounds.increment();
            log.warn("Cannot hold the last good state of node {}: {}", node, e.toString());
            status = new Status(node, s.appliedGeneration(), s.lastAppliedAt(), now, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    s.driftRepairs());
        }
    }

    /** Brings the data plane to {@code desired} and records the round in the status. */
    private void apply(DesiredState desired, long inputs, Instant now, Status s, String note) {
        cluster = desired.cluster();
        long t0 = System.nanoTime();
        DataPlane.Result r = dataPlane.reconcile(desired);
        duration.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
        long drift = drift(desired, r);
        r.applied().forEach(c -> operations.get(c.op()).increment());
        driftRepairs.increment(drift);
        if (!r.applied().isEmpty()) {
            log.info("{} data plane of node {}: generation {}: {} step(s) applied{}", dataPlane.mode(), node, desired.generation(),
                    r.applied().size(), drift > 0 ? " (" + drift + " repairing drift)" : "");
            recordApplied(desired, r, drift);
        }
        refused(desired, r);
        drains.record(desired.cluster(), r.drains());
        DrainReporter reporter = drainReporter;
        if (reporter != null && !holding) {
            reporter.afterRound(desired);
        }
        lastInputsVersion = inputs;
        lastClean = r.ok() ? desired : null;
        String error = r.ok() ? null : r.refused().size() + " step(s) refused, first: " + r.refused().get(0).reason();
        appliedGeneration.set(desired.generation());
        status = new Status(node, desired.generation(), now, now, error != null ? error : note, s.driftRepairs() + drift);
    }

    /** Steps needed although nothing desired changed since a clean round, less drained real servers leaving. */
    private long drift(DesiredState desired, DataPlane.Result r) {
        if (lastClean == null || !lastClean.equals(desired)) {
            return 0;
        }
        // the steps' targets: "TCP 172.18.42.42:80 -> 10.0.0.1:80"
        Set<String> draining = desired.drainingTargets();
        return r.applied().stream().filter(c -> !(c.op() == Change.Op.DELETE_DESTINATION && draining.contains(c.target()))).count();
    }

    private void recordApplied(DesiredState desired, DataPlane.Result r, long drift) {
        if (dataPlane.mode() == DataPlane.Mode.DRY_RUN) {
            return; // the dry-run data plane keeps its own history (the plan's recentlyApplied)
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("generation", desired.generation());
        details.put("driftRepairs", drift);
        details.put("steps", r.applied().stream().limit(EVENT_STEPS).map(Change::description).toList());
        safeRecord(desired, drift == r.applied().size() ? "DRIFT_REPAIRED" : "APPLIED", "node " + node + ": generation "
                + desired.generation() + ": " + r.applied().size() + " step(s) applied" + (drift > 0 ? ", " + drift + " repairing drift" : ""),
                details);
    }

    private void refused(DesiredState desired, DataPlane.Result r) {
        refusedSteps.increment(r.refused().size());
        Set<String> now = r.refused().stream().map(f -> f.change().description() + ": " + f.reason()).collect(Collectors.toSet());
        if (!now.isEmpty() && !now.equals(lastRefused)) {
            r.refused().forEach(f -> log.warn("node {}: generation {}: refused `{}`: {}", node, desired.generation(), f.change().description(),
                    f.reason()));
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("generation", desired.generation());
            details.put("refused", r.refused().stream().limit(EVENT_STEPS)
                    .map(f -> Map.of("step", f.change().description(), "reason", f.reason())).toList());
            safeRecord(desired, "REFUSED", "node " + node + ": " + r.refused().size() + " step(s) refused: "
                    + r.refused().get(0).change().description() + ": " + r.refused().get(0).reason(), details);
        }
        lastRefused = now;
    }

    private void safeRecord(DesiredState desired, String action, String summary, Map<String, Object> details) {
        try {
            events.record(EventService.DATAPLANE, null, desired.cluster(), action, "node", null, summary, details);
        } catch (RuntimeException e) {
            log.warn("Cannot record the data plane event '{}': {}", summary, e.toString());
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
