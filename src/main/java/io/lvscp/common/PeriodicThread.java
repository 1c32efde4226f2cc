package io.lvscp.common;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that runs a task at a fixed delay (the first run at once), for the lifecycle beans that work
 * in the background (heartbeat, split-brain watch, switch-over agent): they delegate their {@code start},
 * {@code stop} and {@code isRunning} here.
 */
public final class PeriodicThread {

    private final String name;
    private volatile ScheduledExecutorService executor;

    public PeriodicThread(String name) {
        this.name = name;
    }

    /** Starts running {@code task} every {@code delay} after the end of the previous run; false if already running. */
    public synchronized boolean start(Runnable task, Duration delay) {
        if (executor != null) {
            return false;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(task, 0, delay.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /** Runs {@code task} once on the thread, soon; does nothing when stopped (or stopping). */
    public void runSoon(Runnable task) {
        ScheduledExecutorService e = executor;
        if (e != null) {
            try {
                e.execute(task);
            } catch (RejectedExecutionException stopping) {
                // stopped meanwhile
            }
        }
    }

    /** Stops the thread (interrupting a run in progress). */
    public synchronized void stop() {
        ScheduledExecutorService e = executor;
        executor = null;
        if (e != null) {
            e.shutdownNow();
        }
    }

    public boolean isRunning() {
        return executor != null;
    }
}
