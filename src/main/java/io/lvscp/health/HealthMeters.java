package io.lvscp.health;

import io.lvscp.health.HealthMonitor.Flip;
import io.lvscp.health.HealthMonitor.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The health checks' Micrometer series, from what a {@link HealthMonitor} tells its
 * listeners: {@code lvs_realserver_up} and {@code lvs_realserver_flaps_total} per real
 * server, {@code lvs_healthcheck_duration_seconds} by type,
 * {@code lvs_healthcheck_failures_total} by reason, {@code lvs_healthcheck_lateness_seconds};
 * and the {@link Lateness} histogram the benchmark reports.
 */
public final class HealthMeters implements HealthMonitor.Listener, AutoCloseable {

    private record PerTarget(Target target, Meter up, Counter flaps) {
    }

    private final HealthMonitor monitor;
    private final MeterRegistry meters;
    private final String node;
    private final Map<Long, PerTarget> perTarget = new HashMap<>();
    private final Map<String, Timer> durationByType = new ConcurrentHashMap<>();
    private final Map<CheckResult.Reason, Counter> failures = new EnumMap<>(CheckResult.Reason.class);
    private final Timer latenessTimer;
    private final Lateness lateness = new Lateness();

    /** Registers the monitor-wide series and listens to {@code monitor}. */
    public static HealthMeters attach(HealthMonitor monitor, MeterRegistry meters, String node) {
        HealthMeters m = new HealthMeters(monitor, meters, node);
        monitor.addListener(m);
        return m;
    }

    private HealthMeters(HealthMonitor monitor, MeterRegistry meters, String node) {
        this.monitor = monitor;
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

    public Lateness lateness() {
        return lateness;
    }

    @Override
    public synchronized void targetsChanged(Collection<Target> targets) {
        Map<Long, Target> byId = new HashMap<>();
        targets.forEach(t -> byId.put(t.realServerId(), t));
        for (var it = perTarget.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().target().equals(byId.get(e.getKey()))) {
                remove(e.getValue());
                it.remove();
            }
        }
        for (Target t : byId.values()) {
            perTarget.computeIfAbsent(t.realServerId(), id -> register(t));
        }
    }

    @Override
    public void started(CheckDefinition check, boolean retry, long latenessNanos) {
        lateness.record(latenessNanos);
        latenessTimer.record(Math.max(0, latenessNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void attempted(CheckDefinition check, CheckResult result) {
        durationByType.computeIfAbsent(check.type().name(), type -> Timer.builder("lvs.healthcheck.duration")
                .description("How long health-check attempts take").tag("type", type)
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
                        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5))
                .register(meters)).record(result.durationNanos(), TimeUnit.NANOSECONDS);
        if (!result.ok()) {
            failures.get(result.reason()).increment();
        }
    }

    @Override
    public synchronized void flipped(Flip flip) {
        for (Target t : flip.targets()) {
            PerTarget m = perTarget.get(t.realServerId());
            if (m != null) {
                m.flaps().increment();
            }
        }
    }

    private PerTarget register(Target t) {
        Tags tags = Tags.of("cluster", nz(t.cluster()), "virtual_server", nz(t.virtualServer()), "real_server", nz(t.realServer()),
                "node", nz(node));
        long id = t.realServerId();
        Meter up = Gauge.builder("lvs.realserver.up", monitor, m -> m.isUp(id) ? 1 : 0)
                .description("1 when the real server's health check passes (or it has none), 0 when it reports down").tags(tags)
                .strongReference(false).register(meters);
        Counter flaps = Counter.builder("lvs.realserver.flaps").description("Up/down changes of the real server's health")
                .tags(tags).register(meters);
        return new PerTarget(t, up, flaps);
    }

    private void remove(PerTarget m) {
        meters.remove(m.up());
        meters.remove(m.flaps());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Removes the per-real-server series (the monitor-wide ones stay, as before). */
    @Override
    public synchronized void close() {
        perTarget.values().forEach(this::remove);
        perTarget.clear();
    }
}
