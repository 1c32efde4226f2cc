package io.lvscp.dataplane;

import io.lvscp.ipvs.IpvsMetrics;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.linux.KernelDataPlane;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's IPVS counters at {@code /actuator/prometheus}: read over netlink at scrape
 * time, at most once per {@link #MAX_AGE} (several scrapers, or a scrape and the plan
 * page, share one read). When the read fails the series are left out of that scrape and
 * the failure is logged once.
 */
class IpvsMetricsCollector implements MultiCollector {

    static final Duration MAX_AGE = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(IpvsMetricsCollector.class);

    private final KernelDataPlane kernel;
    private final String node;
    private final Supplier<String> cluster;
    private final Clock clock;
    private List<TableEntry> cached;
    private Instant readAt = Instant.MIN;
    private boolean failing;

    IpvsMetricsCollector(KernelDataPlane kernel, String node, Supplier<String> cluster, Clock clock) {
        this.kernel = kernel;
        this.node = node;
        this.cluster = cluster;
        this.clock = clock;
    }

    @Override
    public MetricSnapshots collect() {
        List<TableEntry> table = table();
        return table == null ? new MetricSnapshots() : IpvsMetrics.snapshots(table, node, cluster.get());
    }

    @Override
    public List<String> getPrometheusNames() {
        return IpvsMetrics.NAMES;
    }

    private synchronized List<TableEntry> table() {
        Instant now = clock.instant();
        if (cached != null && now.isBefore(readAt.plus(MAX_AGE))) {
            return cached;
        }
        try {
            cached = kernel.entries();
            readAt = now;
            failing = false;
            return cached;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("IPVS metrics: cannot read the kernel's table: {}", e.toString());
            }
            failing = true;
            cached = null;
            return null;
        }
    }
}
