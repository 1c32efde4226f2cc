package io.lvscp.health;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The time of the prober loop's current pass, as an event loop caches it (libuv's {@code uv_now},
 * keepalived's {@code time_now}): the native loop reads the monotonic clock once per pass, after
 * {@code epoll_wait}, and everything that runs on its thread in that pass (starting due checks, the
 * monitor's bookkeeping of a result, the Micrometer timers of lateness and duration) reads that instead
 * of the clock. In the lab kernel (User-mode Linux) every clock read is a system call; this takes the
 * per-check reads off the checks (issue 18, docs/benchmarks.md).
 *
 * <p>The wall time of a pass is the system clock read at most once a second on the loop (its
 * "calibration") plus the monotonic time since: a step of the system clock shows within a second.
 * On any other thread the clocks here are the system's, unchanged.
 */
public final class LoopTime {

    /** How often the loop re-reads the system (wall) clock. */
    static final long CALIBRATE_NANOS = 1_000_000_000L;

    private LoopTime() {
    }

    /** A loop thread: the time of its current pass is its own fields (written and read on it only). */
    static final class LoopThread extends Thread {
        /** {@link System#nanoTime()} at the start of the pass */
        long passNanos;
        /** the same instant on the system clock, epoch nanoseconds */
        long passWallNanos;
        private long calibratedNanos = Long.MIN_VALUE;
        private long calibratedWallNanos;

        LoopThread(Runnable run, String name) {
            super(run, name);
            setDaemon(true);
        }

        /** The pass starts: one monotonic clock read, and the wall clock once a second. */
        long tick() {
            long now = System.nanoTime();
            if (calibratedNanos == Long.MIN_VALUE || now - calibratedNanos >= CALIBRATE_NANOS) {
                calibratedWallNanos = CheckScheduler.nanos(Clock.systemUTC().instant());
                calibratedNanos = now;
            }
            passNanos = now;
            passWallNanos = calibratedWallNanos + (now - calibratedNanos);
            return now;
        }
    }

    private static LoopThread loop() {
        return Thread.currentThread() instanceof LoopThread l && l.calibratedNanos != Long.MIN_VALUE ? l : null;
    }

    /**
     * {@code base} where it is the system clock (the service's): on a loop thread the pass's time, elsewhere
     * the system clock. Any other clock (a test's) is returned as it is.
     */
    public static Clock clock(Clock base) {
        if (base instanceof PassClock || !base.equals(Clock.system(base.getZone()))) {
            return base;
        }
        return new PassClock(base.getZone());
    }

    /** Micrometer's clock for the service's registry: on a loop thread the pass's time, elsewhere {@code Clock.SYSTEM}'s. */
    public static io.micrometer.core.instrument.Clock micrometerClock() {
        return MICROMETER;
    }

    private static final io.micrometer.core.instrument.Clock MICROMETER = new io.micrometer.core.instrument.Clock() {
        @Override
        public long wallTime() {
            LoopThread l = loop();
            return l == null ? System.currentTimeMillis() : Math.floorDiv(l.passWallNanos, 1_000_000L);
        }

        @Override
        public long monotonicTime() {
            LoopThread l = loop();
            return l == null ? System.nanoTime() : l.passNanos;
        }
    };

    private static final class PassClock extends Clock {
        private final ZoneId zone;
        private final Clock system;

        PassClock(ZoneId zone) {
            this.zone = zone;
            this.system = Clock.system(zone);
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return z.equals(zone) ? this : new PassClock(z);
        }

        @Override
        public Instant instant() {
            LoopThread l = loop();
            return l == null ? system.instant() : CheckScheduler.instant(l.passWallNanos);
        }

        @Override
        public long millis() {
            LoopThread l = loop();
            return l == null ? system.millis() : Math.floorDiv(l.passWallNanos, 1_000_000L);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PassClock p && p.zone.equals(zone);
        }

        @Override
        public int hashCode() {
            return zone.hashCode() + 1;
        }

        @Override
        public String toString() {
            return "LoopTime.clock[" + zone + "]";
        }
    }
}
