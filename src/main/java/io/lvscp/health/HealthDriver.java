package io.lvscp.health;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives a {@link HealthMonitor} in real time: it runs the due checks, then waits until the next
 * one is due (or it is woken because an attempt ended or the targets changed). All the
 * bookkeeping is the monitor's; this only decides when.
 *
 * <p>Where the prober has a loop of its own (the native epoll loop, {@link Prober#drive}), the
 * schedule runs on that loop: once per pass, right after the pass's clock read and before its socket
 * events (so a start waits for none of their handling), it starts every check due within the next
 * {@link #LOOP_GRAIN_NANOS} (a check due a little later starts in this pass rather than costing a pass
 * of its own; its lateness counts as 0), and the loop's {@code epoll_wait} waits until the next one at
 * most. No thread of its own, no park and unpark, no hand-over to the prober per check; another thread
 * that moves the next check earlier (new targets, an SSL_GET or MISC_CHECK result) wakes the loop.
 * Otherwise ({@code java.nio}) a thread of its own, {@code health-scheduler}, as before.
 */
public final class HealthDriver implements HealthMonitor.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthDriver.class);
    /** With thousands of checks a second, wake once per grain for a batch rather than once per check. */
    static final long DISPATCH_GRAIN_NANOS = 1_000_000L;
    /** On the prober's loop: a pass starts the checks due within this much after it. */
    static final long LOOP_GRAIN_NANOS = 5_000_000L;
    private static final long MAX_SLEEP_NANOS = 1_000_000_000L;

    private final HealthMonitor monitor;
    private volatile Thread thread;
    /** The prober whose loop runs the schedule, or null (a thread of its own). */
    private volatile Prober loop;
    private volatile boolean running;
    /** When the thread means to wake (epoch nanoseconds); a check due earlier unparks it. */
    private volatile long plannedWake = Long.MAX_VALUE;

    /**
     * Starts driving {@code monitor}: on {@code prober}'s loop where it has one (the native prober), else
     * on a new daemon thread. {@code prober} is the one the monitor's attempts go to.
     */
    public static HealthDriver start(HealthMonitor monitor, Prober prober) {
        HealthDriver d = new HealthDriver(monitor);
        d.running = true;
        d.loop = prober;
        monitor.addListener(d);
        if (prober.drive(d.new OnLoop())) {
            return d;
        }
        monitor.removeListener(d);
        return start(monitor);
    }

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

    /** The schedule on the prober's loop, on its thread. */
    private final class OnLoop implements ConnectProber.PassHook {

        @Override
        public void startDue() {
            if (running) {
                try {
                    monitor.startDue(LOOP_GRAIN_NANOS);
                } catch (RuntimeException e) {
                    log.warn("health scheduler: {}", e.toString());
                }
            }
        }

        @Override
        public long waitNanos() {
            return running ? HealthDriver.this.waitNanos() : MAX_SLEEP_NANOS;
        }
    }

    /** On the loop thread, before it waits: until the next check is due (0 when one already is). */
    private long waitNanos() {
        try {
            Instant next = monitor.nextDue();
            plannedWake = next == null ? Long.MAX_VALUE : CheckScheduler.nanos(next);
            // a check queued by another thread before plannedWake was published is seen here; one after it wakes the loop
            Instant again = monitor.nextDue();
            if (again != null && (next == null || again.isBefore(next))) {
                return 0;
            }
            // the monitor's clock on the loop thread is the pass's time (LoopTime): no clock read
            return next == null ? MAX_SLEEP_NANOS
                    : Math.max(0, Math.min(MAX_SLEEP_NANOS, CheckScheduler.nanos(next) - CheckScheduler.nanos(monitor.clock().instant())));
        } catch (RuntimeException e) {
            log.warn("health scheduler: {}", e.toString());
            return 10_000_000L;
        }
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
        Prober p = loop;
        if (p != null) {
            if (nextDue == null || !running || p.onLoopThread()) {
                return; // on the loop, the pass recomputes its wait after this
            }
            long due = CheckScheduler.nanos(nextDue);
            if (due < plannedWake) {
                plannedWake = due;
                p.wakeup();
            }
            return;
        }
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
        Prober p = loop;
        if (p != null) {
            p.drive(null);
            return;
        }
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
