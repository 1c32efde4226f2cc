package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lvscp.health.CheckResult.Reason;
import io.lvscp.health.CheckState.Health;
import io.lvscp.health.HealthMonitor.Flip;
import io.lvscp.health.HealthMonitor.Target;
import io.lvscp.support.MutableClock;
import io.lvscp.support.StreamedSeries;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor on a clock the test moves: each step runs what is due at that instant and
 * waits for those attempts to end, so every count and instant below is exact. The attempts
 * are real (the {@link Prober} against a local HTTP server whose answer the test switches)
 * except where a test needs an attempt to hang or to take time on the test's clock.
 * How late checks start in real time is the benchmark's (bench/health-bench.sh).
 */
class HealthMonitorTests {

    HttpServer http;
    volatile int status = 200;
    final AtomicInteger requests = new AtomicInteger();
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00.123Z"));
    Prober prober;
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    HealthMeters series;
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
    }

    @AfterEach
    void stop() {
        prober.close();
        http.stop(0);
    }

    HealthMonitor monitor(HealthMonitor.Attempt attempt) {
        HealthMonitor m = new HealthMonitor(attempt, clock);
        series = HealthMeters.attach(m, meters, "lvs1");
        m.addListener(new HealthMonitor.Listener() {
            @Override
            public void flipped(Flip f) {
                flips.add(f);
            }

            @Override
            public void downChanged() {
                changes.incrementAndGet();
            }
        });
        return m;
    }

    /** Real attempts on a busy machine: a timeout long enough that a good answer never misses it (it costs no test time). */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    CheckDefinition check(int retry, boolean alpha) {
        return CheckDefinition.httpGet("127.0.0.1", http.getAddress().getPort(), "/", Duration.ofMillis(200), TIMEOUT)
                .withPolicy(retry, Duration.ofMillis(50), Duration.ofMillis(200), alpha, 1, 1);
    }

    static Target target(long id, String vs, CheckDefinition d) {
        return new Target(id, 1L, "wtc", vs, "127.0.0.1:" + (d == null ? 80 : d.port()), d);
    }

    /**
     * Moves the clock to each due instant up to {@code until} in turn and runs what is due there, waiting for
     * those attempts to end before going on (the wait's limit only keeps a broken prober from hanging the build);
     * then moves the clock to {@code until}.
     */
    static void advanceTo(HealthMonitor m, MutableClock clock, Instant until, boolean awaitAttempts) throws Exception {
        for (Instant next = m.nextDue(); next != null && !next.isAfter(until); next = m.nextDue()) {
            if (next.isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), next));
            }
            CompletableFuture<Void> ended = m.runDue();
            if (awaitAttempts) {
                ended.get(30, TimeUnit.SECONDS);
            }
        }
        if (until.isAfter(clock.instant())) {
            clock.advance(Duration.between(clock.instant(), until));
        }
    }

    void advanceTo(HealthMonitor m, Instant until) throws Exception {
        advanceTo(m, clock, until, true);
    }

    @Test
    void aFailingServerGoesDownAfterItsRetriesIsNotRetriedWhileDownAndComesBack() throws Exception {
        HealthMonitor monitor = monitor(prober::probe);
        CheckDefinition d = check(2, false);
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d), target(2, "vip2:80/tcp", d), target(3, "vip1:80/tcp", null)));
        assertThat(monitor.checkCount()).as("one check shared by both virtual servers").isEqualTo(1);
        Instant first = monitor.nextDue();
        assertThat(first).isBetween(clock.instant(), clock.instant().plusMillis(200));
        advanceTo(monitor, first.plusMillis(400));
        assertThat(requests.get()).as("a slot every delay_loop").isEqualTo(3);
        assertThat(monitor.downRealServers()).isEmpty();
        assertThat(changes.get()).isZero();
        long v0 = monitor.version();

        status = 503;
        Instant slot = first.plusMillis(600);
        assertThat(monitor.nextDue()).isEqualTo(slot);
        advanceTo(monitor, slot.plusMillis(99));
        assertThat(requests.get()).as("the failed attempt and its first retry, delay_before_retry apart").isEqualTo(5);
        assertThat(monitor.downRealServers()).as("retry 2: not down before the second retry fails").isEmpty();
        assertThat(monitor.status(1).orElseThrow().snapshot().failedAttempts()).isEqualTo(2);
        advanceTo(monitor, slot.plusMillis(100));
        assertThat(requests.get()).isEqualTo(6);
        assertThat(monitor.downRealServers()).isEqualTo(Set.of(1L, 2L));
        assertThat(monitor.version()).isGreaterThan(v0);
        assertThat(changes.get()).isEqualTo(1);
        assertThat(flips).singleElement().satisfies(f -> {
            assertThat(f.health()).isEqualTo(Health.DOWN);
            assertThat(f.at()).isEqualTo(slot.plusMillis(100));
            assertThat(f.result().describe()).startsWith("bad_status: status 503");
            assertThat(f.targets()).extracting(Target::realServerId).containsExactlyInAnyOrder(1L, 2L);
        });
        HealthMonitor.Status s = monitor.status(1).orElseThrow();
        assertThat(s.snapshot().health()).isEqualTo(Health.DOWN);
        assertThat(s.snapshot().since()).isEqualTo(slot.plusMillis(100));
        assertThat(s.snapshot().lastError()).startsWith("bad_status");
        assertThat(monitor.status(3).orElseThrow().snapshot()).as("no check").isNull();
        assertThat(StreamedSeries.value(series, "lvs_realserver_up", "real_server=\"127.0.0.1:" + d.port() + "\"",
                "virtual_server=\"vip1:80/tcp\"")).isZero();
        assertThat(StreamedSeries.value(series, "lvs_realserver_up", "real_server=\"127.0.0.1:80\"")).isEqualTo(1.0);
        assertThat(meters.get("lvs.healthcheck.failures").tag("reason", "bad_status").counter().count()).isEqualTo(3);
        assertThat(StreamedSeries.value(series, "lvs_realserver_flaps_total", "virtual_server=\"vip2:80/tcp\"")).isEqualTo(1);
        assertThat(monitor.nextDue()).as("the loop resumes on its slots").isEqualTo(slot.plusMillis(200));

        // while down, a failure is not retried: one attempt a loop
        advanceTo(monitor, slot.plusMillis(399));
        assertThat(requests.get()).isEqualTo(7);
        assertThat(meters.get("lvs.healthcheck.failures").tag("reason", "bad_status").counter().count()).isEqualTo(4);

        status = 200;
        advanceTo(monitor, slot.plusMillis(400));
        assertThat(monitor.downRealServers()).as("rise 1: up at the first good check").isEmpty();
        assertThat(flips).hasSize(2);
        assertThat(flips.get(1).health()).isEqualTo(Health.UP);
        assertThat(changes.get()).isEqualTo(2);
        assertThat(StreamedSeries.value(series, "lvs_realserver_flaps_total", "virtual_server=\"vip2:80/tcp\"")).isEqualTo(2);
        assertThat(meters.get("lvs.healthcheck.duration").tag("type", "HTTP_GET").timer().count()).isEqualTo(8);
    }

    @Test
    void riseAndFallCountWholeChecks() throws Exception {
        HealthMonitor monitor = monitor(prober::probe);
        CheckDefinition d = check(1, false).withPolicy(1, Duration.ofMillis(50), Duration.ofMillis(200), false, 2, 3);
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
        Instant first = monitor.nextDue();
        status = 503;
        // fall 3: three failed checks (each an attempt and its retry), not three attempts
        advanceTo(monitor, first.plusMillis(400 + 49));
        assertThat(requests.get()).isEqualTo(5);
        assertThat(monitor.downRealServers()).isEmpty();
        advanceTo(monitor, first.plusMillis(450));
        assertThat(requests.get()).isEqualTo(6);
        assertThat(monitor.downRealServers()).containsExactly(1L);
        status = 200;
        // rise 2: the first good check is not enough
        advanceTo(monitor, first.plusMillis(600));
        assertThat(monitor.downRealServers()).containsExactly(1L);
        advanceTo(monitor, first.plusMillis(800));
        assertThat(monitor.downRealServers()).isEmpty();
        assertThat(flips).extracting(Flip::health).containsExactly(Health.DOWN, Health.UP);
        assertThat(flips.get(1).at()).isEqualTo(first.plusMillis(800));
    }

    @Test
    void alphaStartsDownAndAChangedDefinitionStartsAfresh() throws Exception {
        HealthMonitor monitor = monitor(prober::probe);
        CheckDefinition d = check(0, true);
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
        assertThat(monitor.downRealServers()).as("alpha: down until a check passes").containsExactly(1L);
        assertThat(requests.get()).isZero();
        advanceTo(monitor, monitor.nextDue());
        assertThat(requests.get()).isEqualTo(1);
        assertThat(monitor.downRealServers()).isEmpty();
        // same definition again: state kept
        long v = monitor.version();
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
        assertThat(monitor.downRealServers()).isEmpty();
        assertThat(monitor.version()).isEqualTo(v);
        // another path: a new check, down again with alpha
        CheckDefinition other = CheckDefinition.httpGet("127.0.0.1", d.port(), "/other", d.delayLoop(), d.connectTimeout())
                .withPolicy(0, d.delayBeforeRetry(), d.delayLoop(), true, 1, 1);
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", other)));
        assertThat(monitor.checkCount()).isEqualTo(1);
        assertThat(monitor.downRealServers()).containsExactly(1L);
        assertThat(monitor.status(1).orElseThrow().snapshot().checked()).isFalse();
        // the real server goes away: no more probes, no series
        monitor.setTargets(List.of());
        assertThat(monitor.downRealServers()).isEmpty();
        assertThat(monitor.nextDue()).isNull();
        int before = requests.get();
        advanceTo(monitor, clock.instant().plusSeconds(5));
        assertThat(requests.get()).isEqualTo(before);
        assertThat(StreamedSeries.text(series)).as("no family without series").isEmpty();
    }

    @Test
    void aHangingAttemptDoesNotHoldUpTheOthersAndNeverRunsTwiceAtOnce() throws Exception {
        CheckDefinition fast = check(0, false);
        CheckDefinition slow = CheckDefinition.httpGet("127.0.0.1", 1, "/", Duration.ofMillis(200), Duration.ofMillis(1500))
                .withPolicy(0, Duration.ZERO, Duration.ofMillis(200), false, 1, 1);
        AtomicInteger fastAttempts = new AtomicInteger();
        List<CompletableFuture<CheckResult>> slowAttempts = new CopyOnWriteArrayList<>();
        HealthMonitor monitor = monitor(d -> {
            if (d.equals(slow)) {
                CompletableFuture<CheckResult> hung = new CompletableFuture<>();
                slowAttempts.add(hung);
                return hung;
            }
            fastAttempts.incrementAndGet();
            return CompletableFuture.completedFuture(CheckResult.ok(1_000_000));
        });
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", fast), target(2, "vip1:80/tcp", slow)));
        Instant slowFirst = clock.instant().plusNanos(CheckScheduler.firstSlot(CheckScheduler.nanos(clock.instant()), 200_000_000L,
                slow.phaseHash()) - CheckScheduler.nanos(clock.instant()));
        advanceTo(monitor, clock, slowFirst, false);
        assertThat(slowAttempts).hasSize(1);
        int before = fastAttempts.get();
        advanceTo(monitor, clock, slowFirst.plusSeconds(1), false);
        assertThat(fastAttempts.get() - before).as("the good server is still checked every 200 ms").isEqualTo(5);
        assertThat(slowAttempts).as("never twice at once").hasSize(1);
        assertThat(monitor.downRealServers()).isEmpty();

        slowAttempts.get(0).complete(CheckResult.fail(Reason.TIMEOUT, "no answer in 1500 ms", 1_500_000_000L));
        assertThat(monitor.downRealServers()).containsExactly(2L);
        assertThat(monitor.status(2).orElseThrow().snapshot().lastError()).startsWith("timeout");
        assertThat(monitor.skippedSlots()).as("the four slots it overran").isEqualTo(4);
        advanceTo(monitor, clock, clock.instant(), false);
        assertThat(slowAttempts).as("its next slot is the one it ended in").hasSize(2);
    }

    @Test
    void aServerThatStopsIsDownWithinTheIssuesBound() throws Exception {
        // issue 5: out within connect_timeout + retry x delay_before_retry + delay_loop (+ 100 ms); a stopped server
        // refuses at once, so connect_timeout does not even come into it
        HealthMonitor monitor = monitor(prober::probe);
        Duration loop = Duration.ofMillis(300);
        Duration beforeRetry = Duration.ofMillis(100);
        int retry = 2;
        CheckDefinition d = CheckDefinition.httpGet("127.0.0.1", http.getAddress().getPort(), "/", loop, TIMEOUT)
                .withPolicy(retry, beforeRetry, loop, false, 1, 1);
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
        Instant good = monitor.nextDue();
        advanceTo(monitor, good);
        assertThat(requests.get()).isEqualTo(1);
        assertThat(monitor.status(1).orElseThrow().snapshot().lastError()).isNull();
        http.stop(0); // the worst moment: just after a good check
        Instant down = good.plus(loop).plus(beforeRetry.multipliedBy(retry));
        advanceTo(monitor, down.minusMillis(1));
        assertThat(monitor.downRealServers()).as("%s", monitor.status(1).orElseThrow().snapshot()).isEmpty();
        advanceTo(monitor, down);
        assertThat(monitor.downRealServers()).containsExactly(1L);
        long bound = retry * beforeRetry.toMillis() + loop.toMillis() + 100; // + connect_timeout, which a refusal never waits for
        assertThat(Duration.between(good, down).toMillis()).isLessThanOrEqualTo(bound);
        assertThat(monitor.status(1).orElseThrow().snapshot().lastError()).startsWith("refused");
    }

    @Test
    void aServerThatHangsIsDownAfterItsAttemptsTimeOut() throws Exception {
        try (LocalServers servers = new LocalServers()) {
            AtomicBoolean hang = new AtomicBoolean();
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
            Duration beforeRetry = Duration.ofMillis(100);
            // long enough for the good answer on a busy machine; the hung attempts wait it out in real time
            CheckDefinition d = CheckDefinition.httpGet("127.0.0.1", port, "/", loop, Duration.ofSeconds(1))
                    .withPolicy(1, beforeRetry, loop, false, 1, 1);
            HealthMonitor monitor = monitor(prober::probe);
            monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
            Instant good = monitor.nextDue();
            advanceTo(monitor, good);
            assertThat(monitor.status(1).orElseThrow().snapshot().lastError()).isNull();
            hang.set(true);
            // the attempts' timeouts pass in real time; on this clock they take none
            advanceTo(monitor, good.plus(loop));
            assertThat(monitor.downRealServers()).as("retry 1").isEmpty();
            assertThat(monitor.status(1).orElseThrow().snapshot().lastError()).startsWith("timeout");
            advanceTo(monitor, good.plus(loop).plus(beforeRetry));
            assertThat(monitor.downRealServers()).containsExactly(1L);
        }
    }

    @Test
    void aHangingServerIsDownWithinTheLoopPlusItsTimeouts() throws Exception {
        // issue 5's bound for a server that hangs: delay_loop + connect_timeout + retry x (delay_before_retry +
        // connect_timeout) (+ 100 ms). Each attempt here takes its whole timeout on the test's clock
        Duration loop = Duration.ofMillis(300);
        Duration timeout = Duration.ofMillis(150);
        Duration beforeRetry = Duration.ofMillis(100);
        int retry = 1;
        CheckDefinition d = CheckDefinition.httpGet("127.0.0.1", 8080, "/", loop, timeout).withPolicy(retry, beforeRetry, loop, false, 1, 1);
        AtomicBoolean hang = new AtomicBoolean();
        HealthMonitor monitor = monitor(def -> {
            if (!hang.get()) {
                return CompletableFuture.completedFuture(CheckResult.ok(1_000_000));
            }
            clock.advance(timeout);
            return CompletableFuture.completedFuture(CheckResult.fail(Reason.TIMEOUT, "no answer", timeout.toNanos()));
        });
        monitor.setTargets(List.of(target(1, "vip1:80/tcp", d)));
        Instant good = monitor.nextDue();
        advanceTo(monitor, good);
        hang.set(true);
        advanceTo(monitor, good.plusSeconds(2));
        Flip f = flips.get(0);
        assertThat(f.health()).isEqualTo(Health.DOWN);
        long bound = loop.toMillis() + timeout.toMillis() + retry * (beforeRetry.toMillis() + timeout.toMillis()) + 100;
        assertThat(Duration.between(good, f.at())).isEqualTo(Duration.ofMillis(bound - 100));
    }
}
