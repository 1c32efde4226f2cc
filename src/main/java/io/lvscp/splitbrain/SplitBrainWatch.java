package io.lvscp.splitbrain;

import io.lvscp.common.PeriodicThread;
import io.lvscp.LvsProperties;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.event.EventService;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Split brain through the database (issue 16). Every {@code lvs.directors.heartbeat-interval}, and at
 * once when one of its VRRP instances changes state, this node writes the state and priority of every
 * instance it runs next to its heartbeat (director_vrrp_state); then it reads every director's and
 * feeds them to a {@link SplitBrainDetector}. Every node (director or API node) watches: its metrics
 * and console show the same. An episode's events ({@code SPLIT_BRAIN}, {@code DETECTED} /
 * {@code CLEARED}, notified like the others through lvs.notify) are recorded by one node only, the
 * first by name with a fresh heartbeat ({@link SplitBrainDetector#recorder}).
 *
 * <p>Meters, tagged cluster, instance and node (this node, the observer): {@code lvs_vrrp_masters}
 * (fresh masters reported), {@code lvs_vrrp_split_brain_detected} (1 during an episode) and
 * {@code lvs_vrrp_split_brain_episodes_total}.
 *
 * <p>With {@code lvs.split-brain.step-down=true} (off by default) a director that is, in a confirmed episode, the
 * master that steps down first gives mastership away and is held as backup while another director reports being
 * master ({@link StepDown}, {@link VrrpNode#standDown}); it records {@code STEPPED_DOWN} and, when the hold ends,
 * {@code HOLD_ENDED} (itself, not the recorder: only it knows). Meters on that director, tagged cluster, instance
 * and node: {@code lvs_vrrp_split_brain_step_downs_total} and {@code lvs_vrrp_split_brain_held} (1 while held).
 */
@Component
public class SplitBrainWatch implements SmartLifecycle, VrrpNode.Listener {

    private static final Logger log = LoggerFactory.getLogger(SplitBrainWatch.class);

    private final String node;
    private final SplitBrainProperties settings;
    private final Duration interval;
    private final VrrpStateStore store;
    private final DatabaseStatus database;
    private final ObjectProvider<VrrpNodeHandle> vrrp;
    private final EventService events;
    private final MeterRegistry registry;
    private final SplitBrainDetector detector;
    private final Map<SplitBrainDetector.Key, Meters> gauges = new ConcurrentHashMap<>();
    private final PeriodicThread thread = new PeriodicThread("split-brain-watch");
    private volatile String lastError;
    private boolean listening;
    /** Instances this director holds as backup after stepping down (step-down on), with their keys. */
    private final Map<SplitBrainDetector.Key, String> held = new ConcurrentHashMap<>();
    private final Map<SplitBrainDetector.Key, AtomicInteger> heldGauges = new ConcurrentHashMap<>();
    private long lastReadNanos = System.nanoTime();

    SplitBrainWatch(LvsProperties props, SplitBrainProperties settings, VrrpStateStore store, DatabaseStatus database,
            ObjectProvider<VrrpNodeHandle> vrrp, EventService events, MeterRegistry meters) {
        this.node = props.nodeName();
        this.settings = settings;
        this.interval = props.directors().heartbeatInterval();
        this.store = store;
        this.database = database;
        this.vrrp = vrrp;
        this.events = events;
        this.registry = meters;
        this.detector = new SplitBrainDetector(settings.staleAfter());
    }

    /** The episodes going on (the console's red line). */
    public List<SplitBrainDetector.Episode> episodes() {
        return detector.episodes();
    }

    /** Writes this node's VRRP states. Never throws. */
    void report() {
        if (!database.ready()) {
            return;
        }
        try {
            VrrpNodeHandle n = vrrp.getIfAvailable();
            List<VrrpStateStore.State> states = new ArrayList<>();
            if (n != null) {
                for (VrrpNode.InstanceSnapshot s : n.instances()) {
                    states.add(new VrrpStateStore.State(s.name(), s.state().name(), s.priority()));
                }
            }
            store.write(node, states);
        } catch (RuntimeException e) {
            warnOnce("cannot write the VRRP states", e);
        }
    }

    /** Reads every director's states and acts on what started or ended. Never throws. */
    void evaluate() {
        if (!database.ready()) {
            unreadable();
            return;
        }
        try {
            VrrpStateStore.Snapshot s = store.read();
            lastReadNanos = System.nanoTime();
            List<SplitBrainDetector.Change> changes = detector.observe(s.databaseNow(), s.reports());
            detector.masterCounts().forEach((key, count) -> meters(key).masters().set(count));
            boolean recorder = node.equals(SplitBrainDetector.recorder(s.databaseNow(), settings.staleAfter(), s.heartbeats()));
            for (SplitBrainDetector.Change c : changes) {
                act(c, recorder);
            }
            if (settings.stepDown() || !held.isEmpty()) {
                StepDown.Actions a = StepDown.decide(node, s.databaseNow(), settings.staleAfter(), s.reports(), detector.episodes(),
                        held.keySet());
                a.resume().forEach(this::resume);
                a.stepDown().forEach(this::stepDown);
            }
            // an instance no director reports any more (deleted, or its directors' rows gone): its series go, not to 0
            for (SplitBrainDetector.Key key : List.copyOf(gauges.keySet())) {
                if (!detector.masterCounts().containsKey(key)) {
                    gauges.remove(key).all().forEach(registry::remove);
                }
            }
            lastError = null;
        } catch (RuntimeException e) {
            warnOnce("cannot read the directors' VRRP states", e);
            unreadable();
        }
    }

    /** The database cannot be read: the holds end once the last good read is stale-after old. */
    private void unreadable() {
        if (!held.isEmpty()) {
            StepDown.unreadable(held.keySet(), Duration.ofNanos(System.nanoTime() - lastReadNanos), settings.staleAfter())
                    .forEach(this::resume);
        }
    }

    private void stepDown(StepDown.Leave leave) {
        VrrpNodeHandle n = vrrp.getIfAvailable();
        if (n == null) {
            return;
        }
        SplitBrainDetector.Key key = leave.key();
        SplitBrainDetector.Episode ep = leave.episode();
        String where = key.instance() + (key.cluster() == null ? "" : " of cluster " + key.cluster());
        boolean released = n.standDown(key.instance(), "stepped down: split brain seen through the database (" + describe(ep.masters())
                + "), lvs.split-brain.step-down");
        held.put(key, key.instance());
        heldGauge(key).set(1);
        Counter.builder("lvs.vrrp.split.brain.step.downs").description("Times this director stepped down in a split brain seen through the database")
                .tags(tags(key)).register(registry).increment();
        String summary = "Split brain: " + node + " steps down from " + where + " (" + (released ? "released: priority 0 sent, VIPs removed"
                : "it was no longer master here") + ") and stays backup while another director reports being master";
        log.warn(summary);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("instance", key.instance());
        details.put("masters", ep.masters());
        details.put("node", node);
        details.put("released", released);
        events.record(EventService.SPLIT_BRAIN, store.clusterId(key.cluster()), key.cluster(), "STEPPED_DOWN", "VRRP_INSTANCE", null,
                summary, details);
    }

    private void resume(StepDown.Resume r) {
        SplitBrainDetector.Key key = r.key();
        if (held.remove(key) == null) {
            return;
        }
        heldGauge(key).set(0);
        VrrpNodeHandle n = vrrp.getIfAvailable();
        if (n != null) {
            n.endStandDown(key.instance());
        }
        String where = key.instance() + (key.cluster() == null ? "" : " of cluster " + key.cluster());
        String summary = "Split brain: " + node + " no longer holds " + where + " as backup: " + r.reason();
        log.warn(summary);
        try {
            events.record(EventService.SPLIT_BRAIN, store.clusterId(key.cluster()), key.cluster(), "HOLD_ENDED", "VRRP_INSTANCE", null,
                    summary, Map.of("instance", key.instance(), "node", node, "reason", r.reason()));
        } catch (RuntimeException e) {
            warnOnce("cannot record the end of the hold", e); // the database may be the reason it ended
        }
    }

    /** The instances this director holds as backup after stepping down. */
    public List<SplitBrainDetector.Key> held() {
        return List.copyOf(held.keySet());
    }

    private AtomicInteger heldGauge(SplitBrainDetector.Key key) {
        return heldGauges.computeIfAbsent(key, k -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder("lvs.vrrp.split.brain.held", v, AtomicInteger::get)
                    .description("1 while this director, having stepped down in a split brain, is held as backup").tags(tags(k))
                    .register(registry);
            return v;
        });
    }

    private String[] tags(SplitBrainDetector.Key k) {
        return new String[] {"cluster", k.cluster() == null ? "" : k.cluster(), "instance", k.instance(), "node", node};
    }

    private void act(SplitBrainDetector.Change c, boolean recorder) {
        SplitBrainDetector.Episode ep = c.episode();
        SplitBrainDetector.Key key = ep.key();
        Meters m = meters(key);
        String where = key.instance() + (key.cluster() == null ? "" : " of cluster " + key.cluster());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("instance", key.instance());
        details.put("masters", ep.masters());
        details.put("since", ep.since().toString());
        details.put("seenBy", node);
        String summary;
        if (c.started()) {
            m.detected().set(1);
            m.episodes().increment();
            details.put("confirmedAt", ep.confirmedAt().toString());
            summary = "Split brain: " + where + " has " + ep.masters().size() + " masters (" + describe(ep.masters())
                    + "), seen through the database";
            log.error("{}: the directors do not hear each other's VRRP adverts (multicast cut?), both hold the VIPs", summary);
        } else {
            m.detected().set(0);
            long millis = Duration.between(ep.confirmedAt(), c.at()).toMillis();
            details.put("endedAt", c.at().toString());
            details.put("lastedSeconds", millis / 1000.0);
            summary = "Split brain over: " + where + " has at most one master again (after " + millis / 1000.0 + " s)";
            log.warn(summary);
        }
        if (recorder) {
            events.record(EventService.SPLIT_BRAIN, store.clusterId(key.cluster()), key.cluster(), c.started() ? "DETECTED" : "CLEARED",
                    "VRRP_INSTANCE", null, summary, details);
        }
    }

    private static String describe(Map<String, Integer> masters) {
        List<String> parts = new ArrayList<>();
        masters.forEach((n, p) -> parts.add(n + " priority " + p));
        return String.join(", ", parts);
    }

    /** One instance's meters, registered when it is first seen. */
    private record Meters(AtomicInteger masters, AtomicInteger detected, Counter episodes, List<io.micrometer.core.instrument.Meter> all) {
    }

    private Meters meters(SplitBrainDetector.Key key) {
        return gauges.computeIfAbsent(key, k -> {
            Meters m = new Meters(new AtomicInteger(), new AtomicInteger(), Counter.builder("lvs.vrrp.split.brain.episodes")
                    .description("Split brains of the instance seen through the database")
                    .tags("cluster", k.cluster() == null ? "" : k.cluster(), "instance", k.instance(), "node", node).register(registry),
                    new ArrayList<>());
            m.all().add(m.episodes());
            m.all().add(Gauge.builder("lvs.vrrp.masters", m.masters(), AtomicInteger::get)
                    .description("Directors reporting MASTER for the instance in a fresh heartbeat, as this node reads the database")
                    .tags("cluster", k.cluster() == null ? "" : k.cluster(), "instance", k.instance(), "node", node).register(registry));
            m.all().add(Gauge.builder("lvs.vrrp.split.brain.detected", m.detected(), AtomicInteger::get)
                    .description("1 while two or more directors have been masters of the instance for two heartbeats in a row")
                    .tags("cluster", k.cluster() == null ? "" : k.cluster(), "instance", k.instance(), "node", node).register(registry));
            return m;
        });
    }

    private void warnOnce(String what, RuntimeException e) {
        if (DatabaseStatus.isConnectionFailure(e)) {
            return; // the heartbeat reports the outage
        }
        if (!e.toString().equals(lastError)) {
            lastError = e.toString();
            log.warn("Node {}: {}: {}", node, what, e.toString());
        }
    }

    void tick() {
        report();
        evaluate();
    }

    /** On the VRRP loop thread: must not block; the new state is written at once on the watch's thread. */
    @Override
    public void transitioned(VrrpNode.Transition transition) {
        thread.runSoon(this::tick);
    }

    @Override
    public synchronized void start() {
        if (thread.isRunning() || !settings.enabled()) {
            return;
        }
        VrrpNodeHandle n = vrrp.getIfAvailable();
        if (n != null && !listening) {
            n.addListener(this);
            listening = true;
        }
        thread.start(this::tick, interval);
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
