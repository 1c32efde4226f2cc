package io.lvscp.health;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The health-check benchmark of issue 5 (no JMH): N real servers checked with HTTP_GET
 * every second against local HTTP servers on 127.0.0.x.
 *
 * <pre>
 *   java -cp ... io.lvscp.health.HealthBench server 10000 0 4      # part 0 of 4 of the N listening sockets, one selector thread
 *   java -cp ... io.lvscp.health.HealthBench client 10000 60 10    # N checks, measure 60 s after 10 s warm-up
 * </pre>
 *
 * Addresses: 127.0.0.2 .. 127.0.0.101, ports 20000 .. 20000+N/100-1 (loopback only); with
 * {@code -Dlvs.health.prober=uring|native|nio} the client runs that prober (default auto, as the service), and
 * {@code -Dlvs.health.batch-interval=0} the io_uring loop unbatched (default 10ms, as the service); with
 * {@code -Dhealth.bench.prefix=10.18.1.} the servers listen on 10.18.1.2 .. 10.18.1.101 instead
 * (bench/health-vs-keepalived.sh: in a network namespace of the lab kernel). Each server
 * part also listens on port 19999-part of its first address and answers any connection
 * with the number of requests it has answered so far (a line), then closes: a count of
 * checks that does not depend on the checker.
 * bench/health-bench.sh and bench/health-vs-keepalived.sh run them and report.
 */
public final class HealthBench {

    static final int ADDRESSES = 100;
    static final int BASE_PORT = 20000;
    static final String PREFIX = System.getProperty("health.bench.prefix", "127.0.0.");

    private HealthBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args.length > 1 ? args[1] : "10000");
        if (args[0].equals("server")) {
            server(n, Integer.parseInt(args.length > 2 ? args[2] : "0"), Integer.parseInt(args.length > 3 ? args[3] : "1"));
        } else {
            client(n, Integer.parseInt(args.length > 2 ? args[2] : "60"), Integer.parseInt(args.length > 3 ? args[3] : "10"));
        }
    }

    static String address(int k) {
        return PREFIX + (2 + k % ADDRESSES);
    }

    static int port(int k) {
        return BASE_PORT + k / ADDRESSES;
    }

    /**
     * A minimal HTTP/1.0 server on the endpoints k (of N) with k % parts == part: reads a
     * request, answers 200, closes. Several processes share the N endpoints so that none
     * runs out of file descriptors.
     */
    static void server(int n, int part, int parts) throws IOException {
        Selector selector = Selector.open();
        int listening = 0;
        for (int k = part; k < n; k += parts) {
            listening++;
            ServerSocketChannel ss = ServerSocketChannel.open();
            ss.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            ss.bind(new InetSocketAddress(InetAddress.getByName(address(k)), port(k)), 1024);
            ss.configureBlocking(false);
            ss.register(selector, SelectionKey.OP_ACCEPT);
        }
        ServerSocketChannel control = ServerSocketChannel.open();
        control.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        control.bind(new InetSocketAddress(InetAddress.getByName(address(part)), BASE_PORT - 1 - part), 16);
        control.configureBlocking(false);
        control.register(selector, SelectionKey.OP_ACCEPT, "control");
        long answered = 0;
        System.out.println("server: listening on " + listening + " endpoints, count on " + address(part) + ":" + (BASE_PORT - 1 - part));
        System.out.flush();
        byte[] response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.allocateDirect(8192);
        while (true) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                try {
                    if (key.isAcceptable() && "control".equals(key.attachment())) {
                        SocketChannel ch;
                        while ((ch = control.accept()) != null) {
                            ch.write(ByteBuffer.wrap((answered + "\n").getBytes(StandardCharsets.US_ASCII)));
                            ch.close();
                        }
                    } else if (key.isAcceptable()) {
                        SocketChannel ch;
                        while ((ch = ((ServerSocketChannel) key.channel()).accept()) != null) {
                            ch.configureBlocking(false);
                            ch.register(selector, SelectionKey.OP_READ, new StringBuilder());
                        }
                    } else if (key.isReadable()) {
                        SocketChannel ch = (SocketChannel) key.channel();
                        StringBuilder sb = (StringBuilder) key.attachment();
                        in.clear();
                        int r = ch.read(in);
                        if (r < 0) {
                            ch.close();
                            continue;
                        }
                        in.flip();
                        while (in.hasRemaining()) {
                            sb.append((char) in.get());
                        }
                        if (sb.indexOf("\r\n\r\n") >= 0) {
                            ch.write(ByteBuffer.wrap(response));
                            ch.close();
                            answered++;
                        }
                    }
                } catch (IOException e) {
                    if (key.channel() instanceof SocketChannel ch) { // never close a listener (e.g. on EMFILE from accept)
                        key.cancel();
                        try {
                            ch.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    }
                }
            }
            selector.selectedKeys().clear();
        }
    }

    static void client(int n, int seconds, int warmup) throws Exception {
        List<HealthMonitor.Target> targets = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            CheckDefinition d = CheckDefinition.httpGet(address(k), port(k), "/", Duration.ofSeconds(1), Duration.ofSeconds(1))
                    .withPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1), false, 1, 1);
            targets.add(new HealthMonitor.Target(k, 1L, "bench", "127.0.0.1:80/tcp", address(k) + ":" + port(k), d));
        }
        // the service's Micrometer clock (dataplane.HealthClockConfiguration): on the prober's loop, the loop pass's time
        SimpleMeterRegistry meters = new SimpleMeterRegistry(io.micrometer.core.instrument.simple.SimpleConfig.DEFAULT,
                LoopTime.micrometerClock());
        // lvs.health.prober as the service reads it (auto, uring, native, nio), HealthRegistry's wiring
        // and lvs.health.batch-interval with the service's default (10ms; 0 for a pass per completion)
        java.time.Duration batch = org.springframework.boot.convert.DurationStyle.detectAndParse(
                System.getProperty("lvs.health.batch-interval", "10ms"));
        try (Prober prober = new Prober(4, null, System.getProperty("lvs.health.prober", "auto"), batch)) {
            // as the service runs it: the monitor on the wall clock (the loop pass's on the loop), its meters, its
            // driver (on the native prober's loop, else a thread of its own)
            HealthMonitor monitor = new HealthMonitor(prober::probe, LoopTime.clock(Clock.systemUTC()));
            HealthMeters series = HealthMeters.attach(monitor, meters, "bench");
            monitor.setTargets(targets);
            HealthDriver driver = HealthDriver.start(monitor, prober);
            Thread.sleep(warmup * 1000L);
            series.lateness().reset();
            System.out.println("client: prober " + prober.connectProberKind() + ", measuring");
            System.out.flush();
            long checks0 = meters.get("lvs.healthcheck.duration").timer().count();
            long failures0 = failures(meters);
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
                    .getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long[] ticks0 = ticks();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu = os.getProcessCpuTime() - cpu0;
            long[] ticks1 = ticks();
            long wall = System.nanoTime() - t0;
            long checks = meters.get("lvs.healthcheck.duration").timer().count() - checks0;
            long failures = failures(meters) - failures0;
            Lateness l = series.lateness();
            System.out.printf(Locale.ROOT,
                    "client: %d real servers, HTTP_GET every 1 s, measured %d s after %d s warm-up%n"
                            + "client: attempts %d (%.0f/s), failed %d, down now %d, skipped slots %d%n"
                            + "client: CPU %.3f cores (of %d): user %.3f, kernel %.3f (loopback TCP is charged to the sender)%n"
                            + "client: lateness p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms (%d starts)%n"
                            + "client: attempt duration mean %.2f ms, max %.1f ms%n"
                            + "client: CPU per 1,000 attempts %.1f ms%n",
                    n, seconds, warmup, checks, checks / (wall / 1e9), failures, monitor.downRealServers().size(), monitor.skippedSlots(),
                    cpu / (double) wall, Runtime.getRuntime().availableProcessors(), (ticks1[0] - ticks0[0]) / 100.0 / (wall / 1e9),
                    (ticks1[1] - ticks0[1]) / 100.0 / (wall / 1e9), l.quantileMillis(0.5), l.quantileMillis(0.99),
                    l.quantileMillis(0.999), l.maxMillis(), l.count(),
                    meters.get("lvs.healthcheck.duration").timer().mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                    meters.get("lvs.healthcheck.duration").timer().max(java.util.concurrent.TimeUnit.MILLISECONDS),
                    checks == 0 ? 0.0 : cpu / 1e6 / checks * 1000);
            driver.close();
            series.close();
        }
    }

    /** user and system CPU of this process in clock ticks (USER_HZ = 100 on Linux). */
    private static long[] ticks() throws IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    private static long failures(SimpleMeterRegistry meters) {
        return (long) meters.find("lvs.healthcheck.failures").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
