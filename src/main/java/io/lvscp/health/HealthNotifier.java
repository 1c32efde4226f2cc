package io.lvscp.health;

import io.lvscp.health.HealthMonitor.Flip;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a {@link HealthMonitor}'s flips and down-set changes to one thread of its own, in
 * order, so that logging them and whatever the service does about them (events, a
 * reconcile) never holds up the prober threads that report them.
 */
public final class HealthNotifier implements HealthMonitor.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthNotifier.class);

    private final HealthMonitor.Listener delegate;
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(100_000), r -> {
        Thread t = new Thread(r, "health-flips");
        t.setDaemon(true);
        return t;
    }, (r, ex) -> {
        if (!ex.isShutdown()) {
            log.warn("health flips are backing up: one notification dropped");
        }
    });

    /** Tells {@code delegate} of flips and down-set changes on this notifier's thread. */
    public HealthNotifier(HealthMonitor.Listener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void flipped(Flip f) {
        pool.execute(() -> {
            log.info("{}: {} ({}) for {} real server(s)", f.check().label(), f.health(), f.result().describe(), f.targets().size());
            safely(() -> delegate.flipped(f));
        });
    }

    @Override
    public void downChanged() {
        pool.execute(() -> safely(delegate::downChanged));
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.warn("health listener failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        pool.shutdown();
    }
}
