package io.lvscp.vrrp.node;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.AnnouncePolicy;
import io.lvscp.vrrp.ReceivedPacket;
import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.VrrpCounter;
import io.lvscp.vrrp.VrrpEngine;
import io.lvscp.vrrp.VrrpInstance;
import io.lvscp.vrrp.VrrpInstanceConfig;
import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.VrrpSyncGroup;
import io.lvscp.vrrp.VrrpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's VRRP instances inside the service: one {@link VrrpEngine} and one event-loop thread
 * that owns it and every socket, woken by a packet, a link change, the engine's next deadline, or at
 * most every {@link #LOOP_TICK} (to run configuration changes and to stop promptly).
 *
 * <p>{@link #configure} diffs the desired instances against the running ones and starts, stops or
 * restarts only those that changed; the others keep running (and keep their state). A restarted
 * instance that was master sends priority 0 and releases its VIPs first, then starts as backup.
 * A new instance that finds all its VIPs on the interface (a crash of ours left them) keeps them while it waits as
 * a backup, unless keeping is off or another master is known ({@link RestartVips}: the {@link OtherMasters} lookup,
 * the database in the service); else it first removes them.
 * {@link #close()} stops every instance: masters send priority 0 and remove their VIPs.
 *
 * <p>{@link #forDryRun} makes a node that never touches the host: it computes and shows what it
 * would run, but opens no socket, sends nothing and leaves every instance in INITIALIZE.
 */
public final class VrrpNode implements VrrpNodeHandle {

    private static final Logger log = LoggerFactory.getLogger(VrrpNode.class);

    /** The loop's longest sleep: the latency of a configuration change or of {@link #close()}. */
    static final Duration LOOP_TICK = Duration.ofMillis(10);

    /** A state change of one instance, with why it happened. */
    public record Transition(String node, String instance, int vrid, String interfaceName, VrrpState from, VrrpState to,
            Instant at, String reason, int priority, InetAddress masterAddress, Duration failover) {

        /** "node lvs1: VI_1 BACKUP -> MASTER (no advert for 3.61 s)". */
        public String summary() {
            return "node " + node + ": " + instance + " " + from + " -> " + to + " (" + reason + ")";
        }
    }

    /**
     * What the API, the web page and the metrics show of one instance: a copy taken by the loop.
     *
     * @param masterAddress the current master: our address while master, else the source of the last advert
     *                      that held us back; null when unknown
     * @param lastFailover  for the last takeover (BACKUP to MASTER): from the last advert heard to becoming master
     */
    public record InstanceSnapshot(String name, int vrid, String interfaceName, Family family, int version, VrrpState state,
            int priority, InetAddress masterAddress, Instant lastTransition, String lastTransitionReason, long transitions,
            Duration lastFailover, Map<VrrpCounter, Long> counters) {
    }

    /**
     * Who else is master of an instance, by a channel other than VRRP (in the service: the directors' reports in the
     * database). Called on the caller's thread of {@link #configure}, never on the loop; must not throw.
     */
    public interface OtherMasters {

        /** For each instance name asked, the other nodes that report being its master now. */
        Map<String, RestartVips.OtherMasters> find(Set<String> instances);
    }

    /** What one {@link #configure} call did; {@code errors} by instance name (those are not running). */
    public record Result(List<String> started, List<String> stopped, List<String> restarted, List<String> unchanged,
            Map<String, String> errors) {
    }

    /** Told of transitions (on the loop thread: must not block) and of the set of instances (on the caller's thread). */
    public interface Listener {

        default void transitioned(Transition transition) {
        }

        default void instancesChanged(VrrpNodeHandle node, List<InstanceSnapshot> instances) {
        }

        /** An instance was stopped (removed, restarted or the node closing); {@code last} holds its final counters. */
        default void instanceStopped(InstanceSnapshot last) {
        }
    }

    private final class Running {
        final VrrpInstanceSpec spec;
        final VrrpInstanceConfig config;
        final VrrpInstance instance;
        final VrrpNodeIo.PortKey portKey;
        long transitions;
        String lastReason = "not started";
        Duration lastFailover;
        long priorityZeroSeen;
        /** The other router last seen as master while we were backup. */
        InetAddress remoteMaster;
        /** Set by {@link #release(String)} or {@link #standDown(String)} until the transition it causes is reported: its reason. */
        String releasing;
        /** Started keeping the VIPs it found ({@link VrrpInstance#startHoldingVips()}) and not yet master nor released. */
        boolean holding;

        Running(VrrpInstanceSpec spec, VrrpInstanceConfig config, VrrpInstance instance, VrrpNodeIo.PortKey portKey) {
            this.spec = spec;
            this.config = config;
            this.instance = instance;
            this.portKey = portKey;
        }
    }

    private static final class PortRef {
        final VrrpNodeIo.Port port;
        int users;

        PortRef(VrrpNodeIo.Port port) {
            this.port = port;
        }
    }

    private final String nodeName;
    private final VrrpNodeIo io;
    private final Clock clock;
    private final boolean dryRun;
    private final boolean threaded;
    private final AnnouncePolicy announcePolicy;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean keepVipsOnRestart = true;
    private volatile OtherMasters otherMasters;
    private volatile int realtimePriority;
    private volatile RealtimeScheduling.Scheduler scheduler;
    private volatile RealtimeScheduling realtime = RealtimeScheduling.off();

    // owned by the loop thread (or by the caller in manual mode)
    private final VrrpEngine engine = new VrrpEngine();
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final Map<VrrpNodeIo.PortKey, PortRef> ports = new LinkedHashMap<>();
    /** The ports' sockets, rebuilt after a change of {@link #ports} (null): a round allocates no list. */
    private List<VrrpNodeIo.Port> portList;
    private final Map<String, VrrpSyncGroup> syncGroups = new HashMap<>();
    /** Effective priorities set by a switch-over, by instance name; kept across restarts of the instance. */
    private final Map<String, Integer> priorityOverrides = new HashMap<>();
    /** Instances held as backup by {@link #standDown(String)}; kept across restarts of the instance. */
    private final Set<String> standingDown = new HashSet<>();
    private boolean dirty = true;

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile List<InstanceSnapshot> snapshot = List.of();
    private volatile Map<String, Map<VrrpCounter, Long>> unmatchedSnapshot = Map.of();
    private volatile boolean closing;
    private Thread thread;
    private boolean closed;

    /** A node on the host through {@code io}; its loop thread starts at the first {@link #configure}. */
    public VrrpNode(String nodeName, VrrpNodeIo io, Clock clock) {
        this(nodeName, io, clock, false, true, AnnouncePolicy.KEEPALIVED_DEFAULTS);
    }

    /** Tests: {@code threaded} false runs everything on the caller's thread, one {@link #step()} at a time. */
    public VrrpNode(String nodeName, VrrpNodeIo io, Clock clock, boolean dryRun, boolean threaded, AnnouncePolicy announcePolicy) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.io = io;
        this.clock = clock;
        this.dryRun = dryRun;
        this.threaded = threaded;
        this.announcePolicy = announcePolicy;
    }

    /** A node that shows what it would run and never touches the host (no socket, no address, no packet). */
    public static VrrpNode forDryRun(String nodeName, Clock clock) {
        return new VrrpNode(nodeName, new DryRunIo(), clock, true, false, AnnouncePolicy.ONCE);
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public boolean dryRun() {
        return dryRun;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** {@code lvs.vrrp.keep-vips-on-restart} (default on): see {@link RestartVips}. */
    @Override
    public void keepVipsOnRestart(boolean keep) {
        this.keepVipsOnRestart = keep;
    }

    /** The second channel that tells whether another node is master of an instance (none: VRRP alone). */
    @Override
    public void otherMasters(OtherMasters lookup) {
        this.otherMasters = lookup;
    }

    /**
     * {@code lvs.vrrp.realtime-priority}: the loop thread puts itself in SCHED_RR at {@code priority} (0: the normal
     * class) through {@code scheduler} when it starts; a refusal is logged once and the loop runs on. Set before the
     * first {@link #configure}.
     */
    public void realtimePriority(int priority, RealtimeScheduling.Scheduler scheduler) {
        this.realtimePriority = RealtimeScheduling.validate(priority);
        this.scheduler = scheduler;
        this.realtime = RealtimeScheduling.pending(priority);
    }

    @Override
    public RealtimeScheduling realtime() {
        return realtime;
    }

    /** The instances as the loop last saw them, by name. Safe from any thread. */
    @Override
    public List<InstanceSnapshot> instances() {
        return snapshot;
    }

    /**
     * Per interface, the packets that reached no instance of ours (another router's VRID: VRID_ERR; too short to
     * carry one: PACKET_LEN_ERR), as the loop last saw them. Safe from any thread.
     */
    @Override
    public Map<String, Map<VrrpCounter, Long>> unmatched() {
        return unmatchedSnapshot;
    }

    @Override
    public Optional<InstanceSnapshot> instance(String name) {
        return snapshot.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Makes the running instances those of {@code desired}: starts the new ones, stops the ones no
     * longer wanted, restarts the changed ones (spec, password or our address on the interface),
     * and leaves the others running. An instance that cannot start (no such interface, a VRID used
     * twice, a socket refused) is reported in {@link Result#errors()} and retried at the next call.
     *
     * @param passwords the v2 PASS passwords by instance name (the plan does not carry them)
     */
    @Override
    public synchronized Result configure(List<VrrpInstanceSpec> desired, Map<String, String> passwords) {
        if (closed) {
            throw new IllegalStateException("VRRP node " + nodeName + " is closed");
        }
        List<VrrpInstanceSpec> want = List.copyOf(desired);
        Map<String, String> pass = passwords == null ? Map.of() : Map.copyOf(passwords);
        Map<String, RestartVips.OtherMasters> elsewhere = otherMastersOfNew(want);
        Result result;
        if (!threaded) {
            result = apply(want, pass, elsewhere);
            publish();
        } else {
            startThread();
            CompletableFuture<Result> done = new CompletableFuture<>();
            tasks.add(() -> {
                try {
                    Result r = apply(want, pass, elsewhere);
                    publish();
                    done.complete(r);
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            });
            try {
                result = done.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while configuring VRRP", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the VRRP loop of node " + nodeName + " did not answer in 30 s", e);
            }
        }
        if (!result.started().isEmpty() || !result.stopped().isEmpty() || !result.restarted().isEmpty()
                || !result.errors().isEmpty()) {
            log.info("VRRP node {}{}: started {}, stopped {}, restarted {}, unchanged {}, errors {}", nodeName,
                    dryRun ? " (dry-run)" : "", result.started(), result.stopped(), result.restarted(), result.unchanged(),
                    result.errors());
        }
        List<InstanceSnapshot> now = snapshot;
        for (Listener l : listeners) {
            l.instancesChanged(this, now);
        }
        return result;
    }

    /** For the instances not running yet (only they may start): who else is master, asked here, off the loop. */
    private Map<String, RestartVips.OtherMasters> otherMastersOfNew(List<VrrpInstanceSpec> desired) {
        OtherMasters lookup = otherMasters;
        if (dryRun || !keepVipsOnRestart || lookup == null) {
            return Map.of();
        }
        Set<String> runningNow = new HashSet<>();
        snapshot.forEach(s -> runningNow.add(s.name()));
        Set<String> fresh = new java.util.TreeSet<>();
        desired.forEach(spec -> {
            if (!runningNow.contains(spec.name())) {
                fresh.add(spec.name());
            }
        });
        if (fresh.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, RestartVips.OtherMasters> found = lookup.find(fresh);
            return found == null ? Map.of() : Map.copyOf(found);
        } catch (RuntimeException e) {
            log.warn("VRRP node {}: cannot tell whether another node is master of {}: {}", nodeName, fresh, e.toString());
            return Map.of();
        }
    }

    // ---- the diff (loop thread) ------------------------------------------------------------------------

    private Result apply(List<VrrpInstanceSpec> desired, Map<String, String> passwords,
            Map<String, RestartVips.OtherMasters> elsewhere) {
        List<String> started = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Map<String, String> errors = new TreeMap<>();
        Map<String, VrrpInstanceSpec> specs = new LinkedHashMap<>();
        Map<String, VrrpInstanceConfig> configs = new HashMap<>();
        Set<InetAddress> vips = new HashSet<>();
        for (VrrpInstanceSpec spec : desired) {
            for (var v : spec.vips()) {
                try {
                    vips.add(Addresses.parse(v.address()));
                } catch (RuntimeException e) {
                    // reported with its instance below
                }
            }
        }
        running.values().forEach(r -> vips.addAll(r.config.vips()));
        for (VrrpInstanceSpec spec : desired) {
            if (specs.putIfAbsent(spec.name(), spec) != null) {
                errors.put(spec.name(), "named twice in the plan");
                continue;
            }
            try {
                InetAddress primary = io.primaryAddress(spec.interfaceName(), spec.family(), vips);
                configs.put(spec.name(), VrrpInstanceConfig.fromSpec(spec, passwords.get(spec.name()), primary));
            } catch (IOException | RuntimeException e) {
                errors.put(spec.name(), e.getMessage());
            }
        }
        // stop first: a restarted instance's VRID and socket become free for its new self
        for (String name : List.copyOf(running.keySet())) {
            Running r = running.get(name);
            VrrpInstanceConfig config = configs.get(name);
            if (!specs.containsKey(name)) {
                stop(name);
                stopped.add(name);
            } else if (config != null && !(r.spec.equals(specs.get(name)) && r.config.equals(config))) {
                stop(name);
                restarted.add(name);
            } else if (config != null) {
                unchanged.add(name);
            }
            // a config that cannot be built now leaves the running instance as it is (reported in errors)
        }
        for (Map.Entry<String, VrrpInstanceSpec> e : specs.entrySet()) {
            String name = e.getKey();
            VrrpInstanceConfig config = configs.get(name);
            if (config == null || running.containsKey(name)) {
                continue;
            }
            try {
                start(e.getValue(), config, elsewhere.getOrDefault(name, RestartVips.OtherMasters.unknown()));
                if (!restarted.contains(name)) {
                    started.add(name);
                }
            } catch (IOException | RuntimeException ex) {
                restarted.remove(name);
                errors.put(name, ex.getMessage());
            }
        }
        regroup();
        dirty = true;
        return new Result(started, stopped, restarted, unchanged, errors);
    }

    private void start(VrrpInstanceSpec spec, VrrpInstanceConfig config, RestartVips.OtherMasters elsewhere) throws IOException {
        VrrpNodeIo.PortKey key = portKey(spec);
        PortRef port = ports.get(key);
        boolean opened = false;
        if (port == null && !dryRun) {
            port = new PortRef(io.open(key, config.primaryAddress()));
            ports.put(key, port);
            portList = null;
            opened = true;
        }
        try {
            VrrpTransport transport = dryRun ? DryRunIo.NOTHING : io.transport(spec, config, port.port);
            VrrpInstance instance = new VrrpInstance(config, transport, clock, announcePolicy);
            Integer override = priorityOverrides.get(spec.name());
            if (override != null && !config.isAddressOwner()) {
                instance.setEffectivePriority(override);
            }
            if (standingDown.contains(spec.name())) {
                instance.standDown();
            }
            engine.add(instance, spec.interfaceName(), Set.of());
            Running r = new Running(spec, config, instance, key);
            instance.addListener((i, from, to, at) -> transitioned(r, from, to, at));
            running.put(spec.name(), r);
            if (port != null) {
                port.users++;
            }
            if (dryRun) {
                r.lastReason = "dry-run: not started";
                return;
            }
            // VIPs of ours left on the interface by a crash: kept while we listen if no one else is master, else removed
            boolean linkUp = io.linkUp(spec.interfaceName());
            boolean present = io.vipsPresent(spec);
            RestartVips.Decision keep = RestartVips.decide(keepVipsOnRestart, present, linkUp, elsewhere);
            if (!keep.keep()) {
                transport.removeVips(config);
            }
            if (!linkUp) {
                instance.linkDown(spec.interfaceName());
            }
            if (keep.keep()) {
                r.holding = true;
                log.info("VRRP node {}: {} found its VIPs on {} and keeps them while it waits as a backup ({})", nodeName,
                        spec.name(), spec.interfaceName(), keep.reason());
                instance.startHoldingVips();
            } else {
                if (present) {
                    log.info("VRRP node {}: {} removes the VIPs it found on {}: {}", nodeName, spec.name(), spec.interfaceName(),
                            keep.reason());
                }
                instance.start();
            }
        } catch (IOException | RuntimeException e) {
            if (opened) {
                ports.remove(key).port.close();
                portList = null;
            }
            throw e;
        }
    }

    private void stop(String name) {
        Running r = running.get(name);
        engine.remove(name); // a master sends priority 0 and removes its VIPs
        running.remove(name);
        InstanceSnapshot last = snapshotOf(r);
        for (Listener l : listeners) {
            try {
                l.instanceStopped(last);
            } catch (RuntimeException e) {
                log.warn("VRRP stop listener failed: {}", e.toString());
            }
        }
        PortRef port = ports.get(r.portKey);
        if (port != null && --port.users <= 0) {
            ports.remove(r.portKey);
            portList = null;
            port.port.close();
        }
    }

    /** Sync groups: rebuilt only where their members changed; instances stay as they are. */
    private void regroup() {
        Map<String, List<VrrpInstance>> wanted = new TreeMap<>();
        for (Running r : running.values()) {
            if (r.spec.syncGroup() != null && !r.spec.syncGroup().isBlank()) {
                wanted.computeIfAbsent(r.spec.syncGroup(), g -> new ArrayList<>()).add(r.instance);
            }
        }
        for (String name : List.copyOf(syncGroups.keySet())) {
            VrrpSyncGroup g = syncGroups.get(name);
            List<VrrpInstance> members = wanted.get(name);
            if (members == null || !members.equals(g.members())) {
                g.dissolve();
                syncGroups.remove(name);
            }
        }
        wanted.forEach((name, members) -> syncGroups.computeIfAbsent(name, n -> new VrrpSyncGroup(n, members)));
    }

    static VrrpNodeIo.PortKey portKey(VrrpInstanceSpec spec) {
        if (!spec.unicastPeers().isEmpty()) {
            return new VrrpNodeIo.PortKey(spec.interfaceName(), spec.family(), null);
        }
        String group = spec.multicastGroup() != null && !spec.multicastGroup().isBlank() ? spec.multicastGroup()
                : spec.family() == Family.IPV6 ? "ff02::12" : "224.0.0.18";
        return new VrrpNodeIo.PortKey(spec.interfaceName(), spec.family(), Addresses.parse(group));
    }

    // ---- transitions (loop thread) -----------------------------------------------------------------------

    private void transitioned(Running r, VrrpState from, VrrpState to, Instant at) {
        r.transitions++;
        long zeros = r.instance.stats().get(VrrpCounter.PRI_ZERO_RCVD);
        String reason = reason(r, from, to, zeros > r.priorityZeroSeen);
        r.priorityZeroSeen = zeros;
        Duration failover = null;
        if (from == VrrpState.BACKUP && to == VrrpState.MASTER && r.instance.lastAdvertAt() != null) {
            failover = Duration.between(r.instance.lastAdvertAt(), at);
            r.lastFailover = failover;
        }
        if (r.releasing != null) {
            reason = r.releasing;
            r.releasing = null;
        }
        r.lastReason = reason;
        if (to != VrrpState.BACKUP) {
            r.holding = false;
        }
        dirty = true;
        Transition t = new Transition(nodeName, r.spec.name(), r.config.vrid(), r.spec.interfaceName(), from, to, at, reason,
                r.instance.effectivePriority(), r.instance.status().masterAddress(), failover);
        log.info("VRRP {}", t.summary());
        for (Listener l : listeners) {
            try {
                l.transitioned(t);
            } catch (RuntimeException e) {
                log.warn("VRRP transition listener failed: {}", e.toString());
            }
        }
    }

    private String reason(Running r, VrrpState from, VrrpState to, boolean priorityZero) {
        VrrpInstance i = r.instance;
        InetAddress master = i.status().masterAddress();
        return switch (to) {
            case INITIALIZE -> closing ? "node stopping" : "stopped (configuration changed or removed)";
            case FAULT -> "link down on " + r.spec.interfaceName() + " or a sync-group member in fault";
            case BACKUP -> from == VrrpState.MASTER
                    ? (master != null && !master.equals(r.config.primaryAddress())
                            ? "higher-priority advert from " + master.getHostAddress() : "sync group fell back")
                    : from == VrrpState.FAULT ? "link up" : "started";
            case MASTER -> from == VrrpState.INITIALIZE || from == VrrpState.FAULT ? "address owner (priority 255)"
                    : r.holding ? "kept the VIPs it found through the restart: no other master heard for "
                            + seconds(i.masterDownInterval())
                    : priorityZero ? "master " + (r.remoteMaster == null ? "(unknown)" : r.remoteMaster.getHostAddress()) + " sent priority 0"
                    : i.lastAdvertAt() == null ? "no master heard for " + seconds(i.masterDownInterval())
                    : "no advert for Master_Down_Interval " + seconds(i.masterDownInterval()) + " (or a sync-group member became master)";
        };
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }

    // ---- planned switch-over (issue 16) ------------------------------------------------------------------

    /**
     * Runs {@code instance} with {@code priority} instead of its configured one (null: back to the configured
     * one), now if it runs and whenever it starts again, until changed. Ignored for an address owner.
     *
     * @return whether the instance runs here now
     */
    @Override
    public boolean setEffectivePriority(String instance, Integer priority) {
        if (priority != null && (priority < 1 || priority > 254)) {
            throw new IllegalArgumentException("an effective priority is 1-254, not " + priority);
        }
        return onLoop(() -> {
            Integer before = priority == null ? priorityOverrides.remove(instance) : priorityOverrides.put(instance, priority);
            Running r = running.get(instance);
            if (r == null) {
                return false;
            }
            if (!Objects.equals(before, priority) && !r.config.isAddressOwner()) {
                if (priority == null) {
                    r.instance.clearEffectivePriority();
                } else {
                    r.instance.setEffectivePriority(priority);
                }
                log.info("VRRP node {}: {} runs at priority {} ({})", nodeName, instance, r.instance.effectivePriority(),
                        priority == null ? "configured" : "set by a switch-over");
                dirty = true;
            }
            return true;
        });
    }

    /** The effective priorities set by {@link #setEffectivePriority(String, Integer)}, by instance. */
    @Override
    public Map<String, Integer> effectivePriorities() {
        return onLoop(() -> Map.copyOf(priorityOverrides));
    }

    /**
     * A master of {@code instance} gives mastership away: priority 0, VIPs removed, backup (see
     * {@link VrrpInstance#release()}).
     *
     * @return whether it was master here and released
     */
    @Override
    public boolean release(String instance) {
        return onLoop(() -> {
            Running r = running.get(instance);
            if (r == null || dryRun || r.instance.state() != VrrpState.MASTER) {
                return false;
            }
            r.releasing = "released for a planned switch-over (priority 0 sent)";
            boolean released = r.instance.release();
            r.releasing = null;
            dirty = true;
            return released;
        });
    }

    /**
     * Holds {@code instance} as backup (split brain seen through the database): a master releases as in
     * {@link #release(String)}, and until {@link #endStandDown(String)} the instance does not become master by its
     * Master_Down_Timer ({@link VrrpInstance#standDown()}); kept across restarts of the instance.
     *
     * @return whether it was master here and released
     */
    @Override
    public boolean standDown(String instance, String reason) {
        return onLoop(() -> {
            standingDown.add(instance);
            Running r = running.get(instance);
            if (r == null || dryRun) {
                return false;
            }
            r.releasing = reason;
            boolean released = r.instance.standDown();
            r.releasing = null;
            dirty = true;
            return released;
        });
    }

    /** The hold of {@link #standDown(String, String)} ends. @return whether it was held */
    @Override
    public boolean endStandDown(String instance) {
        return onLoop(() -> {
            boolean was = standingDown.remove(instance);
            Running r = running.get(instance);
            if (r != null) {
                r.instance.endStandDown();
                dirty = true;
            }
            return was;
        });
    }

    /** The instances held as backup by {@link #standDown(String, String)}. */
    public Set<String> standingDown() {
        return onLoop(() -> Set.copyOf(standingDown));
    }

    /** Runs {@code work} on the loop thread (or here, unthreaded) and returns its result. */
    private <T> T onLoop(java.util.function.Supplier<T> work) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("VRRP node " + nodeName + " is closed");
            }
            if (!threaded) {
                T t = work.get();
                publish();
                return t;
            }
            startThread();
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                T t = work.get();
                publish();
                done.complete(t);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the VRRP loop", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the VRRP loop of node " + nodeName + " did not answer in 30 s", e);
        }
    }

    // ---- the loop ----------------------------------------------------------------------------------------

    private void startThread() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "vrrp-" + nodeName);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        long failures = 0;
        raisePriority();
        try {
            while (!closing) {
                try {
                    Instant deadline = engine.nextDeadline();
                    Duration wait = deadline == null ? LOOP_TICK : Duration.between(clock.instant(), deadline);
                    wait = wait.isNegative() ? Duration.ZERO : wait.compareTo(LOOP_TICK) > 0 ? LOOP_TICK : wait;
                    if (tasks.isEmpty() && !wait.isZero()) {
                        io.await(activePorts(), wait);
                    }
                    step();
                } catch (RuntimeException e) {
                    // one bad round must not end VRRP on this node: log (the first ten, then every 1000th) and go on
                    if (++failures <= 10 || failures % 1000 == 0) {
                        log.error("VRRP loop of node {}: round failed ({} so far)", nodeName, failures, e);
                    }
                    dirty = true;
                    try {
                        Thread.sleep(LOOP_TICK.toMillis()); // no busy loop on a failure that repeats
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        closing = true;
                    }
                }
            }
        } catch (Error e) {
            log.error("VRRP loop of node {} stopped", nodeName, e);
        } finally {
            shutdown();
        }
    }

    /** On the loop thread, before its first round: SCHED_RR if asked (a refusal is a warning, not an error). */
    private void raisePriority() {
        int priority = realtimePriority;
        RealtimeScheduling.Scheduler s = scheduler;
        if (priority == 0 || s == null) {
            return;
        }
        RealtimeScheduling r;
        try {
            r = s.raise(priority);
        } catch (RuntimeException e) {
            r = RealtimeScheduling.outcome(priority, -1, -1, e.toString(), -1, -1);
        }
        realtime = r;
        if (r.inEffect()) {
            log.info("VRRP node {}: {}", nodeName, r.detail());
        } else {
            log.warn("VRRP node {}: {}", nodeName, r.detail());
        }
    }

    private List<VrrpNodeIo.Port> activePorts() {
        List<VrrpNodeIo.Port> list = portList;
        if (list == null) {
            List<VrrpNodeIo.Port> l = new ArrayList<>(ports.size());
            ports.values().forEach(p -> l.add(p.port));
            list = List.copyOf(l);
            portList = list;
        }
        return list;
    }

    /** One round: configuration changes, link changes, waiting packets, due timers, then a fresh snapshot. */
    public void step() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
        if (!dryRun) {
            try {
                for (VrrpNodeIo.LinkChange c : io.linkChanges()) {
                    engine.linkChanged(c.interfaceName(), c.up());
                    dirty = true;
                }
            } catch (RuntimeException e) {
                log.warn("VRRP node {}: link changes unreadable: {}", nodeName, e.toString());
            }
            for (VrrpNodeIo.Port p : activePorts()) {
                receiveAll(p);
            }
            noteReleasedVips();
            Instant deadline = engine.nextDeadline();
            if (deadline != null && !clock.instant().isBefore(deadline)) {
                engine.poll();
                dirty = true;
            }
        }
        if (dirty) {
            publish();
        }
    }

    /** A backup that kept its VIPs at start and let them go (a live master's advert): said once in the log. */
    private void noteReleasedVips() {
        for (Running r : running.values()) {
            if (r.holding && !r.instance.holdingVips() && r.instance.state() == VrrpState.BACKUP) {
                r.holding = false;
                InetAddress m = r.instance.status().masterAddress();
                log.info("VRRP node {}: {} released the VIPs it kept at start: master {} heard (priority {})", nodeName,
                        r.spec.name(), m == null ? "(unknown)" : m.getHostAddress(), r.instance.lastAdvertPriority());
            }
        }
    }

    private void receiveAll(VrrpNodeIo.Port port) {
        VrrpNodeIo.PortKey key = port.key();
        for (int n = 0; n < 64; n++) {
            ReceivedPacket packet;
            try {
                packet = port.receive();
            } catch (IOException e) {
                log.warn("VRRP node {}: receive on {} failed: {}", nodeName, key.interfaceName(), e.getMessage());
                return;
            }
            if (packet == null) {
                return;
            }
            // raw sockets see every VRRP packet the interface takes in: keep this port's own
            boolean multicast = packet.destination().isMulticastAddress();
            if (key.group() == null ? multicast : !packet.destination().equals(key.group())) {
                continue;
            }
            engine.receive(key.interfaceName(), packet);
            dirty = true;
        }
    }

    private void publish() {
        dirty = false;
        List<InstanceSnapshot> list = new ArrayList<>(running.size());
        Map<String, Map<VrrpCounter, Long>> unmatched = new TreeMap<>();
        for (Running r : running.values()) {
            list.add(snapshotOf(r));
        }
        for (VrrpNodeIo.PortKey key : ports.keySet()) {
            unmatched.put(key.interfaceName(), engine.unmatched(key.interfaceName()).snapshot());
        }
        // interfaces whose ports were closed keep their last counts
        unmatchedSnapshot.forEach(unmatched::putIfAbsent);
        snapshot = List.copyOf(list);
        unmatchedSnapshot = Map.copyOf(unmatched);
    }

    private InstanceSnapshot snapshotOf(Running r) {
        var s = r.instance.status();
        if (s.state() == VrrpState.BACKUP && s.masterAddress() != null) {
            r.remoteMaster = s.masterAddress();
        }
        return new InstanceSnapshot(r.spec.name(), r.config.vrid(), r.spec.interfaceName(), r.config.family(),
                r.spec.vrrpVersion(), s.state(), s.priority(), s.masterAddress(), s.lastTransition(), r.lastReason,
                r.transitions, r.lastFailover, r.instance.stats().snapshot());
    }

    private void shutdown() {
        closing = true;
        for (String name : List.copyOf(running.keySet())) {
            try {
                stop(name);
            } catch (RuntimeException e) {
                log.warn("VRRP node {}: stopping {} failed: {}", nodeName, name, e.toString());
            }
        }
        syncGroups.values().forEach(VrrpSyncGroup::dissolve);
        syncGroups.clear();
        ports.values().forEach(p -> p.port.close());
        ports.clear();
        portList = null;
        publish();
    }

    /** Stops every instance (masters send priority 0 and remove their VIPs), closes the sockets. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            shutdown();
        }
        io.close();
    }

    /** The dry-run node's host: nothing. */
    static final class DryRunIo implements VrrpNodeIo {

        static final VrrpTransport NOTHING = new VrrpTransport() {
            @Override
            public void sendAdvertisement(VrrpInstanceConfig instance, io.lvscp.vrrp.Advertisement advertisement) {
            }

            @Override
            public void addVips(VrrpInstanceConfig instance) {
            }

            @Override
            public void removeVips(VrrpInstanceConfig instance) {
            }

            @Override
            public void announceVips(VrrpInstanceConfig instance) {
            }
        };

        @Override
        public InetAddress primaryAddress(String interfaceName, Family family, Set<InetAddress> vips) {
            return Addresses.parse(family == Family.IPV6 ? "::" : "0.0.0.0");
        }

        @Override
        public boolean linkUp(String interfaceName) {
            return true;
        }

        @Override
        public Port open(PortKey key, InetAddress source) {
            throw new UnsupportedOperationException("dry-run opens no socket");
        }

        @Override
        public VrrpTransport transport(VrrpInstanceSpec spec, VrrpInstanceConfig config, Port port) {
            return NOTHING;
        }

        @Override
        public void await(List<Port> ports, Duration timeout) {
        }

        @Override
        public List<LinkChange> linkChanges() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }
}
