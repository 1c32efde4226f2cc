package io.lvscp.dataplane;

import io.lvscp.health.CheckDefinition;
import io.lvscp.health.CheckState;
import io.lvscp.health.HealthMonitor;
import io.lvscp.health.HealthDriver;
import io.lvscp.health.HealthMeters;
import io.lvscp.health.LoopTime;
import io.lvscp.health.HealthNotifier;
import io.lvscp.health.Lateness;
import io.lvscp.health.Prober;
import io.lvscp.LvsProperties;
import io.lvscp.common.Addresses;
import io.lvscp.common.RealServerState;
import io.lvscp.common.StreamedMetrics;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.RealServer;
import io.lvscp.realserver.RealServerHealth;
import io.lvscp.realserver.RealServerHealthSource;
import io.lvscp.model.VirtualServer;
import io.lvscp.event.EventService;
import io.lvscp.health.CheckState.Health;
import io.lvscp.health.HealthMonitor.Flip;
import io.lvscp.health.HealthMonitor.Target;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This node's health checks: which real servers it watches (those of the VRRP instances
 * its Director record is in, except disabled ones), what they report, and the down set
 * the plan compiler takes out of (or weights 0 in) the IPVS table.
 *
 * <p>Definitions are reloaded when the configuration generation moves. In the
 * {@code dry-run} data plane nothing is probed unless {@code lvs.health.probe-in-dry-run}
 * is set: the real servers are then "unchecked" and none is down.
 *
 * <p>For the node agent: {@link #version()} moves (and {@link #addListener} listeners
 * run) whenever {@link #downRealServers()} changes; re-planning then brings a flip into
 * IPVS without waiting for a resync.
 */
@Component("healthRegistry")
public class HealthRegistry implements SmartLifecycle, RealServerHealthSource {

    private static final Logger log = LoggerFactory.getLogger(HealthRegistry.class);

    private final String node;
    private final LvsProperties.Health settings;
    private final DataPlane dataPlane;
    private final ConfigGeneration generation;
    private final NodeRows rows;
    private final TransactionTemplate readOnly;
    private final EventService events;
    private final MeterRegistry meters;
    private final StreamedMetrics streamed;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Map<Long, Target> targets = Map.of();
    private volatile Map<Long, String> problems = Map.of();
    private volatile long loadedGeneration = Long.MIN_VALUE;
    private volatile String lastReloadError;
    private volatile Prober prober;
    private volatile HealthMonitor monitor;
    private volatile HealthMeters monitorMeters;
    private volatile HealthNotifier notifier;
    private volatile HealthDriver driver;
    private volatile ScheduledExecutorService reloader;
    private volatile ThreadPoolExecutor eventWriter;

    public HealthRegistry(LvsProperties props, DataPlane dataPlane, ConfigGeneration generation, NodeRows rows,
            PlatformTransactionManager tx, EventService events, ObjectProvider<MeterRegistry> meters, StreamedMetrics streamed, Clock clock) {
        this.node = props.nodeName();
        this.settings = props.health();
        this.dataPlane = dataPlane;
        this.generation = generation;
        this.rows = rows;
        this.readOnly = new TransactionTemplate(tx);
        this.readOnly.setReadOnly(true);
        this.events = events;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.streamed = streamed;
        this.clock = clock;
    }

    /** Whether probes are sent from this node. */
    public boolean probing() {
        return settings.enabled() && (dataPlane.mode() != io.lvscp.dataplane.DataPlane.Mode.DRY_RUN || settings.probeInDryRun());
    }

    /** Why nothing is probed, or null when probes are sent. */
    public String notProbingReason() {
        if (!settings.enabled()) {
            return "health checks are off (lvs.health.enabled=false)";
        }
        if (!probing()) {
            return "dry-run data plane: no probe is sent (set lvs.health.probe-in-dry-run=true to check anyway)";
        }
        return null;
    }

    /** Ids of the real servers this node's checks report down (for the plan compiler). */
    public Set<Long> downRealServers() {
        HealthMonitor m = monitor;
        return m == null ? Set.of() : m.downRealServers();
    }

    /** Moves whenever {@link #downRealServers()} changes. */
    public long version() {
        HealthMonitor m = monitor;
        return m == null ? 0 : m.version();
    }

    /**
     * Runs after every change of the down set, on the health notifier's one thread (after the
     * flip's event is queued): it must return at once (hand the work on, e.g. trigger a reconcile).
     */
    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Which prober runs HTTP_GET and TCP_CHECK ("uring", "native" or "nio", {@code lvs.health.prober}), or null when nothing is probed. */
    public String proberKind() {
        Prober p = prober;
        return p == null ? null : p.connectProberKind();
    }

    /** The lateness of checks against their schedule (p99 etc.), or null when nothing is probed. */
    public Lateness lateness() {
        HealthMeters m = monitorMeters;
        return m == null ? null : m.lateness();
    }

    @Override
    public Optional<RealServerHealth> health(long realServerId) {
        Target t = targets.get(realServerId);
        if (t == null) {
            return Optional.empty();
        }
        String problem = problems.get(realServerId);
        if (problem != null) {
            return Optional.of(new RealServerHealth("unchecked", null, null, null, null, null, null, node, problem));
        }
        if (t.check() == null) {
            return Optional.of(new RealServerHealth("up", null, null, null, null, null, "NONE", node, "no health check: always in the table"));
        }
        HealthMonitor m = monitor;
        if (m == null) {
            return Optional.of(new RealServerHealth("unchecked", null, null, null, null, null, t.check().label(), node,
                    notProbingReason()));
        }
        return m.status(realServerId).map(s -> {
            CheckState.Snapshot snap = s.snapshot();
            if (snap == null) {
                return new RealServerHealth("unchecked", null, null, null, null, null, t.check().label(), node, "not scheduled yet");
            }
            String note = snap.checked() ? null : "not checked yet: " + (t.check().alpha() ? "down until a check passes (alpha)"
                    : "up until checks fail");
            Double ms = snap.lastDurationNanos() == null ? null : Math.round(snap.lastDurationNanos() / 1e4) / 100.0;
            return new RealServerHealth(snap.health() == Health.UP ? "up" : "down", snap.since(), snap.lastCheckedAt(), snap.lastError(),
                    snap.lastErrorAt(), ms, t.check().label(), node, note);
        });
    }

    /** Reads this node's real servers again if the configuration generation moved. Never throws. */
    public void reloadIfChanged() {
        try {
            long gen = generation.current();
            lastReloadError = null;
            if (gen == loadedGeneration) {
                return;
            }
            reload();
            loadedGeneration = gen;
        } catch (RuntimeException e) {
            String error = e.toString();
            if (!error.equals(lastReloadError)) { // once per distinct error, not every second of a database outage
                log.warn("Cannot reload health checks (keeping the ones running): {}", error);
            }
            lastReloadError = error;
        }
    }

    /** Reads this node's real servers and their checks now. */
    public synchronized void reload() {
        Map<Long, String> newProblems = new HashMap<>();
        List<Target> loaded = readOnly.execute(status -> load(newProblems));
        Map<Long, Target> byId = new LinkedHashMap<>();
        loaded.forEach(t -> byId.put(t.realServerId(), t));
        targets = byId;
        problems = newProblems;
        HealthMonitor m = monitor;
        if (m != null) {
            m.setTargets(loaded);
        }
    }

    private List<Target> load(Map<Long, String> problemsOut) {
        Optional<NodeRows.Rows> found = rows.read(node);
        if (found.isEmpty()) {
            return List.of();
        }
        NodeRows.Rows mine = found.get();
        Long clusterId = mine.director().getCluster().getId();
        String cluster = mine.director().getCluster().getName();
        Map<Long, VirtualServer> vss = new HashMap<>();
        mine.virtualServers().forEach(v -> vss.put(v.getId(), v));
        List<Target> out = new ArrayList<>();
        for (RealServer r : mine.realServers()) {
            if (r.getState() == RealServerState.DISABLED) {
                continue;
            }
            VirtualServer vs = vss.get(r.getVirtualServerId());
            CheckDefinition def = null;
            try {
                def = definition(r, vs);
            } catch (RuntimeException e) {
                problemsOut.put(r.getId(), "check cannot run: " + e.getMessage());
            }
            out.add(new Target(r.getId(), clusterId, cluster, vs.label(), Addresses.hostPort(r.getAddress(), r.getPort()), def));
        }
        return out;
    }

    /** The check of a real server, its unset knobs from its virtual server; null for NONE. */
    static CheckDefinition definition(RealServer r, VirtualServer vs) {
        return r.getHealthCheck().definition(r.getAddress(), r.getPort(), vs);
    }

    private void recordFlip(Flip f) {
        ThreadPoolExecutor w = eventWriter;
        if (w == null) {
            return;
        }
        w.execute(() -> {
            String action = f.health() == Health.UP ? "UP" : "DOWN";
            for (Target t : f.targets()) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("node", node);
                details.put("virtualServer", t.virtualServer());
                details.put("realServer", t.realServer());
                details.put("check", f.check().label());
                details.put("result", f.result().reason().label());
                if (f.result().detail() != null) {
                    details.put("detail", f.result().detail());
                }
                details.put("latencyMs", Math.round(f.result().durationNanos() / 1e4) / 100.0);
                String summary = "real server " + t.realServer() + " of " + t.virtualServer() + " is " + action + " on " + node + " ("
                        + f.result().describe() + ")";
                try {
                    events.record(EventService.HEALTH, t.clusterId(), t.cluster(), action, "real-server", t.realServerId(), summary,
                            details);
                } catch (RuntimeException e) {
                    log.warn("Cannot record health event '{}': {}", summary, e.toString());
                }
            }
        });
    }

    @Override
    public synchronized void start() {
        if (reloader != null) {
            return;
        }
        if (probing()) {
            prober = Prober.withDefaultTrust(settings.blockingThreads(), settings.prober(), settings.batchInterval());
            // on the native prober's loop the monitor and the meters read the loop pass's time (LoopTime)
            HealthMonitor m = new HealthMonitor(prober::probe, LoopTime.clock(clock));
            monitorMeters = HealthMeters.attach(m, meters, node);
            streamed.add(monitorMeters); // lvs_realserver_up and lvs_realserver_flaps_total, written at the scrape
            eventWriter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "health-events");
                t.setDaemon(true);
                return t;
            }, (r, ex) -> log.warn("health events are backing up: one dropped"));
            notifier = new HealthNotifier(new HealthMonitor.Listener() {
                @Override
                public void flipped(Flip f) {
                    recordFlip(f);
                }

                @Override
                public void downChanged() {
                    listeners.forEach(l -> {
                        try {
                            l.run();
                        } catch (RuntimeException e) {
                            log.warn("health listener failed: {}", e.toString());
                        }
                    });
                }
            });
            m.addListener(notifier);
            monitor = m;
            driver = HealthDriver.start(m, prober);
            log.info("Health checks on node '{}': probing ({} data plane)", node, dataPlane.mode());
        } else {
            log.info("Health checks on node '{}': {}", node, notProbingReason());
        }
        if (settings.enabled()) {
            reloader = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "health-reload");
                t.setDaemon(true);
                return t;
            });
            reloader.scheduleWithFixedDelay(this::reloadIfChanged, 0, settings.reloadInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (reloader != null) {
            reloader.shutdownNow();
            reloader = null;
        }
        if (driver != null) {
            driver.close();
            driver = null;
        }
        if (notifier != null) {
            notifier.close();
            notifier = null;
        }
        if (monitorMeters != null) {
            streamed.remove(monitorMeters);
            monitorMeters.close();
            monitorMeters = null;
        }
        monitor = null;
        if (prober != null) {
            prober.close();
            prober = null;
        }
        if (eventWriter != null) {
            eventWriter.shutdown();
            eventWriter = null;
        }
        loadedGeneration = Long.MIN_VALUE;
    }

    @Override
    public boolean isRunning() {
        return reloader != null || monitor != null;
    }
}
