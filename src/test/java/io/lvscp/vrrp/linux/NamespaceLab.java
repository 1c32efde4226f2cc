package io.lvscp.vrrp.linux;

import io.lvscp.support.LabRequirement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Network namespaces, links and processes made by one test, all removed by {@link #close()}:
 * processes stopped (SIGTERM, then SIGKILL), namespaces deleted, in that order. Names carry the
 * JVM's pid so parallel runs do not clash. Addresses: 10.200.x.y inside the namespaces only.
 */
public final class NamespaceLab implements AutoCloseable {

    private final String suffix = Long.toString(ProcessHandle.current().pid());
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    final Path dir;

    private NamespaceLab() throws IOException {
        dir = Files.createTempDirectory("lvscp-vrrp-lab");
    }

    /** Fails under CI=true, skips elsewhere, unless root, iproute2 and (if asked) keepalived are here. */
    public static NamespaceLab create(boolean needsKeepalived) throws IOException {
        LabRequirement.require(isRoot(), "VRRP namespace tests need root");
        LabRequirement.require(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "iproute2 is not installed");
        if (needsKeepalived) {
            LabRequirement.require(Files.isExecutable(Path.of("/usr/sbin/keepalived")),
                    "Debian's keepalived is not installed (apt-get install keepalived)");
        }
        return new NamespaceLab();
    }

    /**
     * A new lab for each test of the class that registers it ({@code @RegisterExtension}): made (by {@link #create})
     * before the class's {@code @BeforeEach} methods, which build on {@link #lab()}, and closed, its logs deleted, after
     * its {@code @AfterEach} methods.
     */
    public static PerTest perTest(boolean needsKeepalived) {
        return new PerTest(needsKeepalived);
    }

    /** See {@link #perTest}. */
    public static final class PerTest implements BeforeEachCallback, AfterEachCallback {
        private final boolean needsKeepalived;
        private NamespaceLab lab;

        private PerTest(boolean needsKeepalived) {
            this.needsKeepalived = needsKeepalived;
        }

        public NamespaceLab lab() {
            return lab;
        }

        @Override
        public void beforeEach(ExtensionContext context) throws IOException {
            lab = create(needsKeepalived);
        }

        @Override
        public void afterEach(ExtensionContext context) throws Exception {
            if (lab != null) {
                NamespaceLab done = lab;
                lab = null;
                done.close();
                done.deleteLogs();
            }
        }
    }

    /** Creates a namespace with lo up; returns its full name. */
    public String namespace(String shortName) {
        String name = "lvscp-" + shortName + suffix;
        sh("ip netns add " + name);
        namespaces.add(name);
        sh("ip -n " + name + " link set lo up");
        return name;
    }

    /** A veth pair between two namespaces, both ends up, addresses given as "a.b.c.d/len" or null. */
    public void veth(String ns1, String if1, String address1, String ns2, String if2, String address2) {
        sh("ip link add " + if1 + " netns " + ns1 + " type veth peer name " + if2 + " netns " + ns2);
        up(ns1, if1, address1);
        up(ns2, if2, address2);
    }

    private void up(String ns, String ifname, String address) {
        if (address != null) {
            sh("ip -n " + ns + " addr add " + address + " dev " + ifname);
        }
        sh("ip -n " + ns + " link set " + ifname + " up");
    }

    /** A bridge {@code br0} in {@code ns} with one veth port per member namespace (member side {@code eth0}). */
    public void bridge(String ns, List<String> members, List<String> addresses) {
        sh("ip -n " + ns + " link add br0 type bridge");
        sh("ip -n " + ns + " link set br0 up");
        for (int i = 0; i < members.size(); i++) {
            veth(ns, "p" + i, null, members.get(i), "eth0", addresses.get(i));
            sh("ip -n " + ns + " link set p" + i + " master br0");
        }
    }

    /** Starts {@link VrrpNodeMain} (the service's VRRP engine) in a namespace with these key=value arguments. */
    Process runner(String ns, String logName, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), VrrpNodeMain.class.getName()));
        cmd.addAll(List.of(args));
        return start(logName, cmd.toArray(String[]::new));
    }

    /** Starts Debian's keepalived (VRRP process only) in a namespace with this config. */
    public Process keepalived(String ns, String logName, String config) throws IOException {
        Path conf = dir.resolve(logName + ".conf");
        Files.writeString(conf, config);
        return start(logName, "ip", "netns", "exec", ns, "keepalived", "-P", "-n", "-l", "-D", "-f", conf.toString(), "-p",
                dir.resolve(logName + ".pid").toString(), "-r", dir.resolve(logName + ".vrrp.pid").toString());
    }

    Process start(String logName, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile())
                .start();
        processes.add(p);
        return p;
    }

    /** SIGTERM (a graceful stop), SIGKILL after 5 s. */
    public static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(2, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL: a crash. */
    public static void kill(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        p.waitFor(2, TimeUnit.SECONDS);
    }

    public String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "";
        }
    }

    public void waitFor(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                StringBuilder logs = new StringBuilder("timed out waiting for " + what);
                try (var files = Files.list(dir)) {
                    files.filter(f -> f.toString().endsWith(".log"))
                            .forEach(f -> logs.append("\n--- ").append(f.getFileName()).append('\n')
                                    .append(log(f.getFileName().toString())));
                } catch (IOException e) {
                    logs.append(" (logs unreadable)");
                }
                throw new AssertionError(logs.toString());
            }
            Thread.sleep(10);
        }
    }

    /** Our node's log (VrrpNodeMain) shows it became backup: from INITIALIZE, or from FAULT when the new link was not running yet at its start. */
    public static boolean backup(String log) {
        return Pattern.compile("STATE \\S+ (INITIALIZE|FAULT) BACKUP ").matcher(log).find();
    }

    /** The MAC address of an interface in a namespace. */
    public static String mac(String ns, String ifname) {
        return sh("ip netns exec " + ns + " cat /sys/class/net/" + ifname + "/address").trim();
    }

    public static String sh(String command) {
        try {
            Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(command, e);
        }
    }

    /** Stops every process and deletes the namespaces; the logs stay readable until {@link #deleteLogs()}. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            stop(p);
        }
        processes.clear();
        for (String ns : namespaces) {
            sh("ip netns del " + ns);
        }
        namespaces.clear();
    }

    /** Removes the temp folder of configs and logs. */
    public void deleteLogs() throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return new String(p.getInputStream().readAllBytes()).trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }
}
