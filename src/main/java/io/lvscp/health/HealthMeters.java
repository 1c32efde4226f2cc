package io.lvscp.health;

import io.lvscp.common.ExpositionBuffer;
import io.lvscp.common.StreamedFamilies;
import io.lvscp.common.TextFamily;
import io.lvscp.health.HealthMonitor.Flip;
import io.lvscp.health.HealthMonitor.Target;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The health checks' series, from what a {@link HealthMonitor} tells its listeners:
 * {@code lvs_healthcheck_duration_seconds} by type, {@code lvs_healthcheck_failures_total} by
 * reason, {@code lvs_healthcheck_lateness_seconds} (Micrometer meters); the {@link Lateness}
 * histogram the benchmark reports; and, per real server, {@code lvs_realserver_up} and
 * {@code lvs_realserver_flaps_total}, which are no Micrometer meters but {@link StreamedFamilies}
 * written at the scrape from the monitor's down set and a count kept here (with 1,000 x 10 they
 * were 20,000 meters, each with its id, tags and the Prometheus client's snapshot objects at
 * every scrape): register this object with {@code io.lvscp.common.StreamedMetrics} to serve
 * them. A real server's series appear when the monitor is given it and go when it is taken away;
 * its flap count starts at 0 then and is kept while its target (labels and check definition)
 * stays the same, and starts again at 0 when that target changes, as the meters did.
 */
public final class HealthMeters implements HealthMonitor.Listener, StreamedFamilies, AutoCloseable {

    static final TextFamily UP = TextFamily.gauge("lvs_realserver_up",
            "1 when the real server's health check passes (or it has none), 0 when it reports down");
    static final TextFamily FLAPS = TextFamily.counter("lvs_realserver_flaps", "Up/down changes of the real server's health");

    /**
     * One watched real server: its target, its encoded label block, when its count started (the counter's created
     * timestamp in the protobuf format, as a Micrometer counter has it) and its flaps (counted under this object's lock).
     */
    private static final class PerTarget {
        final Target target;
        final byte[] labels;
        final long createdMillis;
        volatile long flaps;

        PerTarget(Target target, byte[] labels, long createdMillis) {
            this.target = target;
            this.labels = labels;
            this.createdMillis = createdMillis;
        }
    }

    private final HealthMonitor monitor;
    private final MeterRegistry meters;
    private final String node;
    private final Map<Long, PerTarget> perTarget = new HashMap<>();
    /** The rows in the order the client's writers sort series (by labels), one per label set. */
    private volatile PerTarget[] sorted = new PerTarget[0];
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
        boolean changed = false;
        for (var it = perTarget.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (!e.getValue().target.equals(byId.get(e.getKey()))) {
                it.remove();
                changed = true;
            }
        }
        for (Target t : byId.values()) {
            if (!perTarget.containsKey(t.realServerId())) {
                perTarget.put(t.realServerId(), new PerTarget(t, TextFamily.block(labels(t)), monitor.clock().millis()));
                changed = true;
            }
        }
        if (changed) {
            sort();
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
                m.flaps++;
            }
        }
    }

    /** {@code lvs_realserver_flaps_total} then {@code lvs_realserver_up} of the watched real servers, now. */
    @Override
    public void write(Format format, Predicate<String> include, ExpositionBuffer out) {
        PerTarget[] rows = sorted;
        if (rows.length == 0) {
            return;
        }
        if (FLAPS.accepts(include)) {
            FLAPS.header(format, out);
            for (PerTarget r : rows) {
                FLAPS.sample(out, r.labels, r.flaps);
            }
        }
        if (UP.accepts(include)) {
            Set<Long> down = monitor.downRealServers();
            UP.header(format, out);
            for (PerTarget r : rows) {
                UP.sample(out, r.labels, down.contains(r.target.realServerId()) ? 0 : 1);
            }
        }
    }

    @Override
    public List<MetricSnapshot> snapshots(Predicate<String> include) {
        PerTarget[] rows = sorted;
        List<MetricSnapshot> out = new ArrayList<>(2);
        if (rows.length == 0) {
            return out;
        }
        if (FLAPS.accepts(include)) {
            List<CounterSnapshot.CounterDataPointSnapshot> points = new ArrayList<>(rows.length);
            for (PerTarget r : rows) {
                points.add(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels(r.target)).value(r.flaps)
                        .createdTimestampMillis(r.createdMillis).build());
            }
            out.add(new CounterSnapshot(FLAPS.metadata(), points));
        }
        if (UP.accepts(include)) {
            Set<Long> down = monitor.downRealServers();
            List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>(rows.length);
            for (PerTarget r : rows) {
                points.add(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(r.target))
                        .value(down.contains(r.target.realServerId()) ? 0 : 1).build());
            }
            out.add(new GaugeSnapshot(UP.metadata(), points));
        }
        return out;
    }

    private Labels labels(Target t) {
        return Labels.of("cluster", nz(t.cluster()), "virtual_server", nz(t.virtualServer()), "real_server", nz(t.realServer()), "node",
                nz(node));
    }

    /** Rebuilds {@link #sorted}: by labels as the client sorts a family's series; a label set twice is written once (the lower id's row). */
    private void sort() {
        record Keyed(Labels labels, PerTarget row) {
        }
        List<Keyed> all = new ArrayList<>(perTarget.size());
        perTarget.values().forEach(r -> all.add(new Keyed(labels(r.target), r)));
        all.sort((a, b) -> {
            int c = a.labels().compareTo(b.labels());
            return c != 0 ? c : Long.compare(a.row().target.realServerId(), b.row().target.realServerId());
        });
        List<PerTarget> rows = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            if (i == 0 || !all.get(i).labels().equals(all.get(i - 1).labels())) {
                rows.add(all.get(i).row());
            }
        }
        sorted = rows.toArray(new PerTarget[0]);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** Removes the per-real-server series (the monitor-wide ones stay, as before). */
    @Override
    public synchronized void close() {
        perTarget.clear();
        sorted = new PerTarget[0];
    }
}
