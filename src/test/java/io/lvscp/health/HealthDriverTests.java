package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lvscp.health.HealthMonitor.Target;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The driver on the prober's selector thread, as the service runs it: real checks on the
 * wall clock against a local HTTP server. Nothing here is timed: each wait only keeps a
 * broken driver from hanging the build.
 */
class HealthDriverTests {

    static final Duration LIMIT = Duration.ofSeconds(30);

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("condition within %s", LIMIT).isNegative();
            Thread.sleep(10);
        }
    }

    @Test
    void onTheProbersLoopChecksRunOnThatThreadRepeatAndFlip() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger status = new AtomicInteger(200);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        http.createContext("/", ex -> {
            requests.incrementAndGet();
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        http.start();
        Set<String> startedOn = ConcurrentHashMap.newKeySet();
        try (Prober prober = new Prober(1, null)) {
            HealthMonitor monitor = new HealthMonitor(prober::probe, Clock.systemUTC());
            monitor.addListener(new HealthMonitor.Listener() {
                @Override
                public void started(CheckDefinition check, boolean retry, long latenessNanos) {
                    startedOn.add(Thread.currentThread().getName());
                }
            });
            CheckDefinition d = CheckDefinition.httpGet("127.0.0.1", http.getAddress().getPort(), "/", Duration.ofMillis(50),
                    Duration.ofSeconds(5)).withPolicy(0, Duration.ofMillis(50), Duration.ofMillis(50), false, 1, 1);
            monitor.setTargets(List.of(new Target(7, 1L, "c", "vs", "127.0.0.1", d)));
            HealthDriver driver = HealthDriver.start(monitor, prober);
            await(() -> requests.get() >= 3);
            assertThat(monitor.isUp(7)).isTrue();
            assertThat(startedOn).containsExactly("health-nio");

            status.set(500);
            await(() -> !monitor.isUp(7));
            status.set(200);
            await(() -> monitor.isUp(7));

            // targets set from another thread wake the loop: a second check starts
            AtomicInteger second = new AtomicInteger();
            http.createContext("/second", ex -> {
                second.incrementAndGet();
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            CheckDefinition d2 = CheckDefinition.httpGet("127.0.0.1", http.getAddress().getPort(), "/second", Duration.ofSeconds(3),
                    Duration.ofSeconds(5));
            monitor.setTargets(List.of(new Target(7, 1L, "c", "vs", "127.0.0.1", d), new Target(8, 1L, "c", "vs", "127.0.0.1", d2)));
            await(() -> second.get() >= 1);

            driver.close();
            // after close no turn starts a check: the next attempt's start would be seen by this listener
            CountDownLatch startedAfterClose = new CountDownLatch(1);
            monitor.addListener(new HealthMonitor.Listener() {
                @Override
                public void started(CheckDefinition check, boolean retry, long latenessNanos) {
                    startedAfterClose.countDown();
                }
            });
            assertThat(startedAfterClose.await(500, TimeUnit.MILLISECONDS)).isFalse();
        } finally {
            http.stop(0);
        }
    }
}
