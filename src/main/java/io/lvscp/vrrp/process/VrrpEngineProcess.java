package io.lvscp.vrrp.process;

import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.linux.LinuxRealtimeScheduler;
import io.lvscp.vrrp.linux.LinuxVrrpNodeIo;
import io.lvscp.vrrp.node.RealtimeScheduling;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.process.VrrpProcessProtocol.Message;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's VRRP engine in a process of its own ({@code lvs.vrrp.engine=process}): the same {@link VrrpNode} on
 * {@link LinuxVrrpNodeIo} the service runs embedded, driven by {@link ProcessVrrpNode} over this
 * process's standard input and output ({@link VrrpProcessProtocol}: one JSON object a line). Its log goes to standard
 * error, which the service copies into its own log. Arguments: {@code node=NAME keep-vips=true|false
 * realtime-priority=N} (the engine's loop thread in SCHED_RR at N, 0: the normal class; {@link RealtimeScheduling}).
 *
 * <p>What it does when the service goes:
 * <ul>
 * <li>a {@code stop} request (the service stopping in order): every instance stops, masters send priority 0 and
 * remove their VIPs, then it exits;</li>
 * <li>SIGTERM (an operator, or systemd with a control-group kill): the same;</li>
 * <li>its standard input ends, or its parent changes (the service died: {@code kill -9}, a crash, the OOM killer):
 * it halts at once <em>without</em> touching the host, as the embedded engine does when its JVM dies. The VIPs stay
 * on the interface and the kernel keeps forwarding; the peers take over after their Master_Down_Interval; the
 * restarted service's engine finds the VIPs and keeps or drops them ({@code lvs.vrrp.keep-vips-on-restart}). The
 * death of the service thus looks the same to the network whatever the engine mode.</li>
 * </ul>
 */
public final class VrrpEngineProcess {

    /** How often the instances' snapshot is sent when it changed (transitions are sent at once). */
    static final long SNAPSHOT_EVERY_MS = 250;

    private VrrpEngineProcess() {
    }

    /** The JVM options of the child unless {@code lvs.vrrp.process.jvm-options} says otherwise (docs/configuration.md). */
    public static final String DEFAULT_JVM_OPTIONS = "-Xms8m -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxMetaspaceSize=64m"
            + " -XX:ReservedCodeCacheSize=16m -Xshare:auto";

    /** Spring Boot's launcher that runs another main class of an executable jar ({@code loader.main}). */
    static final String BOOT_PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    /**
     * The command that starts this class in a new JVM with the service's class path: {@code java OPTIONS -cp CLASSPATH
     * io.lvscp.vrrp.process.VrrpEngineProcess node=NAME keep-vips=BOOL realtime-priority=N}; from an executable (nested) jar, through Spring
     * Boot's {@code PropertiesLauncher} with {@code -Dloader.main}. Pure.
     *
     * @param bootJar whether {@code classPath} is a Spring Boot executable jar whose classes are nested in it
     */
    public static List<String> command(String javaHome, String classPath, boolean bootJar, List<String> jvmOptions,
            String nodeName, boolean keepVips, int realtimePriority) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(javaHome + "/bin/java");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        if (bootJar) {
            cmd.add("-Dloader.main=" + VrrpEngineProcess.class.getName());
            cmd.add(BOOT_PROPERTIES_LAUNCHER);
        } else {
            cmd.add(VrrpEngineProcess.class.getName());
        }
        cmd.add("node=" + nodeName);
        cmd.add("keep-vips=" + keepVips);
        cmd.add("realtime-priority=" + RealtimeScheduling.validate(realtimePriority));
        return cmd;
    }

    /**
     * Starts the engine process with this JVM's class path (an executable jar's or a plain one).
     *
     * @param realtimePriority {@code lvs.vrrp.realtime-priority}: the SCHED_RR priority of the child's loop thread (0: none)
     */
    public static ProcessVrrpNode.Launcher launcher(List<String> jvmOptions, int realtimePriority) {
        RealtimeScheduling.validate(realtimePriority);
        return (nodeName, keepVips) -> {
            ClassLoader loader = VrrpEngineProcess.class.getClassLoader();
            boolean bootJar = loader != null && loader.getClass().getName().startsWith("org.springframework.boot.loader");
            List<String> cmd = command(System.getProperty("java.home"), System.getProperty("java.class.path"), bootJar, jvmOptions,
                    nodeName, keepVips, realtimePriority);
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.PIPE);
            return pb.start();
        };
    }

    public static void main(String[] args) throws Exception {
        // the protocol owns the real standard output; everything else (logging included) goes to standard error
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        protocolOut = protocol;
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        quietLogging();
        Logger log = LoggerFactory.getLogger(VrrpEngineProcess.class);
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        String name = a.getOrDefault("node", "node");
        BlockingQueue<Message> out = new LinkedBlockingQueue<>();
        Thread writer = new Thread(() -> write(out, protocol), "vrrp-protocol-out");
        writer.setDaemon(true);
        writer.start();

        VrrpNode node = new VrrpNode(name, new LinuxVrrpNodeIo(), Clock.systemUTC());
        node.keepVipsOnRestart(Boolean.parseBoolean(a.getOrDefault("keep-vips", "true")));
        node.realtimePriority(Integer.parseInt(a.getOrDefault("realtime-priority", "0")), new LinuxRealtimeScheduler());
        // the database's view, pushed by the service with each configure
        AtomicReference<Map<String, RestartVips.OtherMasters>> pushed = new AtomicReference<>(Map.of());
        node.otherMasters((Set<String> names) -> {
            Map<String, RestartVips.OtherMasters> view = pushed.get();
            Map<String, RestartVips.OtherMasters> found = new HashMap<>();
            names.forEach(n -> found.put(n, view.getOrDefault(n, RestartVips.OtherMasters.unknown())));
            return found;
        });
        node.addListener(new VrrpNode.Listener() {
            @Override
            public void transitioned(VrrpNode.Transition t) {
                out.add(new VrrpProcessProtocol.TransitionMessage(t));
            }

            @Override
            public void instanceStopped(VrrpNode.InstanceSnapshot last) {
                out.add(new VrrpProcessProtocol.Stopped(last));
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            out.add(snapshot(node));
            flush(out);
        }, "vrrp-stop"));
        Thread snapshots = new Thread(() -> publishSnapshots(node, out), "vrrp-snapshots");
        snapshots.setDaemon(true);
        snapshots.start();
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread parentWatch = new Thread(() -> watchParent(parent, log), "vrrp-parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();

        out.add(new VrrpProcessProtocol.Ready(ProcessHandle.current().pid()));
        RealtimeScheduling realtimeSent = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            VrrpProcessProtocol.Request request;
            try {
                request = VrrpProcessProtocol.decodeRequest(line);
            } catch (RuntimeException e) {
                log.error("VRRP engine process: a request that cannot be read ({}): {}", e.getMessage(), line);
                continue;
            }
            if (request instanceof VrrpProcessProtocol.Stop stop) {
                log.info("VRRP engine process of node {}: stop asked: masters send priority 0 and remove their VIPs", name);
                node.close();
                out.add(snapshot(node));
                out.add(new VrrpProcessProtocol.BooleanReply(stop.id(), true, null));
                flush(out);
                System.exit(0);
            }
            Message reply = handle(node, request, pushed);
            // the loop thread starts with the first configure and sets its scheduling first: known by this reply
            RealtimeScheduling rt = node.realtime();
            if (!rt.equals(realtimeSent)) {
                realtimeSent = rt;
                out.add(new VrrpProcessProtocol.Realtime(rt));
            }
            out.add(reply);
        }
        // the service is gone without a word: behave as the embedded engine does when its JVM dies (see above)
        log.warn("VRRP engine process of node {}: the service is gone (standard input closed): halting, VIPs left as they are", name);
        Runtime.getRuntime().halt(3);
    }

    static Message handle(VrrpNode node, VrrpProcessProtocol.Request request,
            AtomicReference<Map<String, RestartVips.OtherMasters>> pushed) {
        long id = request.id();
        try {
            if (request instanceof VrrpProcessProtocol.Configure c) {
                pushed.set(c.otherMasters());
                VrrpNode.Result r = node.configure(c.specs(), c.passwords());
                return new VrrpProcessProtocol.ConfigureReply(id, r, snapshot(node), null);
            } else if (request instanceof VrrpProcessProtocol.SetEffective e) {
                return new VrrpProcessProtocol.BooleanReply(id, node.setEffectivePriority(e.instance(), e.priority()), null);
            } else if (request instanceof VrrpProcessProtocol.GetEffective) {
                return new VrrpProcessProtocol.PrioritiesReply(id, node.effectivePriorities(), null);
            } else if (request instanceof VrrpProcessProtocol.Release r) {
                return new VrrpProcessProtocol.BooleanReply(id, node.release(r.instance()), null);
            } else if (request instanceof VrrpProcessProtocol.StandDown d) {
                return new VrrpProcessProtocol.BooleanReply(id, node.standDown(d.instance(), d.reason()), null);
            } else if (request instanceof VrrpProcessProtocol.EndStandDown d) {
                return new VrrpProcessProtocol.BooleanReply(id, node.endStandDown(d.instance()), null);
            }
            throw new IllegalArgumentException("unexpected request " + request);
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            if (request instanceof VrrpProcessProtocol.Configure) {
                return new VrrpProcessProtocol.ConfigureReply(id, null, null, why);
            }
            if (request instanceof VrrpProcessProtocol.GetEffective) {
                return new VrrpProcessProtocol.PrioritiesReply(id, null, why);
            }
            return new VrrpProcessProtocol.BooleanReply(id, false, why);
        }
    }

    static VrrpProcessProtocol.Snapshot snapshot(VrrpNode node) {
        return new VrrpProcessProtocol.Snapshot(node.instances(), node.unmatched());
    }

    private static void publishSnapshots(VrrpNode node, BlockingQueue<Message> out) {
        List<VrrpNode.InstanceSnapshot> last = null;
        while (true) {
            try {
                Thread.sleep(SNAPSHOT_EVERY_MS);
            } catch (InterruptedException e) {
                return;
            }
            List<VrrpNode.InstanceSnapshot> now = node.instances();
            // the loop publishes a new list whenever something changed; a parent that does not read (its queue full)
            // gets the next one when it reads again
            if (now != last && out.size() < 100) {
                last = now;
                out.add(new VrrpProcessProtocol.Snapshot(now, node.unmatched()));
            }
        }
    }

    private static void watchParent(long parent, Logger log) {
        while (true) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
            if (now != parent) {
                log.warn("VRRP engine process: the service (pid {}) is gone: halting, VIPs left as they are", parent);
                Runtime.getRuntime().halt(3);
            }
        }
    }

    private static final Object WRITING = new Object();
    private static volatile OutputStream protocolOut;

    private static void write(BlockingQueue<Message> out, OutputStream protocol) {
        protocolOut = protocol;
        try {
            while (true) {
                Message m = out.take();
                synchronized (WRITING) {
                    protocol.write((VrrpProcessProtocol.encode(m) + "\n").getBytes(StandardCharsets.UTF_8));
                    if (out.isEmpty()) {
                        protocol.flush();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.io.IOException e) {
            // the service is gone: the main thread sees its standard input end
        }
    }

    /** Writes everything queued now, on this thread (before an exit). */
    private static void flush(BlockingQueue<Message> out) {
        OutputStream protocol = protocolOut;
        if (protocol == null) {
            return;
        }
        synchronized (WRITING) {
            try {
                Message m;
                while ((m = out.poll()) != null) {
                    protocol.write((VrrpProcessProtocol.encode(m) + "\n").getBytes(StandardCharsets.UTF_8));
                }
                protocol.flush();
            } catch (java.io.IOException e) {
                // the service is gone
            }
        }
    }

    /** Logback without a configuration logs everything at DEBUG: INFO is enough here. */
    private static void quietLogging() {
        try {
            org.slf4j.Logger root = LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            if (root instanceof ch.qos.logback.classic.Logger l) {
                l.setLevel(ch.qos.logback.classic.Level.INFO);
            }
        } catch (RuntimeException | LinkageError e) {
            // another logging backend: its own defaults
        }
    }
}
