package io.lvscp.dataplane;

import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
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
 * {@code name[]} filter), with the IPVS series of the kernel data plane appended as the text
 * {@link IpvsExposition} wrote (a family is never split: the IPVS families are only here, not in the
 * registry). For OpenMetrics the registry's {@code # EOF} is moved after them; for protobuf the IPVS
 * snapshots go through the client's writer with the others. Without a kernel data plane it is Spring
 * Boot's endpoint.
 */
public class IpvsScrapeEndpoint extends PrometheusScrapeEndpoint implements AutoCloseable {

    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats;
    private volatile IpvsMetricsCollector ipvs;
    private volatile int nextSize = 1 << 16;

    IpvsScrapeEndpoint(PrometheusRegistry registry, @Nullable Properties properties, @Nullable IpvsMetricsCollector ipvs) {
        super(registry, properties);
        this.registry = registry;
        this.formats = ExpositionFormats.init((properties == null ? PrometheusPropertiesLoader.load()
                : PrometheusPropertiesLoader.load(properties)).getExporterProperties());
        this.ipvs = ipvs;
    }

    @Override
    @ReadOperation(producesFrom = PrometheusOutputFormat.class)
    public WebEndpointResponse<byte[]> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
        IpvsMetricsCollector ipvs = this.ipvs;
        if (ipvs == null) {
            return super.scrape(format, includedNames);
        }
        Predicate<String> include = includedNames == null ? null : includedNames::contains;
        MetricSnapshots rest = include == null ? registry.scrape() : registry.scrape(include);
        try {
            Buffer out = new Buffer(nextSize);
            switch (format) {
                case CONTENT_TYPE_PROTOBUF -> {
                    List<MetricSnapshot> all = new ArrayList<>(rest.stream().toList());
                    ipvs.collect().stream().filter(s -> include == null || include.test(s.getMetadata().getPrometheusName())
                            || include.test(s.getMetadata().getPrometheusName() + "_total")).forEach(all::add);
                    formats.getPrometheusProtobufWriter().write(out, new MetricSnapshots(all));
                }
                case CONTENT_TYPE_OPENMETRICS_100 -> {
                    formats.getOpenMetricsTextFormatWriter().write(out, rest);
                    out.dropTrailing(EOF);
                    append(ipvs, out, IpvsExposition.Format.OPENMETRICS, include);
                    out.write(EOF);
                }
                default -> {
                    formats.getPrometheusTextFormatWriter().write(out, rest);
                    append(ipvs, out, IpvsExposition.Format.PROMETHEUS_TEXT, include);
                }
            }
            byte[] body = out.toByteArray();
            nextSize = body.length + 1024;
            return new WebEndpointResponse<>(body, format);
        } catch (IOException e) {
            throw new IllegalStateException("Writing metrics failed", e);
        }
    }

    /** Serves {@code collector}'s series from now on (ScrapeBench: a synthetic 1,000 x 10 table on a host without IPVS). */
    void use(@Nullable IpvsMetricsCollector collector) {
        this.ipvs = collector;
    }

    private static void append(IpvsMetricsCollector ipvs, Buffer out, IpvsExposition.Format format, @Nullable Predicate<String> include) {
        IpvsExposition.Text t = ipvs.text(format, include);
        if (t != null) {
            out.write(t.bytes(), 0, t.length());
        }
    }

    @Override
    public void close() {
        IpvsMetricsCollector ipvs = this.ipvs;
        if (ipvs != null) {
            ipvs.close();
        }
    }

    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        /** Removes {@code tail} from the end (the OpenMetrics writer's {@code # EOF}); fails if it is not there. */
        void dropTrailing(byte[] tail) {
            if (count < tail.length || !java.util.Arrays.equals(buf, count - tail.length, count, tail, 0, tail.length)) {
                throw new IllegalStateException("the OpenMetrics writer's output does not end with # EOF");
            }
            count -= tail.length;
        }
    }
}
