package io.lvscp.health;

import io.lvscp.health.CheckState.Health;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checks' bookkeeping: one check per distinct definition (the same server and
 * check under several virtual servers is probed once), each on its {@link CheckScheduler}
 * slot, results through the {@link CheckState} machine, the down set, and what happened
 * out to {@link Listener}s. It has no thread, no meter and no pool: time is the injected
 * clock's, and whoever drives it calls {@link #runDue()} (or {@link #startDue}) at (or after)
 * {@link #nextDue()}: {@link HealthDriver} in the service (on the native prober's loop, whose
 * passes give the clock's time: {@link LoopTime}), a test step by step on a clock it moves.
 *
 * <p>Thread-safe: attempts complete on the prober's threads. Listeners are called on the
 * thread that caused the event, outside the lock, and must return quickly.
 */
public final class HealthMonitor {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    /**
     * A real server to watch, with its metric labels.
     *
     * @param check the check, or null for a real server without one (always up)
     */
    public record Target(long realServerId, Long clusterId, String cluster, String virtualServer, String realServer,
            CheckDefinition check) {
    }

    /** A check's health changed; every target that shares it flips with it. */
    public record Flip(CheckDefinition check, Health health, CheckResult result, List<Target> targets, Instant at) {
    }

    /** What the API shows of one real server. */
    public record Status(Target target, CheckState.Snapshot snapshot) {
    }

    /** One attempt of a check; the future never completes exceptionally ({@link Prober#probe}). */
    @FunctionalInterface
    public interface Attempt {
        CompletableFuture<CheckResult> probe(CheckDefinition check);
    }

    /** What the monitor tells: all on the thread that caused it, none may block. */
    public interface Listener {

        /** The watched real servers were replaced (on the caller of {@link #setTargets}). */
        default void targetsChanged(Collection<Target> targets) {
        }

        /** An attempt starts, {@code latenessNanos} after its due time. */
        default void started(CheckDefinition check, boolean retry, long latenessNanos) {
        }

        /** An attempt ended. */
        default void attempted(CheckDefinition check, CheckResult result) {
        }

        /** A check's health changed. */
        default void flipped(Flip flip) {
        }

        /** The down set changed ({@link #version()} moved). */
        default void downChanged() {
        }

        /** A check was (re)queued; {@code nextDue} is the earliest due now (null: none waits). */
        default void rescheduled(Instant nextDue) {
        }
    }

    private static final class Check {
        final CheckDefinition def;
        final CheckState state;
        volatile List<Target> targets = List.of();

        Check(CheckDefinition def, Instant now) {
            this.def = def;
            this.state = new CheckState(def, now);
        }
    }

    private final Attempt attempt;
    private final Clock clock;
    private final Object lock = new Object();
    private final CheckScheduler<Check> scheduler = new CheckScheduler<>();
    private final Map<CheckDefinition, Check> checks = new HashMap<>();
    private final Map<Long, Target> targets = new HashMap<>();
    private final Map<Long, Check> checkOf = new HashMap<>();
    private final Set<Long> down = new HashSet<>();
    private Set<Long> downView = Set.of();
    private boolean downDirty;
    private final AtomicLong version = new AtomicLong();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    public HealthMonitor(Attempt attempt, Clock clock) {
        this.attempt = attempt;
        this.clock = clock;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    public Clock clock() {
        return clock;
    }

    /** Bumped whenever the down set changes. */
    public long version() {
        return version.get();
    }

    /** Ids of the real servers whose check reports down. */
    public Set<Long> downRealServers() {
        synchronized (lock) {
            if (downDirty) {
                downView = Set.copyOf(down);
                downDirty = false;
            }
            return downView;
        }
    }

    public boolean isUp(long realServerId) {
        synchronized (lock) {
            return !down.contains(realServerId);
        }
    }

    public Optional<Status> status(long realServerId) {
        synchronized (lock) {
            Target t = targets.get(realServerId);
            if (t == null) {
                return Optional.empty();
            }
            Check c = checkOf.get(realServerId);
            return Optional.of(new Status(t, c == null ? null : c.state.snapshot()));
        }
    }

    /** Number of distinct checks. */
    public int checkCount() {
        synchronized (lock) {
            return checks.size();
        }
    }

    /** Loop slots skipped because a check was still running. */
    public long skippedSlots() {
        synchronized (lock) {
            return scheduler.skippedSlots();
        }
    }

    /** When the earliest waiting check is due, or null when none waits (none at all, or all running). */
    public Instant nextDue() {
        synchronized (lock) {
            return scheduler.nextDue();
        }
    }

    /**
     * Replaces the real servers to watch. Checks whose definition is unchanged keep
     * their state and schedule; a changed definition is a new check (starting up, or
     * down with alpha).
     */
    public void setTargets(Collection<Target> wanted) {
        boolean changed;
        List<Target> now;
        Instant next;
        synchronized (lock) {
            Instant at = clock.instant();
            Map<CheckDefinition, List<Target>> byDef = new LinkedHashMap<>();
            Map<Long, Target> newTargets = new HashMap<>();
            for (Target t : wanted) {
                newTargets.put(t.realServerId(), t);
                if (t.check() != null) {
                    byDef.computeIfAbsent(t.check(), d -> new ArrayList<>()).add(t);
                }
            }
            for (var it = checks.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (!byDef.containsKey(e.getKey())) {
                    scheduler.remove(e.getValue());
                    it.remove();
                }
            }
            checkOf.clear();
            for (var e : byDef.entrySet()) {
                Check c = checks.get(e.getKey());
                if (c == null) {
                    c = new Check(e.getKey(), at);
                    checks.put(e.getKey(), c);
                    scheduler.add(c, e.getKey().delayLoop(), e.getKey().phaseHash(), at);
                }
                c.targets = List.copyOf(e.getValue());
                for (Target t : e.getValue()) {
                    checkOf.put(t.realServerId(), c);
                }
            }
            targets.clear();
            targets.putAll(newTargets);
            Set<Long> newDown = new HashSet<>();
            for (Check c : checks.values()) {
                if (c.state.health() == Health.DOWN) {
                    c.targets.forEach(t -> newDown.add(t.realServerId()));
                }
            }
            changed = !newDown.equals(down);
            if (changed) {
                down.clear();
                down.addAll(newDown);
                downDirty = true;
                version.incrementAndGet();
            }
            now = List.copyOf(newTargets.values());
            next = scheduler.nextDue();
        }
        tell(l -> l.targetsChanged(now));
        tell(l -> l.rescheduled(next));
        if (changed) {
            tell(Listener::downChanged);
        }
    }

    /**
     * Starts every check due at the clock's now. The future completes when all of them have
     * ended and their results are in (a test waits for it before moving its clock on; the
     * driver does not wait).
     */
    public CompletableFuture<Void> runDue() {
        return start(0, true);
    }

    /**
     * Starts every check due by the clock's now plus {@code aheadNanos} (those due after now start early, with
     * a negative lateness): a driver that wakes for a batch. It does not wait for their ends.
     */
    public void startDue(long aheadNanos) {
        start(aheadNanos, false);
    }

    private CompletableFuture<Void> start(long aheadNanos, boolean collectEnds) {
        List<CheckScheduler.Due<Check>> due;
        synchronized (lock) {
            due = scheduler.poll(clock.instant(), aheadNanos);
        }
        if (due.isEmpty()) {
            return collectEnds ? CompletableFuture.completedFuture(null) : null;
        }
        List<CompletableFuture<Void>> ends = collectEnds ? new ArrayList<>(due.size()) : null;
        for (CheckScheduler.Due<Check> d : due) {
            Check c = d.key();
            tell(l -> l.started(c.def, d.retry(), d.latenessNanos()));
            CompletableFuture<CheckResult> f;
            try {
                f = attempt.probe(c.def);
            } catch (RuntimeException e) {
                f = CompletableFuture.completedFuture(Failures.of(e, 0));
            }
            CompletableFuture<Void> end = f.handle((r, e) -> {
                completed(c, r != null ? r : Failures.of(e, 0));
                return null;
            });
            if (ends != null) {
                ends.add(end);
            }
        }
        return ends == null ? null : CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new));
    }

    private void completed(Check c, CheckResult r) {
        Flip flip = null;
        Instant next;
        synchronized (lock) {
            if (checks.get(c.def) != c) {
                return; // removed or replaced meanwhile
            }
            Instant now = clock.instant();
            CheckState.Step step = c.state.onAttempt(r, now);
            scheduler.done(c, now, step.retryAfter());
            next = scheduler.nextDue();
            if (step.flipped()) {
                Health h = c.state.health();
                for (Target t : c.targets) {
                    if (h == Health.DOWN) {
                        down.add(t.realServerId());
                    } else {
                        down.remove(t.realServerId());
                    }
                }
                downDirty = true;
                version.incrementAndGet();
                flip = new Flip(c.def, h, r, c.targets, now);
            }
        }
        tell(l -> l.attempted(c.def, r));
        tell(l -> l.rescheduled(next));
        if (flip != null) {
            Flip f = flip;
            tell(l -> l.flipped(f));
            tell(Listener::downChanged);
        }
    }

    private void tell(java.util.function.Consumer<Listener> call) {
        for (Listener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                log.warn("health listener failed: {}", e.toString());
            }
        }
    }
}
