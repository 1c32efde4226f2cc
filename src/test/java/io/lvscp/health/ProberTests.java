package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lvscp.common.CheckType;
import io.lvscp.health.CheckResult.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every checker against real servers on 127.0.0.1 and ::1 (never anything else), HTTP_GET and TCP_CHECK on
 * each of the three probers ({@code lvs.health.prober}): the io_uring loop (as the service runs it, its passes batched
 * by {@code lvs.health.batch-interval} 10 ms, and unbatched), the native epoll loop and {@code java.nio}.
 */
@ParameterizedClass
@ValueSource(strings = {"uring batched", "uring", "native", "nio"})
class ProberTests {

    @Parameter
    String variant;
    /** the prober ({@code lvs.health.prober}) of the variant */
    String kind;

    static final Duration TIMEOUT = Duration.ofMillis(800);

    HttpServer http;
    int httpPort;
    final List<String> hosts = new CopyOnWriteArrayList<>();
    final LocalServers servers = new LocalServers();
    Prober prober;

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        http.createContext("/", ex -> {
            hosts.add(ex.getRequestHeaders().getFirst("Host"));
            String path = ex.getRequestURI().getPath();
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            int status = switch (path) {
                case "/503" -> 503;
                case "/moved" -> 301;
                default -> 200;
            };
            if (path.equals("/chunked")) {
                ex.sendResponseHeaders(200, 0);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        httpPort = http.getAddress().getPort();
        kind = variant.split(" ")[0];
        prober = new Prober(4, null, kind, variant.endsWith(" batched") ? Duration.ofMillis(10) : Duration.ZERO);
        assertThat(prober.connectProberKind()).as("lvs.health.prober=" + kind + " runs that prober").isEqualTo(kind);
    }

    @AfterEach
    void stop() {
        prober.close();
        http.stop(0);
        servers.close();
    }

    static CheckDefinition def(CheckType type, int port, String path, String codes, String digest, String vhost) {
        return new CheckDefinition(type, "127.0.0.1", port, null, path, codes == null ? null : StatusCodeSet.parse(codes), digest, vhost,
                false, null, TIMEOUT, null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
    }

    static CheckDefinition http(int port, String path) {
        return def(CheckType.HTTP_GET, port, path, null, null, null);
    }

    CheckResult run(CheckDefinition d) throws Exception {
        return prober.probe(d).get(10, TimeUnit.SECONDS);
    }

    @Test
    void httpGetGoodAndBadStatus() throws Exception {
        CheckResult ok = run(http(httpPort, "/"));
        assertThat(ok.ok()).as(ok.describe()).isTrue();
        assertThat(ok.durationNanos()).isPositive();
        CheckResult bad = run(http(httpPort, "/503"));
        assertThat(bad.reason()).isEqualTo(Reason.BAD_STATUS);
        assertThat(bad.detail()).startsWith("status 503");
        assertThat(run(http(httpPort, "/moved")).reason()).isEqualTo(Reason.BAD_STATUS);
        assertThat(run(def(CheckType.HTTP_GET, httpPort, "/moved", "200-299,301", null, null)).ok()).isTrue();
        assertThat(run(def(CheckType.HTTP_GET, httpPort, "/503", "500-599", null, null)).ok()).isTrue();
    }

    @Test
    void httpGetDigestAndVirtualHost() throws Exception {
        String md5 = HttpResponse.md5("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(md5).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(run(def(CheckType.HTTP_GET, httpPort, "/", null, md5, "www.example.org")).ok()).isTrue();
        assertThat(hosts).last().isEqualTo("www.example.org");
        CheckResult mismatch = run(def(CheckType.HTTP_GET, httpPort, "/", null, "00000000000000000000000000000000", null));
        assertThat(mismatch.reason()).isEqualTo(Reason.DIGEST_MISMATCH);
        assertThat(mismatch.detail()).contains(md5);
        assertThat(hosts).last().isEqualTo("127.0.0.1:" + httpPort);
        CheckResult chunked = run(def(CheckType.HTTP_GET, httpPort, "/chunked", null, md5, null));
        assertThat(chunked.ok()).as(chunked.describe()).isTrue();
    }

    @Test
    void ipv6HttpGetAndTcpCheck() throws Exception {
        HttpServer six = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::1"), 0), 50);
        six.createContext("/", ex -> {
            hosts.add(ex.getRequestHeaders().getFirst("Host"));
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/503") ? 503 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        six.start();
        try {
            int port = six.getAddress().getPort();
            CheckResult ok = run(new CheckDefinition(CheckType.HTTP_GET, "::1", port, null, "/", null, HttpResponse.md5("hello".getBytes(
                    StandardCharsets.UTF_8)), null, false, null, TIMEOUT, null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1));
            assertThat(ok.ok()).as(ok.describe()).isTrue();
            assertThat(hosts).last().isEqualTo("[::1]:" + port);
            CheckResult bad = run(new CheckDefinition(CheckType.HTTP_GET, "::1", port, null, "/503", null, null, null, false, null,
                    TIMEOUT, null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1));
            assertThat(bad.reason()).isEqualTo(Reason.BAD_STATUS);
            CheckDefinition tcp = new CheckDefinition(CheckType.TCP_CHECK, "::1", port, null, null, null, null, null, false, null,
                    TIMEOUT, null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
            assertThat(run(tcp).ok()).isTrue();
        } finally {
            six.stop(0);
        }
        CheckDefinition refused = new CheckDefinition(CheckType.TCP_CHECK, "::1", LocalServers.closedPort(), null, null, null, null,
                null, false, null, TIMEOUT, null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
        CheckResult r = run(refused);
        assertThat(r.reason()).as(r.describe()).isEqualTo(Reason.REFUSED);
    }

    @Test
    void tcpCheckConnectsOrIsRefused() throws Exception {
        assertThat(run(def(CheckType.TCP_CHECK, httpPort, null, null, null, null)).ok()).isTrue();
        CheckResult refused = run(def(CheckType.TCP_CHECK, LocalServers.closedPort(), null, null, null, null));
        assertThat(refused.reason()).as(refused.describe()).isEqualTo(Reason.REFUSED);
        assertThat(run(http(LocalServers.closedPort(), "/")).reason()).isEqualTo(Reason.REFUSED);
    }

    @Test
    void aServerThatHangsTimesOutAndStallsNothingElse() throws Exception {
        int hanging = servers.hanging();
        CompletableFuture<CheckResult> slow = prober.probe(http(hanging, "/"));
        // while it hangs, 200 other checks come and go, one after another (40 batched: there each waits for the
        // loop's next pass, up to 10 ms, and 200 of them would outlast the hanging one's 800 ms)
        int others = variant.endsWith(" batched") ? 40 : 200;
        for (int k = 0; k < others; k++) {
            assertThat(run(http(httpPort, "/")).ok()).isTrue();
        }
        assertThat(slow).as("still waiting for the hanging server").isNotDone();
        // it ends by its own deadline, not the server's: the server never answers nor closes (the limit of the
        // wait only keeps a broken prober from hanging the build; how long attempts take is the benchmark's)
        CheckResult r = slow.get(5, TimeUnit.SECONDS);
        assertThat(r.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(r.detail()).contains("no complete response within 800 ms");
    }

    @Test
    void resetGarbageAndEmptyAnswers() throws Exception {
        CheckResult reset = run(http(servers.resetting(), "/"));
        assertThat(reset.reason()).as(reset.describe()).isEqualTo(Reason.RESET);
        CheckResult garbage = run(http(servers.garbage(), "/"));
        assertThat(garbage.reason()).isEqualTo(Reason.GARBAGE);
        assertThat(garbage.detail()).contains("SSH-2.0");
        CheckResult badLine = run(http(servers.raw("HTTP/1.1 abc\r\n\r\n"), "/"));
        assertThat(badLine.reason()).isEqualTo(Reason.GARBAGE);
        CheckResult empty = run(http(servers.raw(""), "/"));
        assertThat(empty.reason()).as(empty.describe()).isEqualTo(Reason.RESET);
        assertThat(empty.detail()).isEqualTo("connection closed without a response");
        CheckResult truncated = run(http(servers.raw("HTTP/1.0 200 OK\r\nContent-Le"), "/"));
        assertThat(truncated.reason()).isEqualTo(Reason.GARBAGE);
        CheckResult bare = run(http(servers.raw("HTTP/1.0 200 OK\n\nhello"), "/"));
        assertThat(bare.ok()).as("bare LF line ends, body to the end of stream").isTrue();
    }

    @Test
    void anHttpGetConnectionIsResetOnCloseATcpCheckConnectionClosedNormally() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        // answers with a complete response and keeps its side open: what the checker's close sends shows in the next read
        int port = servers.serve(s -> {
            try (s) {
                if (connections.getAndIncrement() == 0) { // the first is the HTTP_GET's: it sends a request first
                    LocalServers.readRequest(s);
                    s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                }
                int r = s.getInputStream().read();
                seen.add(r < 0 ? "closed" : "byte");
            } catch (java.net.SocketException e) {
                seen.add("reset");
            } catch (IOException e) {
                seen.add(e.toString());
            }
        });
        assertThat(run(http(port, "/")).ok()).isTrue();
        for (int k = 0; k < 250 && seen.isEmpty(); k++) {
            Thread.sleep(20);
        }
        assertThat(seen).as("HTTP_GET: SO_LINGER 0").containsExactly("reset");
        seen.add("-"); // the next connection is the TCP_CHECK's
        assertThat(run(def(CheckType.TCP_CHECK, port, null, null, null, null)).ok()).isTrue();
        for (int k = 0; k < 250 && seen.size() < 3; k++) {
            Thread.sleep(20);
        }
        assertThat(seen).as("TCP_CHECK: a normal close").containsExactly("reset", "-", "closed");
    }

    @Test
    void theSourceAddressAndConnectAddressAreUsed() throws Exception {
        int port = servers.raw("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
        CheckDefinition d = new CheckDefinition(CheckType.HTTP_GET, "127.0.0.1", port, "127.0.0.2", "/", null, null, null, false, null,
                TIMEOUT, null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
        assertThat(run(d).ok()).isTrue();
        assertThat(servers.remoteAddresses).last().isEqualTo("127.0.0.2");
        CheckDefinition tcp = new CheckDefinition(CheckType.TCP_CHECK, "127.0.0.1", port, "127.0.0.3", null, null, null, null, false,
                null, TIMEOUT, null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
        assertThat(run(tcp).ok()).isTrue();
        for (int k = 0; k < 50 && !servers.remoteAddresses.contains("127.0.0.3"); k++) {
            Thread.sleep(20);
        }
        assertThat(servers.remoteAddresses).contains("127.0.0.3");
    }

    @Test
    void miscCheckExitStatusAndTimeout() throws Exception {
        assertThat(run(misc(List.of("/bin/true"), Duration.ofSeconds(5))).ok()).isTrue();
        CheckResult exit = run(misc(List.of("/bin/sh", "-c", "exit 3"), Duration.ofSeconds(5)));
        assertThat(exit.reason()).isEqualTo(Reason.EXIT_CODE);
        assertThat(exit.detail()).isEqualTo("exit status 3");
        // killed at its timeout: run() waits 10 s at most, the command would take 30
        CheckResult slow = run(misc(List.of("/bin/sh", "-c", "sleep 30"), Duration.ofMillis(300)));
        assertThat(slow.reason()).isEqualTo(Reason.TIMEOUT);
        CheckResult missing = run(misc(List.of("/nonexistent/check"), Duration.ofSeconds(5)));
        assertThat(missing.reason()).isEqualTo(Reason.ERROR);
        assertThat(missing.detail()).contains("cannot run /nonexistent/check");
    }

    @Test
    void miscCommandLinesSplitAndResolve(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path plain = java.nio.file.Files.writeString(dir.resolve("check.sh"), "exit 0\n");
        assertThat(MiscCommand.split("/usr/bin/check 'a b' \"c\\\"d\" e\\ f")).containsExactly("/usr/bin/check", "a b", "c\"d", "e f");
        assertThat(MiscCommand.executable("sh -c true").toString()).endsWith("/sh");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MiscCommand.executable("/nonexistent/check"))
                .hasMessageContaining("does not exist");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MiscCommand.executable(plain.toString()))
                .hasMessageContaining("not executable");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MiscCommand.executable("no-such-program-lvscp"))
                .hasMessageContaining("not found on PATH");
    }

    static CheckDefinition misc(List<String> command, Duration timeout) {
        return new CheckDefinition(CheckType.MISC_CHECK, "127.0.0.1", 0, null, null, null, null, null, false, command,
                Duration.ofSeconds(1), timeout, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
    }

    @Test
    void theDriverRunsTheScheduleOnTheNativeLoopAndOnAThreadOfItsOwnWithNio() throws Exception {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry(
                io.micrometer.core.instrument.simple.SimpleConfig.DEFAULT, LoopTime.micrometerClock());
        // wired as HealthRegistry wires it
        HealthMonitor monitor = new HealthMonitor(prober::probe, LoopTime.clock(java.time.Clock.systemUTC()));
        HealthMeters.attach(monitor, meters, "lvs1");
        List<String> startedOn = new CopyOnWriteArrayList<>();
        List<Boolean> oneTimePerPass = new CopyOnWriteArrayList<>();
        monitor.addListener(new HealthMonitor.Listener() {
            @Override
            public void started(CheckDefinition check, boolean retry, long latenessNanos) {
                startedOn.add(Thread.currentThread().getName());
                java.time.Instant a = monitor.clock().instant();
                java.time.Instant b = monitor.clock().instant();
                oneTimePerPass.add(a.equals(b) && LoopTime.micrometerClock().wallTime() == a.toEpochMilli());
            }
        });
        HealthDriver driver = HealthDriver.start(monitor, prober);
        try {
            CheckDefinition good = new CheckDefinition(CheckType.HTTP_GET, "127.0.0.1", httpPort, null, "/", null, null, null, false, null,
                    TIMEOUT, null, 0, Duration.ZERO, Duration.ofMillis(100), false, 1, 1);
            CheckDefinition refused = new CheckDefinition(CheckType.TCP_CHECK, "127.0.0.1", LocalServers.closedPort(), null, null, null,
                    null, null, false, null, TIMEOUT, null, 0, Duration.ZERO, Duration.ofMillis(100), false, 1, 1);
            // set from this thread after the driver started: the loop is woken for them
            monitor.setTargets(List.of(new HealthMonitor.Target(1, 1L, "wtc", "vip:80/tcp", "127.0.0.1:" + httpPort, good),
                    new HealthMonitor.Target(2, 1L, "wtc", "vip:80/tcp", "127.0.0.1:" + refused.port(), refused)));
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20); // only keeps a broken driver from hanging the build
            while ((meters.find("lvs.healthcheck.duration").tag("type", "HTTP_GET").timers().stream().mapToLong(t -> t.count()).sum() < 3
                    || monitor.downRealServers().isEmpty()) && System.nanoTime() < limit) {
                Thread.sleep(20);
            }
            assertThat(meters.get("lvs.healthcheck.duration").tag("type", "HTTP_GET").timer().count()).isGreaterThanOrEqualTo(3);
            assertThat(meters.get("lvs.healthcheck.lateness").timer().count()).isGreaterThanOrEqualTo(3);
            assertThat(meters.get("lvs.healthcheck.failures").tag("reason", "refused").counter().count()).isGreaterThanOrEqualTo(1);
            assertThat(monitor.downRealServers()).containsExactly(2L);
            String expected = kind.equals("nio") ? "health-scheduler" : "health-" + kind;
            assertThat(startedOn).as("where checks start").isNotEmpty().allMatch(expected::equals);
            if (!kind.equals("nio")) {
                assertThat(oneTimePerPass).as("on the loop, the monitor's and Micrometer's clocks are the pass's time").allMatch(b -> b);
            }
        } finally {
            driver.close();
        }
    }
}
