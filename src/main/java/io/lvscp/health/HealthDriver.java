package io.lvscp.health;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that drives a {@link HealthMonitor} in real time: it runs the due checks,
 * then sleeps until the next one is due (or it is woken because an attempt ended or the
 * targets changed). All the bookkeeping is the monitor's; this only decides when.
 */
public final class HealthDriver implements HealthMonitor.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthDriver.class);
    /** With thousands of checks a second, wake once per grain for a batch rather than once per check. */
    static final long DISPATCH_GRAIN_NANOS = 1_000_000L;
    private static final long MAX_SLEEP_NANOS = 1_000_000_000L;

    private final HealthMonitor monitor;
    private volatile Thread thread;
    private volatile boolean running;
    /** When the thread means to wake (epoch nanoseconds); a check due earlier unparks it. */
    private volatile long plannedWake = Long.MAX_VALUE;

    /** Starts driving {@code monitor} on a new daemon thread. */
    public static HealthDriver start(HealthMonitor monitor) {
        HealthDriver d = new HealthDriver(monitor);
        monitor.addListener(d);
        d.running = true;
        Thread t = new Thread(d::loop, "health-scheduler");
        t.setDaemon(true);
        d.thread = t;
        t.start();
        return d;
    }

    private HealthDriver(HealthMonitor monitor) {
        this.monitor = monitor;
    }

    private void loop() {
        while (running) {
            try {
                monitor.runDue();
                Instant next = monitor.nextDue();
                plannedWake = next == null ? Long.MAX_VALUE : CheckScheduler.nanos(next);
                // an attempt that ended before plannedWake was published is seen here; one after it unparks us
                Instant again = monitor.nextDue();
                if (again != null && (next == null || again.isBefore(next))) {
                    continue;
                }
                long waitNanos = next == null ? MAX_SLEEP_NANOS
                        : Math.min(MAX_SLEEP_NANOS, CheckScheduler.nanos(next) - CheckScheduler.nanos(monitor.clock().instant()));
                if (waitNanos > 0) {
                    // at least one grain: costs at most that much lateness
                    LockSupport.parkNanos(this, Math.max(waitNanos, DISPATCH_GRAIN_NANOS));
                }
            } catch (RuntimeException e) {
                log.warn("health scheduler: {}", e.toString());
                LockSupport.parkNanos(this, 10_000_000L);
            }
        }
    }

    @Override
    public void rescheduled(Instant nextDue) {
        Thread t = thread;
        if (t == null || t == Thread.currentThread() || nextDue == null) {
            return;
        }
        long due = CheckScheduler.nanos(nextDue);
        if (due < plannedWake) {
            plannedWake = due;
            LockSupport.unpark(t);
        }
    }

    /** Stops the thread (the monitor and the prober are the caller's). */
    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
