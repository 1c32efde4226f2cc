package io.lvscp.vrrp.process;

import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.VrrpCounter;
import io.lvscp.vrrp.node.RealtimeScheduling;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's VRRP engine in a child process ({@code lvs.vrrp.engine=process}), seen from the service: the same
 * {@link VrrpNodeHandle} as the embedded {@link VrrpNode}, which the child runs ({@code VrrpEngineProcess}), talking
 * {@link VrrpProcessProtocol} over the child's standard input and output.
 *
 * <p>Supervision: a thread starts the child, and when it dies starts it again after {@link RestartBackoff}'s wait,
 * then hands it the last configuration (the effective priorities of a switch-over first, then the instances, with the
 * database's view of other masters for all of them: a restarted child finds the VIPs its predecessor left and keeps
 * them only if no one else is master, as after a restart of the service). {@link Supervision} is told of each start and
 * death (the service turns them into an event and metrics). While the child is down, {@link #instances()} is empty and
 * {@link #configure} reports every instance as an error (retried by the node agent's next round; the child gets the
 * configuration as soon as it is up anyway).
 *
 * <p>{@link #close()} asks the child to stop (masters send priority 0 and remove their VIPs) and waits for it. If the
 * service dies instead, the child's standard input ends and it halts without touching the host (see
 * {@code VrrpEngineProcess}).
 */
public final class ProcessVrrpNode implements VrrpNodeHandle {

    private static final Logger log = LoggerFactory.getLogger(ProcessVrrpNode.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    /** Starts the child process (its standard streams are pipes). */
    public interface Launcher {
        Process start(String nodeName, boolean keepVips) throws IOException;
    }

    /** Told of the child's starts and deaths, on the supervisor's thread (must not block). */
    public interface Supervision {
        default void started(long pid, long starts) {
        }

        default void died(long pid, Integer exitCode, Duration ran, Duration restartIn) {
        }
    }

    private final String nodeName;
    private final Launcher launcher;
    private final RestartBackoff backoff;
    private final List<VrrpNode.Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Supervision> supervision = new CopyOnWriteArrayList<>();
    private volatile boolean keepVips = true;
    private volatile VrrpNode.OtherMasters otherMasters;

    private final Object lock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<VrrpProcessProtocol.Reply>> pending = new ConcurrentHashMap<>();
    private final Map<String, VrrpNode.Transition> lastTransitions = new ConcurrentHashMap<>();
    private final Map<String, Integer> overrides = new ConcurrentHashMap<>();
    /** Instances held as backup by {@link #standDown}, with the reason: held again in a new child. */
    private final Map<String, String> heldDown = new ConcurrentHashMap<>();
    private volatile VrrpProcessProtocol.Snapshot snapshot = new VrrpProcessProtocol.Snapshot(List.of(), Map.of());
    /** What the child said of its loop thread's scheduling; OFF until a child said it. */
    private volatile RealtimeScheduling realtime = RealtimeScheduling.off();
    private volatile Child child;
    private volatile boolean closing;
    private volatile List<VrrpInstanceSpec> desired;
    private volatile Map<String, String> passwords = Map.of();
    private final AtomicLong starts = new AtomicLong();
    private Thread supervisor;

    private final class Child {
        final Process process;
        final OutputStream in;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final long startedAt = System.nanoTime();

        Child(Process process) {
            this.process = process;
            this.in = process.getOutputStream();
        }
    }

    public ProcessVrrpNode(String nodeName, Launcher launcher, RestartBackoff backoff) {
        this.nodeName = nodeName;
        this.launcher = launcher;
        this.backoff = backoff;
    }

    @Override
    public String nodeName() {
        return nodeName;
    }

    @Override
    public boolean dryRun() {
        return false;
    }

    @Override
    public void addListener(VrrpNode.Listener listener) {
        listeners.add(listener);
    }

    public void addSupervision(Supervision s) {
        supervision.add(s);
    }

    @Override
    public void keepVipsOnRestart(boolean keep) {
        this.keepVips = keep;
    }

    @Override
    public void otherMasters(VrrpNode.OtherMasters lookup) {
        this.otherMasters = lookup;
    }

    @Override
    public List<VrrpNode.InstanceSnapshot> instances() {
        return snapshot.instances();
    }

    @Override
    public Map<String, Map<VrrpCounter, Long>> unmatched() {
        return snapshot.unmatched();
    }

    /** What the current child said of its loop thread's scheduling (OFF until one said it, or while none runs). */
    @Override
    public RealtimeScheduling realtime() {
        return realtime;
    }

    /** Whether the child runs and has said it is ready. */
    public boolean up() {
        Child c = child;
        return c != null && c.ready.isDone() && !c.ready.isCompletedExceptionally() && c.process.isAlive();
    }

    /** The child's process id, or -1. */
    public long pid() {
        Child c = child;
        return c == null ? -1 : c.process.pid();
    }

    /** How many times the child was started. */
    public long starts() {
        return starts.get();
    }

    /** Starts the supervisor (and the child) if not yet; {@link #configure} does it too. */
    public void start() {
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("VRRP node " + nodeName + " is closed");
            }
            if (supervisor == null) {
                supervisor = new Thread(this::supervise, "vrrp-engine-supervisor");
                supervisor.setDaemon(true);
                supervisor.start();
            }
        }
    }

    @Override
    public VrrpNode.Result configure(List<VrrpInstanceSpec> specs, Map<String, String> pass) {
        start();
        List<VrrpInstanceSpec> want = List.copyOf(specs);
        Map<String, String> pw = pass == null ? Map.of() : Map.copyOf(pass);
        VrrpNode.Result result;
        synchronized (lock) {
            desired = want;
            passwords = pw;
            Child c = awaitUp(Duration.ofSeconds(20));
            if (c == null) {
                Map<String, String> errors = new TreeMap<>();
                want.forEach(s -> errors.put(s.name(), "the VRRP engine process is not running (being restarted)"));
                return new VrrpNode.Result(List.of(), List.of(), List.of(), List.of(), errors);
            }
            result = sendConfigure(c, want, pw, false);
        }
        List<VrrpNode.InstanceSnapshot> now = instances();
        for (VrrpNode.Listener l : listeners) {
            l.instancesChanged(this, now);
        }
        return result;
    }

    /** Sends the configuration; {@code all}: the database's view for every instance (a new child runs none yet). */
    private VrrpNode.Result sendConfigure(Child c, List<VrrpInstanceSpec> want, Map<String, String> pw, boolean all) {
        VrrpProcessProtocol.Reply reply = call(c, new VrrpProcessProtocol.Configure(ids.incrementAndGet(), want, pw,
                otherMastersOf(want, all)));
        VrrpProcessProtocol.ConfigureReply r = (VrrpProcessProtocol.ConfigureReply) reply;
        if (r.error() != null) {
            throw new IllegalStateException(r.error());
        }
        if (r.snapshot() != null) {
            applySnapshot(r.snapshot());
        }
        return r.result();
    }

    /** As {@link VrrpNode} asks its lookup: for the instances not running yet, off the engine's loop. */
    private Map<String, RestartVips.OtherMasters> otherMastersOf(List<VrrpInstanceSpec> want, boolean all) {
        VrrpNode.OtherMasters lookup = otherMasters;
        if (!keepVips || lookup == null) {
            return Map.of();
        }
        Set<String> running = new HashSet<>();
        if (!all) {
            instances().forEach(s -> running.add(s.name()));
        }
        Set<String> fresh = new TreeSet<>();
        want.forEach(s -> {
            if (!running.contains(s.name())) {
                fresh.add(s.name());
            }
        });
        if (fresh.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, RestartVips.OtherMasters> found = lookup.find(fresh);
            return found == null ? Map.of() : found;
        } catch (RuntimeException e) {
            log.warn("VRRP node {}: cannot tell whether another node is master of {}: {}", nodeName, fresh, e.toString());
            return Map.of();
        }
    }

    @Override
    public boolean setEffectivePriority(String instance, Integer priority) {
        if (priority != null && (priority < 1 || priority > 254)) {
            throw new IllegalArgumentException("an effective priority is 1-254, not " + priority);
        }
        if (priority == null) {
            overrides.remove(instance);
        } else {
            overrides.put(instance, priority);
        }
        // not up: given to the child when it is up again
        return Boolean.TRUE.equals(ask(id -> new VrrpProcessProtocol.SetEffective(id, instance, priority)));
    }

    @Override
    public Map<String, Integer> effectivePriorities() {
        return Map.copyOf(overrides);
    }

    @Override
    public boolean release(String instance) {
        return Boolean.TRUE.equals(ask(id -> new VrrpProcessProtocol.Release(id, instance)));
    }

    @Override
    public boolean standDown(String instance, String reason) {
        heldDown.put(instance, reason);
        // not up: held in the child when it is up again
        return Boolean.TRUE.equals(ask(id -> new VrrpProcessProtocol.StandDown(id, instance, reason)));
    }

    @Override
    public boolean endStandDown(String instance) {
        boolean held = heldDown.remove(instance) != null;
        return Boolean.TRUE.equals(ask(id -> new VrrpProcessProtocol.EndStandDown(id, instance))) || held;
    }

    /** The child's yes or no to {@code request} (given the next id); null when no child is up within 5 s. */
    private Boolean ask(java.util.function.LongFunction<VrrpProcessProtocol.Request> request) {
        Child c = awaitUp(Duration.ofSeconds(5));
        return c == null ? null : booleanReply(call(c, request.apply(ids.incrementAndGet())));
    }

    private static boolean booleanReply(VrrpProcessProtocol.Reply reply) {
        VrrpProcessProtocol.BooleanReply b = (VrrpProcessProtocol.BooleanReply) reply;
        if (b.error() != null) {
            throw new IllegalStateException(b.error());
        }
        return b.value();
    }

    @Override
    public void close() {
        Thread s;
        Child c;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            s = supervisor;
            c = child;
        }
        if (c != null && c.process.isAlive()) {
            try {
                call(c, new VrrpProcessProtocol.Stop(ids.incrementAndGet()));
            } catch (RuntimeException e) {
                log.warn("VRRP node {}: the engine process did not confirm its stop: {}", nodeName, e.toString());
            }
            try {
                if (!c.process.waitFor(10, TimeUnit.SECONDS)) {
                    log.warn("VRRP node {}: the engine process (pid {}) still runs 10 s after its stop: SIGTERM", nodeName,
                            c.process.pid());
                    c.process.destroy();
                    if (!c.process.waitFor(10, TimeUnit.SECONDS)) {
                        c.process.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (s != null) {
            s.interrupt();
        }
    }

    // ---- the child ---------------------------------------------------------------------------------------

    /** The child when it is up within {@code wait}, else null. */
    private Child awaitUp(Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        while (!closing) {
            Child c = child;
            if (c != null && c.process.isAlive()) {
                try {
                    long left = end - System.nanoTime();
                    c.ready.get(Math.max(left, 1), TimeUnit.NANOSECONDS);
                    return c.process.isAlive() ? c : null;
                } catch (TimeoutException e) {
                    return null;
                } catch (ExecutionException e) {
                    // died before ready: wait for the next one
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            if (System.nanoTime() >= end) {
                return null;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private VrrpProcessProtocol.Reply call(Child c, VrrpProcessProtocol.Request request) {
        CompletableFuture<VrrpProcessProtocol.Reply> f = new CompletableFuture<>();
        pending.put(request.id(), f);
        try {
            synchronized (c.in) {
                c.in.write((VrrpProcessProtocol.encode(request) + "\n").getBytes(StandardCharsets.UTF_8));
                c.in.flush();
            }
            return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("the VRRP engine process cannot be written to: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the VRRP engine process", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the VRRP engine process: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the VRRP engine process of node " + nodeName + " did not answer in "
                    + CALL_TIMEOUT.toSeconds() + " s", e);
        } finally {
            pending.remove(request.id());
        }
    }

    private void supervise() {
        while (!closing) {
            Child c;
            try {
                c = new Child(launcher.start(nodeName, keepVips));
            } catch (IOException | RuntimeException e) {
                log.error("VRRP node {}: the engine process cannot start: {}", nodeName, e.toString());
                if (!pause(backoff.afterDeath(Duration.ZERO))) {
                    return;
                }
                continue;
            }
            long n = starts.incrementAndGet();
            child = c;
            Thread reader = new Thread(() -> read(c), "vrrp-engine-out");
            reader.setDaemon(true);
            reader.start();
            Thread errors = new Thread(() -> copyLog(c), "vrrp-engine-log");
            errors.setDaemon(true);
            errors.start();
            log.info("VRRP node {}: engine process started (pid {}, start {})", nodeName, c.process.pid(), n);
            supervision.forEach(s -> s.started(c.process.pid(), n));
            try {
                c.ready.get(60, TimeUnit.SECONDS);
                resume(c);
            } catch (TimeoutException | ExecutionException | RuntimeException e) {
                log.error("VRRP node {}: the engine process (pid {}) did not become ready: {}", nodeName, c.process.pid(),
                        e.toString());
                c.process.destroyForcibly();
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
            }
            Integer exit = null;
            try {
                exit = c.process.waitFor();
                reader.join(2_000);
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
            }
            if (closing) {
                return;
            }
            Duration ran = Duration.ofNanos(System.nanoTime() - c.startedAt);
            Duration wait = backoff.afterDeath(ran);
            log.error("VRRP node {}: the engine process (pid {}) died (exit {}) after {} s; starting it again in {} ms", nodeName,
                    c.process.pid(), exit, ran.toMillis() / 1000.0, wait.toMillis());
            Integer code = exit;
            supervision.forEach(s -> s.died(c.process.pid(), code, ran, wait));
            if (!pause(wait)) {
                return;
            }
        }
    }

    /** A fresh child: the switch-over's priorities and the split-brain holds, then the last configuration. */
    private void resume(Child c) {
        for (Map.Entry<String, Integer> e : new TreeMap<>(overrides).entrySet()) {
            call(c, new VrrpProcessProtocol.SetEffective(ids.incrementAndGet(), e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, String> e : new TreeMap<>(heldDown).entrySet()) {
            call(c, new VrrpProcessProtocol.StandDown(ids.incrementAndGet(), e.getKey(), e.getValue()));
        }
        List<VrrpInstanceSpec> want;
        Map<String, String> pw;
        synchronized (lock) {
            want = desired;
            pw = passwords;
            if (want != null && starts.get() > 1) {
                VrrpNode.Result r = sendConfigure(c, want, pw, true);
                log.info("VRRP node {}: engine process restarted with {} instance(s): started {}, errors {}", nodeName,
                        want.size(), r.started(), r.errors());
            }
        }
        if (want != null && starts.get() > 1) {
            List<VrrpNode.InstanceSnapshot> now = instances();
            listeners.forEach(l -> l.instancesChanged(this, now));
        }
    }

    private boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return !closing;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void read(Child c) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(c.process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                VrrpProcessProtocol.Message m;
                try {
                    m = VrrpProcessProtocol.decodeMessage(line);
                } catch (RuntimeException e) {
                    log.warn("VRRP engine process: a line that cannot be read ({}): {}", e.getMessage(), line);
                    continue;
                }
                receive(c, m);
            }
        } catch (IOException e) {
            log.debug("VRRP engine process output ended: {}", e.toString());
        } finally {
            c.ready.completeExceptionally(new IllegalStateException("the VRRP engine process ended"));
            // its instances are gone with it (the VIPs stay on the host until the next child decides)
            pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("the VRRP engine process ended")));
            if (child == c) {
                snapshot = new VrrpProcessProtocol.Snapshot(List.of(), snapshot.unmatched());
                realtime = RealtimeScheduling.off();
                lastTransitions.clear();
                if (!closing) {
                    listeners.forEach(l -> {
                        try {
                            l.instancesChanged(this, List.of());
                        } catch (RuntimeException e) {
                            log.warn("VRRP listener failed: {}", e.toString());
                        }
                    });
                }
            }
        }
    }

    private void receive(Child c, VrrpProcessProtocol.Message m) {
        if (m instanceof VrrpProcessProtocol.Ready) {
            c.ready.complete(null);
        } else if (m instanceof VrrpProcessProtocol.Reply reply) {
            CompletableFuture<VrrpProcessProtocol.Reply> f = pending.get(reply.id());
            if (f != null) {
                f.complete(reply);
            }
        } else if (m instanceof VrrpProcessProtocol.TransitionMessage t) {
            VrrpNode.Transition x = t.transition();
            lastTransitions.put(x.instance(), x);
            snapshot = patched(snapshot, x);
            for (VrrpNode.Listener l : listeners) {
                try {
                    l.transitioned(x);
                } catch (RuntimeException e) {
                    log.warn("VRRP transition listener failed: {}", e.toString());
                }
            }
        } else if (m instanceof VrrpProcessProtocol.Snapshot s) {
            applySnapshot(s);
        } else if (m instanceof VrrpProcessProtocol.Realtime r) {
            if (child == c) {
                realtime = r.scheduling();
            }
        } else if (m instanceof VrrpProcessProtocol.Stopped s) {
            lastTransitions.remove(s.last().name());
            for (VrrpNode.Listener l : listeners) {
                try {
                    l.instanceStopped(s.last());
                } catch (RuntimeException e) {
                    log.warn("VRRP stop listener failed: {}", e.toString());
                }
            }
        }
    }

    private void applySnapshot(VrrpProcessProtocol.Snapshot s) {
        VrrpProcessProtocol.Snapshot now = s;
        // a snapshot the child took just before a transition it already sent must not undo it
        for (VrrpNode.Transition t : lastTransitions.values()) {
            now = patchedIfOlder(now, t);
        }
        snapshot = now;
    }

    /** {@code s} with the instance of {@code t} in {@code t}'s state, if {@code s} does not show it yet. */
    static VrrpProcessProtocol.Snapshot patchedIfOlder(VrrpProcessProtocol.Snapshot s, VrrpNode.Transition t) {
        for (VrrpNode.InstanceSnapshot i : s.instances()) {
            if (i.name().equals(t.instance()) && (i.lastTransition() == null || i.lastTransition().isBefore(t.at()))) {
                return patched(s, t);
            }
        }
        return s;
    }

    /** {@code s} with the instance of {@code t} in {@code t}'s state. */
    static VrrpProcessProtocol.Snapshot patched(VrrpProcessProtocol.Snapshot s, VrrpNode.Transition t) {
        List<VrrpNode.InstanceSnapshot> list = new ArrayList<>(s.instances().size());
        for (VrrpNode.InstanceSnapshot i : s.instances()) {
            if (i.name().equals(t.instance())) {
                i = new VrrpNode.InstanceSnapshot(i.name(), i.vrid(), i.interfaceName(), i.family(), i.version(), t.to(),
                        t.priority(), t.masterAddress(), t.at(), t.reason(), i.transitions() + 1,
                        t.failover() != null ? t.failover() : i.lastFailover(), i.counters());
            }
            list.add(i);
        }
        return new VrrpProcessProtocol.Snapshot(list, s.unmatched());
    }

    private void copyLog(Child c) {
        Logger childLog = LoggerFactory.getLogger("io.lvscp.vrrp.engine-process");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(c.process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                childLog.info("[pid {}] {}", c.process.pid(), line);
            }
        } catch (IOException e) {
            // ended with the child
        }
    }

    /** For tests: a map of what {@link #setEffectivePriority} holds, to compare with the child's. */
    Map<String, Integer> overrides() {
        return new HashMap<>(overrides);
    }
}
