package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lvscp.common.CheckType;
import io.lvscp.health.CheckState.Health;
import io.lvscp.health.HealthMonitor.Flip;
import io.lvscp.health.HealthMonitor.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor end to end against a local HTTP server whose answer the test switches. */
class HealthMonitorTests {

    HttpServer http;
    volatile int status = 200;
    final AtomicInteger requests = new AtomicInteger();
    Prober prober;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    HealthMonitor monitor;
    final List<Flip> flips = new CopyOnWriteArrayList<>();
    final AtomicInteger changes = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        http.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        http.start();
        prober = new Prober(2, null);
        monitor = new HealthMonitor(prober, Clock.systemUTC(), meters, "lvs1");
        monitor.onFlip(flips::add);
        monitor.addListener(changes::incrementAndGet);
        monitor.start();
    }

    @AfterEach
    void stop() {
        monitor.close();
        prober.close();
        http.stop(0);
    }

    CheckDefinition check(int retry, boolean alpha) {
        return CheckDefinition.httpGet("127.0.0.1", http.getAddress().getPort(), "/", Duration.ofMillis(200), Duration.ofMillis(500))
                .withPolicy(retry, Duration.ofMillis(50), Duration.ofMillis(200), alpha, 1, 1);
    }

    static Target target(long id, String vs, CheckDefinition d) {
        return new Target(id, 1L, "wtc", vs, "127.0.0.1:" + (d == null ? 80 : d.port()), d);
    }

    static void await(BooleanSupplier condition, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("condition within " + max).isTrue();
    }

    @Test
    void aFailingServerGoesDownWithinTheLoopAndRetriesAndComesBack() throws Exception {
        CheckDefinition d = check(2, false);
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d), target(2, "vip2:80/tcp", d), target(3, "vip1:80/tcp", null)));
        assertThat(monitor.checkCount()).as("one check shared by both virtual servers").isEqualTo(1);
        await(() -> requests.get() >= 3, Duration.ofSeconds(3));
        assertThat(monitor.downRealServers()).isEmpty();
        long v0 = monitor.version();

        status = 503;
        long t0 = System.nanoTime();
        await(() -> monitor.downRealServers().equals(java.util.Set.of(1L, 2L)), Duration.ofSeconds(3));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        // delay_loop 200 + 2 retries x 50 ms (+ the attempts) -> well under a second
        assertThat(tookMs).isLessThan(1000);
        assertThat(monitor.version()).isGreaterThan(v0);
        await(() -> changes.get() > 0 && flips.size() == 1, Duration.ofSeconds(1));
        assertThat(flips).singleElement().satisfies(f -> {
            assertThat(f.health()).isEqualTo(Health.DOWN);
            assertThat(f.result().describe()).startsWith("bad_status: status 503");
            assertThat(f.targets()).extracting(Target::realServerId).containsExactlyInAnyOrder(1L, 2L);
        });
        HealthMonitor.Status s = monitor.status(1).orElseThrow();
        assertThat(s.snapshot().health()).isEqualTo(Health.DOWN);
        assertThat(s.snapshot().lastError()).startsWith("bad_status");
        assertThat(monitor.status(3).orElseThrow().snapshot()).as("no check").isNull();
        assertThat(meters.get("lvs.realserver.up").tag("real_server", "127.0.0.1:" + d.port()).tag("virtual_server", "vip1:80/tcp")
                .gauge().value()).isZero();
        assertThat(meters.get("lvs.realserver.up").tag("real_server", "127.0.0.1:80").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("lvs.healthcheck.failures").tag("reason", "bad_status").counter().count()).isGreaterThanOrEqualTo(3);
        assertThat(meters.get("lvs.realserver.flaps").tag("virtual_server", "vip2:80/tcp").counter().count()).isEqualTo(1);

        status = 200;
        await(() -> monitor.downRealServers().isEmpty(), Duration.ofSeconds(3));
        await(() -> flips.size() == 2, Duration.ofSeconds(1));
        assertThat(meters.get("lvs.healthcheck.duration").tag("type", "HTTP_GET").timer().count()).isPositive();
    }

    @Test
    void alphaStartsDownAndAChangedDefinitionStartsAfresh() throws Exception {
        CheckDefinition d = check(0, true);
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
        assertThat(monitor.downRealServers()).containsExactly(1L);
        await(() -> monitor.downRealServers().isEmpty(), Duration.ofSeconds(3));
        // same definition again: state kept
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
        assertThat(monitor.downRealServers()).isEmpty();
        // the real server goes away: no more probes, no meters
        monitor.setTargets(List.of());
        int before = requests.get();
        Thread.sleep(500);
        assertThat(requests.get() - before).isLessThanOrEqualTo(1);
        assertThat(meters.find("lvs.realserver.up").gauges()).isEmpty();
    }

    @Test
    void aHangingServerDoesNotDelayTheOthers() throws Exception {
        try (LocalServers servers = new LocalServers()) {
            int hanging = servers.hanging();
            CheckDefinition slow = CheckDefinition.httpGet("127.0.0.1", hanging, "/", Duration.ofMillis(200), Duration.ofMillis(1500))
                    .withPolicy(0, Duration.ZERO, Duration.ofMillis(200), false, 1, 1);
            CheckDefinition d = check(0, false);
            monitor.setTargets(List.of(target(1, "vip1:80/tcp", d), target(2, "vip1:80/tcp", slow)));
            await(() -> monitor.downRealServers().contains(2L), Duration.ofSeconds(4));
            assertThat(monitor.status(2).orElseThrow().snapshot().lastError()).startsWith("timeout");
            int before = requests.get();
            Thread.sleep(1000);
            assertThat(requests.get() - before).as("the good server is still checked every 200 ms").isBetween(4, 6);
            assertThat(monitor.lateness().quantileMillis(0.99)).isLessThan(50);
        }
    }
    @Test
    void aServerThatStopsIsDownWithinTheIssuesBound() throws Exception {
        // issue 5: out within connect_timeout + retry x delay_before_retry + delay_loop (+ 100 ms); here a
        // stopped server refuses at once, so connect_timeout does not even come into it
        Duration loop = Duration.ofMillis(300);
        Duration beforeRetry = Duration.ofMillis(100);
        int retry = 2;
        CheckDefinition d = CheckDefinition.httpGet("127.0.0.1", http.getAddress().getPort(), "/", loop, Duration.ofMillis(200))
                .withPolicy(retry, beforeRetry, loop, false, 1, 1);
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
        await(() -> requests.get() >= 2, Duration.ofSeconds(3));
        long t0 = System.nanoTime();
        http.stop(0);
        await(() -> monitor.downRealServers().contains(1L), Duration.ofSeconds(3));
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        long bound = d.connectTimeout().toMillis() + retry * beforeRetry.toMillis() + loop.toMillis() + 100;
        assertThat(tookMs).as("down after %d ms, bound %d ms", tookMs, bound).isLessThanOrEqualTo(bound);
        assertThat(monitor.status(1).orElseThrow().snapshot().lastError()).startsWith("refused");
    }

    @Test
    void aServerThatHangsIsDownWithinTheLoopPlusItsTimeouts() throws Exception {
        try (LocalServers servers = new LocalServers()) {
            java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();
            int port = servers.serve(s -> {
                LocalServers.readRequest(s);
                if (!hang.get()) {
                    try (s) {
                        s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes());
                    } catch (IOException e) {
                        // gone
                    }
                }
            });
            Duration loop = Duration.ofMillis(300);
            Duration timeout = Duration.ofMillis(150);
            Duration beforeRetry = Duration.ofMillis(100);
            int retry = 1;
            CheckDefinition d = CheckDefinition.httpGet("127.0.0.1", port, "/", loop, timeout)
                    .withPolicy(retry, beforeRetry, loop, false, 1, 1);
            monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
            await(() -> monitor.status(1).orElseThrow().snapshot().checked(), Duration.ofSeconds(3));
            long t0 = System.nanoTime();
            hang.set(true);
            await(() -> monitor.downRealServers().contains(1L), Duration.ofSeconds(3));
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            long bound = loop.toMillis() + timeout.toMillis() + retry * (beforeRetry.toMillis() + timeout.toMillis()) + 100;
            assertThat(tookMs).as("down after %d ms, bound %d ms", tookMs, bound).isLessThanOrEqualTo(bound);
            assertThat(monitor.status(1).orElseThrow().snapshot().lastError()).startsWith("timeout");
        }
    }
}
