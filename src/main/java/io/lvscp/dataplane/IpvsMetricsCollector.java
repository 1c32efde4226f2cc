package io.lvscp.dataplane;

import io.lvscp.common.ExpositionBuffer;
import io.lvscp.common.StreamedFamilies;
import io.lvscp.ipvs.IpvsMetrics;
import io.lvscp.ipvs.TableEntry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's IPVS counters at {@code /actuator/prometheus}, read over netlink and served
 * at most {@link #MAX_AGE} old (from the start of the read): several scrapers, or a scrape
 * and the plan page, share one read, and the read is written as text once per format. The read may be
 * one the console's or the switch-over agent's connection counts made ({@link LocalConnections}, through
 * {@link TableSource#of(KernelDataPlane)}), if it is fresh enough.
 *
 * <p>The series do not go through the Prometheus client's snapshots and writer: with 1,000 x 10
 * (about 95,000 series) that writer took most of a scrape. {@link IpvsScrapeEndpoint} appends
 * the text {@link IpvsExposition} wrote to the rest of the registry's ({@link #text}, as one of the
 * {@link StreamedFamilies}); only the
 * protobuf format, which Prometheus asks for when native histograms are on, converts the read
 * to snapshots ({@link #collect}).
 *
 * <p>A scraper comes at a steady interval (Prometheus' {@code scrape_interval}), so after
 * two scrapes the next one is expected: the table is read and written in the background
 * shortly before it ({@link #lead()} ahead, at least the last read's duration), in the format
 * the last scrape asked for, and that scrape only copies bytes. A scrape that comes earlier or
 * later than expected, or while the table is older than {@code MAX_AGE}, reads the kernel itself
 * (or waits for the read under way). Nothing is read in the background unless scrapes keep
 * coming: one read per scrape, as before, only earlier. When the read fails the series are left
 * out of that scrape and the failure is logged once.
 */
class IpvsMetricsCollector implements StreamedFamilies, AutoCloseable {

    static final Duration MAX_AGE = Duration.ofSeconds(1);
    /** Intervals between scrapes longer than this are not predicted (nobody is scraping regularly). */
    static final Duration LONGEST_INTERVAL = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(IpvsMetricsCollector.class);

    /** The table as the kernel lists it now. */
    @FunctionalInterface
    interface TableSource {
        List<TableEntry> read();

        /**
         * A read started at most {@code maxAge} before {@code freshAt} ({@code System.nanoTime()}), with its start: a new
         * one unless the source shares its reads (the kernel data plane's, {@link #of(KernelDataPlane)}).
         */
        default SharedTableRead.Stamped read(long freshAt, Duration maxAge) {
            long started = System.nanoTime();
            return new SharedTableRead.Stamped(read(), started);
        }

        /** The kernel data plane's table, whose last read the console's connection counts may have made ({@link LocalConnections}). */
        static TableSource of(KernelDataPlane kernel) {
            return new TableSource() {
                @Override
                public List<TableEntry> read() {
                    return kernel.entries();
                }

                @Override
                public SharedTableRead.Stamped read(long freshAt, Duration maxAge) {
                    return kernel.recentEntries(freshAt, maxAge);
                }
            };
        }
    }

    /**
     * One read; {@code readAt} is System.nanoTime() when the read started, {@code conversion} the exposition's
     * update it made. The text of each format is written on first use (under the reading lock) and kept.
     */
    private static final class Read {
        final List<TableEntry> table;
        final String cluster;
        final long readAt;
        final Map<IpvsExposition.Format, IpvsExposition.Text> text = new ConcurrentHashMap<>(2);

        Read(List<TableEntry> table, String cluster, long readAt) {
            this.table = table;
            this.cluster = cluster;
            this.readAt = readAt;
        }
    }

    private final TableSource source;
    private final Supplier<String> cluster;
    private final String node;
    private final IpvsExposition exposition;
    private final ReentrantLock reading = new ReentrantLock();
    private final ScheduledExecutorService background;
    private final boolean prefetch;
    /** System.nanoTime(), or a test's clock; the source's read stamps must come from the same clock. */
    private final LongSupplier nanos;
    private volatile Read last;
    private volatile long lastReadNanos;
    private volatile IpvsExposition.Format lastFormat = IpvsExposition.Format.PROMETHEUS_TEXT;
    private boolean failing;
    // guarded by this
    private long lastScrape;
    private ScheduledFuture<?> scheduled;

    IpvsMetricsCollector(TableSource source, String node, Supplier<String> cluster) {
        this(source, node, cluster, true);
    }

    /** With {@code prefetch} false every scrape past MAX_AGE reads itself (the benchmark's comparison). */
    IpvsMetricsCollector(TableSource source, String node, Supplier<String> cluster, boolean prefetch) {
        this(source, node, cluster, prefetch, System::nanoTime);
    }

    /** With the clock that decides a read's age (a test's, to age reads without waiting). */
    IpvsMetricsCollector(TableSource source, String node, Supplier<String> cluster, boolean prefetch, LongSupplier nanos) {
        this.nanos = nanos;
        this.prefetch = prefetch;
        this.source = source;
        this.cluster = cluster;
        this.node = node;
        this.exposition = new IpvsExposition(node);
        this.background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ipvs-metrics-prefetch");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A scrape's IPVS series as text in {@code format}, the families {@code include} accepts (null: all); null
     * when the table cannot be read.
     */
    IpvsExposition.Text text(IpvsExposition.Format format, Predicate<String> include) {
        long now = nanos.getAsLong();
        lastFormat = format;
        schedulePrefetch(now);
        Read r = last;
        if (r == null || now - r.readAt > MAX_AGE.toNanos()) {
            r = read(now, format);
        }
        if (r == null) {
            return null;
        }
        IpvsExposition.Text t = include == null ? r.text.get(format) : null;
        return t != null ? t : write(format, include);
    }

    @Override
    public void write(Format format, Predicate<String> include, ExpositionBuffer out) {
        IpvsExposition.Text t = text(format == Format.OPENMETRICS ? IpvsExposition.Format.OPENMETRICS : IpvsExposition.Format.PROMETHEUS_TEXT,
                include);
        if (t != null) {
            out.put(t.bytes(), 0, t.length());
        }
    }

    /** {@link #collect()}'s families that {@code include} accepts (by name, counters with or without _total, as the text). */
    @Override
    public List<MetricSnapshot> snapshots(Predicate<String> include) {
        return collect().stream().filter(s -> include == null || include.test(s.getMetadata().getPrometheusName())
                || include.test(s.getMetadata().getPrometheusName() + "_total")).toList();
    }

    /** The same series as snapshots (the protobuf format; tests). */
    MetricSnapshots collect() {
        long now = nanos.getAsLong();
        schedulePrefetch(now);
        Read r = last;
        if (r == null || now - r.readAt > MAX_AGE.toNanos()) {
            r = read(now, null);
        }
        return r == null ? new MetricSnapshots() : IpvsMetrics.snapshots(r.table, node, r.cluster);
    }

    List<String> getPrometheusNames() {
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
        scheduled = background.schedule(() -> read(nanos.getAsLong() + lead, lastFormat), interval - lead, TimeUnit.NANOSECONDS);
    }

    /**
     * Writes the latest read's text (the exposition always holds the read in {@code last}); kept with the read
     * unless filtered. Null when the last read failed.
     */
    private IpvsExposition.Text write(IpvsExposition.Format format, Predicate<String> include) {
        reading.lock();
        try {
            Read cur = last;
            if (cur == null) {
                return null;
            }
            IpvsExposition.Text t = include == null ? cur.text.get(format) : null;
            if (t == null) {
                t = exposition.write(format, include);
                if (include == null) {
                    cur.text.put(format, t);
                }
            }
            return t;
        } finally {
            reading.unlock();
        }
    }

    /**
     * Reads and writes the text in {@code format} (none if null), unless the last read (perhaps one this call
     * waited for) is still within MAX_AGE at {@code freshAt}.
     */
    private Read read(long freshAt, IpvsExposition.Format format) {
        reading.lock();
        try {
            Read r = last;
            if (r != null && freshAt - r.readAt <= MAX_AGE.toNanos()) {
                return r;
            }
            long t0 = nanos.getAsLong();
            try {
                SharedTableRead.Stamped shared = source.read(freshAt, MAX_AGE);
                List<TableEntry> table = shared.entries();
                String c = cluster.get();
                exposition.update(table, c);
                r = new Read(table, c, shared.startedAt());
                if (format != null) {
                    r.text.put(format, exposition.write(format, null));
                }
                failing = false;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("IPVS metrics: cannot read the kernel's table: {}", e.toString());
                }
                failing = true;
                r = null;
            }
            if (r == null || r.readAt >= t0) {
                lastReadNanos = nanos.getAsLong() - t0; // how long a read of the kernel takes (not one taken from another reader)
            }
            last = r;
            return r;
        } finally {
            reading.unlock();
        }
    }
}
