package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.health.CheckState.Health;
import io.lvscp.health.HealthMonitor.Flip;
import io.lvscp.support.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The notifier pool outside the monitor: what the monitor tells goes out in order, on the notifier's own thread. */
class HealthNotifierTests {

    @Test
    void flipsAndDownChangesLeaveTheProberThreadInOrder() throws Exception {
        MutableClock clock = new MutableClock();
        CheckDefinition d = CheckDefinition.httpGet("127.0.0.1", 8080, "/", Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withPolicy(0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
        HealthMonitor monitor = new HealthMonitor(def -> CompletableFuture.completedFuture(CheckResult.fail(CheckResult.Reason.REFUSED,
                "connection refused", 0)), clock);
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        Thread caller = Thread.currentThread();
        try (HealthNotifier notifier = new HealthNotifier(new HealthMonitor.Listener() {
            @Override
            public void flipped(Flip f) {
                seen.add("flip " + f.health() + (Thread.currentThread() == caller ? " on the caller" : ""));
                done.countDown();
            }

            @Override
            public void downChanged() {
                seen.add("down " + monitor.downRealServers() + (Thread.currentThread() == caller ? " on the caller" : ""));
                done.countDown();
            }
        })) {
            monitor.addListener(notifier);
            monitor.setTargets(List.of(new HealthMonitor.Target(7, 1L, "wtc", "vip:80/tcp", "127.0.0.1:8080", d)));
            HealthMonitorTests.advanceTo(monitor, clock, monitor.nextDue(), true);
            assertThat(monitor.downRealServers()).containsExactly(7L);
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).containsExactly("flip " + Health.DOWN, "down [7]");
    }
}
