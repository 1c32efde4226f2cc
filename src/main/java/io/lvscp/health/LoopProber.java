package io.lvscp.health;

import io.lvscp.common.CheckType;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * What the one-thread probers ({@link UringProber}, {@link NativeProber}, {@link NioProber}) share: the loop
 * thread, the queue of attempts other threads submit, the wake-up (a flag, then the prober's own {@link #wake}),
 * the deadlines, the completion of an attempt's future, and the stop. The I/O is each prober's own.
 *
 * <p>A prober that {@code drives} runs the schedule on its loop ({@link #drive}): an attempt submitted on the
 * loop thread starts at once, and {@link #wakeup} wakes the loop.
 */
abstract class LoopProber<P extends LoopProber.Attempt> implements ConnectProber {

    /** An attempt; its fields (but the future) are the loop thread's. */
    static class Attempt {
        final CheckDefinition def;
        final CompletableFuture<CheckResult> future = new CompletableFuture<>();
        long start;
        long deadline;
        boolean done;

        Attempt(CheckDefinition def) {
            this.def = def;
        }
    }

    private final Logger log;
    private final boolean drives;
    final LoopTime.LoopThread thread;
    final ConcurrentLinkedQueue<P> submitted = new ConcurrentLinkedQueue<>();
    final PriorityQueue<P> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** held by {@link #wake} while it uses the descriptors, and to close them once */
    final Object wakeLock = new Object();
    volatile boolean running = true;
    /** the schedule, run once per pass ({@link #drive}), or null */
    volatile PassHook hook;
    /** attempts started and not finished (the loop thread's) */
    int live;
    /** guarded by {@link #wakeLock} */
    boolean fdsClosed;

    /** The loop thread is made here (a daemon) and started by {@link #startLoop}. */
    LoopProber(Logger log, String threadName, boolean drives) {
        this.log = log;
        this.drives = drives;
        this.thread = new LoopTime.LoopThread(this::loop, threadName);
    }

    /** A new attempt of the definition (not started). */
    abstract P attempt(CheckDefinition def);

    /** Starts an attempt on the loop thread at {@code now}. */
    abstract void start(P p, long now);

    /**
     * The rest of a loop pass after the queued attempts started: the deadlines, the wait for I/O (at most
     * {@link #waitNanos}), the pass's clock read, {@link #startDue}, the I/O's handling; returns the pass's time.
     */
    abstract long pass(long now) throws Exception;

    /** Wakes the loop (from any thread). */
    abstract void wake();

    final void startLoop() {
        thread.start();
    }

    /** The attempt's future: started at once on the loop thread (drive), else queued for the loop. */
    @Override
    public final CompletableFuture<CheckResult> probe(CheckDefinition def) {
        if (def.type() != CheckType.TCP_CHECK && def.type() != CheckType.HTTP_GET) {
            throw new IllegalArgumentException(def.type() + " is not probed here");
        }
        P p = attempt(def);
        if (!running) {
            p.future.complete(Prober.stopped());
            return p.future;
        }
        if (drives && Thread.currentThread() == thread) {
            // the schedule on the loop (drive): started in this pass, at its time, without a hand-over
            start(p, thread.passNanos);
            return p.future;
        }
        submitted.add(p);
        if (!running && submitted.remove(p)) { // closed meanwhile: close() may have drained the queue already
            p.future.complete(Prober.stopped());
            return p.future;
        }
        wakeOnce();
        return p.future;
    }

    /** The loop: one clock read per pass, which every start, duration and deadline of the pass uses. */
    private void loop() {
        if (!ready()) {
            return;
        }
        long now = tick();
        while (running) {
            try {
                wakeupPending.set(false);
                startSubmitted(now);
                now = pass(now);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // the loop must outlive anything a probe throws (even a linkage error when out of files)
                log.warn("health prober loop: {}", e.toString());
                now = tick();
            }
        }
    }

    /**
     * The pass's clock read: a prober that drives reads it into its {@link LoopTime.LoopThread}; one that does not
     * reads its own clock and never ticks its thread, which {@link LoopTime} then treats as any other (the system's clocks).
     */
    private long tick() {
        return drives ? thread.tick() : 0;
    }

    /** On the loop thread before the first pass: false when the loop is not to run. */
    boolean ready() {
        return true;
    }

    private void wakeOnce() {
        if (wakeupPending.compareAndSet(false, true)) {
            wake();
        }
    }

    @Override
    public boolean drive(PassHook h) {
        if (!drives) {
            return false;
        }
        hook = h;
        wakeOnce();
        return true;
    }

    @Override
    public void wakeup() {
        if (drives) {
            wakeOnce();
        }
    }

    @Override
    public boolean onLoopThread() {
        return drives && Thread.currentThread() == thread;
    }

    final void startSubmitted(long now) {
        P p;
        while ((p = submitted.poll()) != null) {
            start(p, now);
        }
    }

    /** How long the pass may wait: a second at most, until the schedule's next check or the first deadline; 0 with attempts queued. */
    final long waitNanos(long now) {
        long waitNanos = 1_000_000_000L;
        PassHook h = hook;
        if (h != null) {
            waitNanos = Math.min(waitNanos, h.waitNanos());
        }
        P first = deadlines.peek();
        if (first != null) {
            waitNanos = Math.min(waitNanos, Math.max(1, first.deadline - now));
        }
        if (!submitted.isEmpty()) {
            waitNanos = 0;
        }
        return waitNanos;
    }

    /** Right after the pass's clock read: the schedule starts the checks that are due. */
    final void startDue() {
        PassHook due = hook;
        if (due != null) {
            due.startDue();
        }
    }

    /** Completes the attempt's future; a result handler that throws does not reach the loop. */
    final void complete(P p, CheckResult r) {
        try {
            p.future.complete(r);
        } catch (RuntimeException e) {
            log.warn("health result handler failed: {}", e.toString());
        }
    }

    @Override
    public int inFlight() {
        return live;
    }

    /** Stops the loop (2 s at most) and completes the queued attempts as stopped; true when the loop has ended. */
    final boolean stopLoop() {
        running = false;
        wake();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        P p;
        while ((p = submitted.poll()) != null) {
            p.future.complete(Prober.stopped());
        }
        return !thread.isAlive();
    }

    /** True once, for the caller that is to close the descriptors; {@link #wake} uses none after it. */
    final boolean claimFds() {
        synchronized (wakeLock) {
            if (fdsClosed) {
                return false;
            }
            fdsClosed = true;
            return true;
        }
    }
}
