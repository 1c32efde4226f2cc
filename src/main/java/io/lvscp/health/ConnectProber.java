package io.lvscp.health;

import java.util.concurrent.CompletableFuture;

/**
 * The prober of HTTP_GET and TCP_CHECK attempts: {@link UringProber} (an io_uring ring), {@link NativeProber}
 * (an epoll loop through libc) or {@link NioProber} (a {@code java.nio} selector), chosen by
 * {@code lvs.health.prober}. All have the same semantics: one attempt per call, ended by its {@code connect_timeout}, the same verdicts and reasons.
 */
interface ConnectProber extends AutoCloseable {

    /** Starts a TCP_CHECK or HTTP_GET attempt; the future completes by the deadline at the latest. */
    CompletableFuture<CheckResult> probe(CheckDefinition def);

    /** Probes in flight (for tests and the benchmark). */
    int inFlight();

    /** "uring", "native" or "nio". */
    String kind();

    /** Work a prober's loop runs once per pass, on its own thread (the schedule: {@link HealthDriver}). */
    interface PassHook {
        /** Right after the pass's clock read, before its socket events: starts what is due (at the pass's time). */
        void startDue();

        /** Before the loop waits: how long it may wait for its next pass at most, in nanoseconds (0: at once). */
        long waitNanos();
    }

    /**
     * Runs {@code hook} once per pass of this prober's loop from now on; false when this prober does not
     * (the caller keeps a thread of its own).
     */
    default boolean drive(PassHook hook) {
        return false;
    }

    /** Starts a pass of the loop soon (from another thread: the schedule changed). */
    default void wakeup() {
    }

    /** Whether the caller runs on this prober's loop thread. */
    default boolean onLoopThread() {
        return false;
    }

    @Override
    void close();

    /** {@code lvs.health.prober}: which prober runs HTTP_GET and TCP_CHECK. */
    enum Choice {
        /**
         * the io_uring loop where io_uring_setup succeeds and the kernel has what it needs (5.19 and later), else the
         * native epoll loop on Linux (x86_64, aarch64) where libc loads, else {@code java.nio}
         */
        AUTO,
        /** the io_uring loop; where it cannot run, the native loop (else {@code java.nio}) with a warning */
        URING,
        /** the native loop; where it cannot run, {@code java.nio} with a warning */
        NATIVE,
        /** {@code java.nio} */
        NIO;

        static Choice parse(String s) {
            if (s == null || s.isBlank()) {
                return AUTO;
            }
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "uring" -> URING;
                case "native" -> NATIVE;
                case "nio" -> NIO;
                default -> throw new IllegalArgumentException("lvs.health.prober must be auto, uring, native or nio, not '" + s + "'");
            };
        }
    }
}
