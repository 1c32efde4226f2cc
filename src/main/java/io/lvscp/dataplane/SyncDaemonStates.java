package io.lvscp.dataplane;

import io.lvscp.ipvs.SyncDaemon;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running sync daemons for the metrics, read at most once per interval (a scrape reads both roles). */
final class SyncDaemonStates {

    private static final Logger log = LoggerFactory.getLogger(SyncDaemonStates.class);

    private final Supplier<List<SyncDaemon>> source;
    private final long intervalNanos;
    private List<SyncDaemon> last = List.of();
    private long readAt;
    private boolean read;

    SyncDaemonStates(Supplier<List<SyncDaemon>> source, Duration interval) {
        this.source = source;
        this.intervalNanos = interval.toNanos();
    }

    synchronized boolean running(SyncDaemon.Role role) {
        long now = System.nanoTime();
        if (!read || now - readAt >= intervalNanos) {
            try {
                last = source.get();
            } catch (RuntimeException e) {
                log.debug("Reading the sync daemons failed: {}", e.getMessage());
                last = List.of();
            }
            readAt = now;
            read = true;
        }
        return last.stream().anyMatch(d -> d.role() == role);
    }
}
