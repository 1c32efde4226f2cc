package io.lvscp.dataplane;

import io.lvscp.ipvs.IpvsMetrics;
import io.lvscp.ipvs.TableEntry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's IPVS counters at {@code /actuator/prometheus}, read over netlink and served
 * at most {@link #MAX_AGE} old (from the start of the read): several scrapers, or a scrape
 * and the plan page, share one read, and the read is converted to series once.
 *
 * <p>A scraper comes at a steady interval (Prometheus' {@code scrape_interval}), so after
 * two scrapes the next one is expected: the table is read and converted in the background
 * shortly before it ({@link #lead()} ahead, at least the last read's duration), and that
 * scrape only writes text. A scrape that comes earlier or later than expected, or while
 * the table is older than {@code MAX_AGE}, reads the kernel itself (or waits for the read
 * under way). Nothing is read in the background unless scrapes keep coming: one read per
 * scrape, as before, only earlier. When the read fails the series are left out of that
 * scrape and the failure is logged once.
 */
class IpvsMetricsCollector implements MultiCollector, AutoCloseable {

    static final Duration MAX_AGE = Duration.ofSeconds(1);
    /** Intervals between scrapes longer than this are not predicted (nobody is scraping regularly). */
    static final Duration LONGEST_INTERVAL = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(IpvsMetricsCollector.class);

    /** The table as the kernel lists it now. */
    @FunctionalInterface
    interface TableSource {
        List<TableEntry> read();
    }

    /** The series of one read; {@code readAt} is System.nanoTime() when the read started. */
    private record Read(MetricSnapshots series, long readAt) {
    }

    private final TableSource source;
    private final Supplier<String> cluster;
    private final IpvsMetrics.Series series;
    private final ReentrantLock reading = new ReentrantLock();
    private final ScheduledExecutorService background;
    private final boolean prefetch;
    private volatile Read last;
    private volatile long lastReadNanos;
    private boolean failing;
    // guarded by this
    private long lastScrape;
    private ScheduledFuture<?> scheduled;

    IpvsMetricsCollector(TableSource source, String node, Supplier<String> cluster) {
        this(source, node, cluster, true);
    }

    /** With {@code prefetch} false every scrape past MAX_AGE reads itself (the benchmark's comparison). */
    IpvsMetricsCollector(TableSource source, String node, Supplier<String> cluster, boolean prefetch) {
        this.prefetch = prefetch;
        this.source = source;
        this.cluster = cluster;
        this.series = new IpvsMetrics.Series(node);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ipvs-metrics-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public MetricSnapshots collect() {
        long now = System.nanoTime();
        schedulePrefetch(now);
        Read r = last;
        if (r == null || now - r.readAt() > MAX_AGE.toNanos()) {
            r = read(now);
        }
        return r == null ? new MetricSnapshots() : r.series();
    }

    @Override
    public List<String> getPrometheusNames() {
        return IpvsMetrics.NAMES;
    }

    @Override
    public void close() {
        background.shutdownNow();
    }

    /** How long before the expected scrape the background read starts: the last read's duration and a margin, within MAX_AGE. */
    long lead() {
        long min = MAX_AGE.toNanos() / 4;
        long max = MAX_AGE.toNanos() * 9 / 10;
        return Math.max(min, Math.min(max, lastReadNanos * 3 / 2 + TimeUnit.MILLISECONDS.toNanos(50)));
    }

    private synchronized void schedulePrefetch(long now) {
        long interval = lastScrape == 0 ? 0 : now - lastScrape;
        lastScrape = now;
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
        if (!prefetch || interval <= MAX_AGE.toNanos() || interval > LONGEST_INTERVAL.toNanos() || background.isShutdown()) {
            return; // within the cache's second anyway, or nobody scrapes regularly
        }
        long lead = lead();
        scheduled = background.schedule(() -> read(System.nanoTime() + lead), interval - lead, TimeUnit.NANOSECONDS);
    }

    /** Reads and converts, unless the last read (perhaps one this call waited for) is still within MAX_AGE at {@code freshAt}. */
    private Read read(long freshAt) {
        reading.lock();
        try {
            Read r = last;
            if (r != null && freshAt - r.readAt() <= MAX_AGE.toNanos()) {
                return r;
            }
            long t0 = System.nanoTime();
            try {
                List<TableEntry> table = source.read();
                r = new Read(series.snapshots(table, cluster.get()), t0);
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("IPVS metrics: cannot read the kernel's table: {}", e.toString());
                }
                failing = true;
                r = null;
            }
            lastReadNanos = System.nanoTime() - t0;
            last = r;
            return r;
        } finally {
            reading.unlock();
        }
    }
}
