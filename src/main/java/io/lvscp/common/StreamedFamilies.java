package io.lvscp.common;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Metric families written straight as exposition text at scrape time, from their owner's own state, instead of one
 * Micrometer meter per series: {@code /actuator/prometheus} appends them to the registry's families
 * (io.lvscp.dataplane.IpvsScrapeEndpoint), registered with {@link StreamedMetrics}. A family is written whole by
 * one source (never also a meter in the registry), with the names, HELP, TYPE, labels, order and values the
 * Prometheus client's writers would give the same series, and left out while it has no series (as those
 * writers do).
 */
public interface StreamedFamilies {

    /** The two text formats (protobuf goes through {@link #snapshots}). */
    enum Format {
        /** Prometheus text 0.0.4. */
        PROMETHEUS_TEXT,
        /** OpenMetrics 1.0 text, without the {@code # EOF} (the endpoint writes it last). */
        OPENMETRICS
    }

    /** Appends the families {@code include} accepts (by Prometheus name, counters without {@code _total}; null: all). */
    void write(Format format, @Nullable Predicate<String> include, ExpositionBuffer out);

    /** The same families as snapshots, for the protobuf format. */
    List<MetricSnapshot> snapshots(@Nullable Predicate<String> include);
}
