package io.lvscp.dataplane;

import io.lvscp.common.ExpositionBuffer;
import io.lvscp.common.StreamedFamilies;
import io.lvscp.common.StreamedMetrics;
import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

/**
 * {@code /actuator/prometheus} as Spring Boot serves it (same formats, same content negotiation, same
 * {@code name[]} filter), with every {@link StreamedFamilies} appended after the registry's families: the
 * kernel data plane's IPVS series ({@link IpvsExposition}, through {@link IpvsMetricsCollector}), and, whatever
 * the data plane, those registered with {@link StreamedMetrics} (the real servers' health series of
 * io.lvscp.health.HealthMeters, the virtual servers' quorum of {@link QuorumMetrics}). Each writes its
 * families' text itself, at the scrape, from its own state; a family is never split (those families are only
 * here, not in the registry). For OpenMetrics the registry's {@code # EOF} is moved after them; for protobuf
 * their snapshots go through the client's writer with the registry's. (The name is the IPVS one it had when
 * those were the only such families.)
 */
public class IpvsScrapeEndpoint extends PrometheusScrapeEndpoint implements AutoCloseable {

    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats;
    private final StreamedMetrics streamed;
    private volatile IpvsMetricsCollector ipvs;
    private volatile int nextSize = 1 << 16;

    IpvsScrapeEndpoint(PrometheusRegistry registry, @Nullable Properties properties, StreamedMetrics streamed,
            @Nullable IpvsMetricsCollector ipvs) {
        super(registry, properties);
        this.registry = registry;
        this.formats = ExpositionFormats.init((properties == null ? PrometheusPropertiesLoader.load()
                : PrometheusPropertiesLoader.load(properties)).getExporterProperties());
        this.streamed = streamed;
        this.ipvs = ipvs;
    }

    @Override
    @ReadOperation(producesFrom = PrometheusOutputFormat.class)
    public WebEndpointResponse<byte[]> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
        List<StreamedFamilies> sources = new ArrayList<>(streamed.sources());
        IpvsMetricsCollector ipvs = this.ipvs;
        if (ipvs != null) {
            sources.add(ipvs);
        }
        if (sources.isEmpty()) {
            return super.scrape(format, includedNames);
        }
        Predicate<String> include = includedNames == null ? null : includedNames::contains;
        MetricSnapshots rest = include == null ? registry.scrape() : registry.scrape(include);
        try {
            ExpositionBuffer out = new ExpositionBuffer(nextSize);
            switch (format) {
                case CONTENT_TYPE_PROTOBUF -> {
                    List<MetricSnapshot> all = new ArrayList<>(rest.stream().toList());
                    for (StreamedFamilies s : sources) {
                        all.addAll(s.snapshots(include));
                    }
                    formats.getPrometheusProtobufWriter().write(out, new MetricSnapshots(all));
                }
                case CONTENT_TYPE_OPENMETRICS_100 -> {
                    formats.getOpenMetricsTextFormatWriter().write(out, rest);
                    out.dropTrailing(EOF);
                    for (StreamedFamilies s : sources) {
                        s.write(StreamedFamilies.Format.OPENMETRICS, include, out);
                    }
                    out.put(EOF);
                }
                default -> {
                    formats.getPrometheusTextFormatWriter().write(out, rest);
                    for (StreamedFamilies s : sources) {
                        s.write(StreamedFamilies.Format.PROMETHEUS_TEXT, include, out);
                    }
                }
            }
            byte[] body = out.toByteArray();
            nextSize = body.length + 1024;
            return new WebEndpointResponse<>(body, format);
        } catch (IOException e) {
            throw new IllegalStateException("Writing metrics failed", e);
        }
    }

    /** Serves {@code collector}'s IPVS series from now on (ScrapeBench: a synthetic 1,000 x 10 table on a host without IPVS). */
    void use(@Nullable IpvsMetricsCollector collector) {
        this.ipvs = collector;
    }

    @Override
    public void close() {
        IpvsMetricsCollector ipvs = this.ipvs;
        if (ipvs != null) {
            ipvs.close();
        }
    }
}
