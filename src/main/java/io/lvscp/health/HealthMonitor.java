package io.lvscp.health;

import io.lvscp.health.CheckState.Health;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the checks of a set of real servers: one check per distinct definition (the
 * same server and check under several virtual servers is probed once), each on its
 * scheduler slot, results through the state machine, flips out to listeners. One
 * thread dispatches; the probes run on the {@link Prober}.
 */
public final class HealthMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    static final long DISPATCH_GRAIN_NANOS = 1_000_000L;

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

    private final class Check {
        final CheckDefinition def;
        final CheckState state;
        volatile List<Target> targets = List.of();

        Check(CheckDefinition def, Instant now) {
            this.def = def;
            this.state = new CheckState(def, now);
        }
    }

    private record Meters(Target target, Meter up, Counter flaps) {
    }

    private final Prober prober;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String node;
    private final Object lock = new Object();
    private final CheckScheduler<Check> scheduler = new CheckScheduler<>();
    private final Map<CheckDefinition, Check> checks = new HashMap<>();
    private final Map<Long, Target> targets = new HashMap<>();
    private final Map<Long, Check> checkOf = new HashMap<>();
    private final Map<Long, Meters> meterOf = new HashMap<>();
    private final Set<Long> down = new HashSet<>();
    private Set<Long> downView = Set.of();
    private boolean downDirty;
    private final AtomicLong version = new AtomicLong();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Flip>> flipListeners = new CopyOnWriteArrayList<>();
    private final Lateness lateness = new Lateness();
    private final Map<String, Timer> durationByType = new ConcurrentHashMap<>();
    private final Map<CheckResult.Reason, Counter> failures = new EnumMap<>(CheckResult.Reason.class);
    private final Timer latenessTimer;
    private final java.util.concurrent.ThreadPoolExecutor notifier = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(100_000), r -> {
                Thread t = new Thread(r, "health-flips");
                t.setDaemon(true);
                return t;
            }, (r, ex) -> {
                if (!ex.isShutdown()) {
                    log.warn("health flips are backing up: one notification dropped");
                }
            });
    private volatile Thread driver;
    private volatile long plannedWake = Long.MAX_VALUE;
    private volatile boolean running;

    public HealthMonitor(Prober prober, Clock clock, MeterRegistry meters, String node) {
        this.prober = prober;
        this.clock = clock;
        this.meters = meters;
        this.node = node;
        for (CheckResult.Reason r : CheckResult.Reason.values()) {
            if (r != CheckResult.Reason.OK) {
                failures.put(r, Counter.builder("lvs.healthcheck.failures").description("Failed health-check attempts, by reason")
                        .tag("reason", r.label()).register(meters));
            }
        }
        this.latenessTimer = Timer.builder("lvs.healthcheck.lateness").description("How late checks start against their schedule")
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1))
                .register(meters);
    }

    /** Called after every change of the down set (on a prober or reload thread: return quickly). */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Called for every flip (on a prober thread: return quickly). */
    public void onFlip(Consumer<Flip> listener) {
        flipListeners.add(listener);
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

    public Lateness lateness() {
        return lateness;
    }

    /** Number of distinct checks running. */
    public int checkCount() {
        synchronized (lock) {
            return checks.size();
        }
    }

    public long skippedSlots() {
        synchronized (lock) {
            return scheduler.skippedSlots();
        }
    }

    /**
     * Replaces the real servers to watch. Checks whose definition is unchanged keep
     * their state and schedule; a changed definition is a new check (starting up, or
     * down with alpha).
     */
    public void setTargets(Collection<Target> wanted) {
        boolean changed;
        synchronized (lock) {
            Instant now = clock.instant();
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
                    c = new Check(e.getKey(), now);
                    checks.put(e.getKey(), c);
                    scheduler.add(c, e.getKey().delayLoop(), e.getKey().phaseHash(), now);
                }
                c.targets = List.copyOf(e.getValue());
                for (Target t : e.getValue()) {
                    checkOf.put(t.realServerId(), c);
                }
            }
            targets.clear();
            targets.putAll(newTargets);
            for (var it = meterOf.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (!e.getValue().target().equals(newTargets.get(e.getKey()))) {
                    meters.remove(e.getValue().up());
                    meters.remove(e.getValue().flaps());
                    it.remove();
                }
            }
            for (Target t : newTargets.values()) {
                meterOf.computeIfAbsent(t.realServerId(), id -> register(t));
            }
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
        }
        wake(Long.MIN_VALUE);
        if (changed) {
            listeners.forEach(HealthMonitor::safely);
        }
    }

    private Meters register(Target t) {
        Tags tags = Tags.of("cluster", nz(t.cluster()), "virtual_server", nz(t.virtualServer()), "real_server", nz(t.realServer()),
                "node", nz(node));
        long id = t.realServerId();
        Meter up = Gauge.builder("lvs.realserver.up", this, m -> m.isUp(id) ? 1 : 0)
                .description("1 when the real server's health check passes (or it has none), 0 when it reports down").tags(tags)
                .strongReference(false).register(meters);
        Counter flaps = Counter.builder("lvs.realserver.flaps").description("Up/down changes of the real server's health")
                .tags(tags).register(meters);
        return new Meters(t, up, flaps);
    }

    private boolean isUp(long id) {
        synchronized (lock) {
            return !down.contains(id);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    public void start() {
        running = true;
        Thread t = new Thread(this::loop, "health-scheduler");
        t.setDaemon(true);
        driver = t;
        t.start();
    }

    private void loop() {
        List<CheckScheduler.Due<Check>> due = new ArrayList<>();
        while (running) {
            try {
                Instant next;
                synchronized (lock) {
                    due = scheduler.poll(clock.instant());
                    next = due.isEmpty() ? scheduler.nextDue() : null;
                    plannedWake = next == null ? Long.MAX_VALUE : CheckScheduler.nanos(next);
                }
                for (CheckScheduler.Due<Check> d : due) {
                    lateness.record(d.latenessNanos());
                    latenessTimer.record(d.latenessNanos(), TimeUnit.NANOSECONDS);
                    Check c = d.key();
                    prober.probe(c.def).whenComplete((r, e) -> completed(c, r != null ? r : Failures.of(e, 0)));
                }
                if (due.isEmpty()) {
                    long waitNanos = next == null ? 1_000_000_000L
                            : Math.min(1_000_000_000L, CheckScheduler.nanos(next) - CheckScheduler.nanos(clock.instant()));
                    if (waitNanos > 0) {
                        // at least DISPATCH_GRAIN: with thousands of checks a second, wake once per grain for a batch
                        // rather than once per check (costs at most that much lateness)
                        LockSupport.parkNanos(this, Math.max(waitNanos, DISPATCH_GRAIN_NANOS));
                    }
                }
            } catch (RuntimeException e) {
                log.warn("health scheduler: {}", e.toString());
                LockSupport.parkNanos(this, 10_000_000L);
            }
        }
    }

    private void wake(long dueNanos) {
        Thread t = driver;
        if (t != null && dueNanos < plannedWake) {
            plannedWake = dueNanos;
            LockSupport.unpark(t);
        }
    }

    private void completed(Check c, CheckResult r) {
        Flip flip = null;
        long nextDue = Long.MAX_VALUE;
        synchronized (lock) {
            if (checks.get(c.def) != c) {
                return; // removed or replaced meanwhile
            }
            Instant now = clock.instant();
            CheckState.Step step = c.state.onAttempt(r, now);
            scheduler.done(c, now, step.retryAfter());
            Instant n = scheduler.nextDue();
            if (n != null) {
                nextDue = CheckScheduler.nanos(n);
            }
            if (step.flipped()) {
                Health h = c.state.health();
                for (Target t : c.targets) {
                    if (h == Health.DOWN) {
                        down.add(t.realServerId());
                    } else {
                        down.remove(t.realServerId());
                    }
                    Meters m = meterOf.get(t.realServerId());
                    if (m != null) {
                        m.flaps().increment();
                    }
                }
                downDirty = true;
                version.incrementAndGet();
                flip = new Flip(c.def, h, r, c.targets, now);
            }
        }
        durationByType.computeIfAbsent(c.def.type().name(), type -> Timer.builder("lvs.healthcheck.duration")
                .description("How long health-check attempts take").tag("type", type)
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(meters)).record(r.durationNanos(), TimeUnit.NANOSECONDS);
        if (!r.ok()) {
            failures.get(r.reason()).increment();
        }
        wake(nextDue);
        if (flip != null) {
            Flip f = flip;
            // off the prober thread: logging and listeners must never hold up other checks
            notifier.execute(() -> {
                log.info("{}: {} ({}) for {} real server(s)", f.check().label(), f.health(), f.result().describe(), f.targets().size());
                listeners.forEach(HealthMonitor::safely);
                for (Consumer<Flip> l : flipListeners) {
                    safely(() -> l.accept(f));
                }
            });
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("health listener failed: {}", e.toString());
        }
    }

    /** Stops scheduling and removes this monitor's meters; the prober is the caller's to close. */
    @Override
    public void close() {
        running = false;
        notifier.shutdown();
        Thread t = driver;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            for (Meters m : meterOf.values()) {
                meters.remove(m.up());
                meters.remove(m.flaps());
            }
            meterOf.clear();
        }
    }
}
