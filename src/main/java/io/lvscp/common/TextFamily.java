package io.lvscp.common;

import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One gauge or counter family of a {@link StreamedFamilies}: its {@code # HELP}/{@code # TYPE} lines in both text
 * formats, encoded once, as the Prometheus client's writers write them for a Micrometer meter of the same name
 * and description (Prometheus text: {@code name_total} in HELP and TYPE of a counter; OpenMetrics: TYPE then HELP
 * on the name without {@code _total}, quotes escaped in HELP), and its series' name.
 */
public final class TextFamily {

    private final String name;
    private final String help;
    private final boolean counter;
    private final byte[] sample;
    private final byte[] prometheusHeader;
    private final byte[] openMetricsHeader;

    private TextFamily(String name, String help, boolean counter) {
        this.name = name;
        this.help = help;
        this.counter = counter;
        String sampleName = counter ? name + "_total" : name;
        String type = counter ? "counter" : "gauge";
        this.sample = sampleName.getBytes(StandardCharsets.US_ASCII);
        this.prometheusHeader = utf8("# HELP " + sampleName + " " + escapeHelp(help, false) + "\n# TYPE " + sampleName + " " + type + "\n");
        this.openMetricsHeader = utf8("# TYPE " + name + " " + type + "\n# HELP " + name + " " + escapeHelp(help, true) + "\n");
    }

    /** A gauge named {@code name} (Prometheus name, e.g. {@code lvs_realserver_up}). */
    public static TextFamily gauge(String name, String help) {
        return new TextFamily(name, help, false);
    }

    /** A counter named {@code name} without {@code _total}; its series are {@code name_total}. */
    public static TextFamily counter(String name, String help) {
        return new TextFamily(name, help, true);
    }

    /** The Prometheus name (a counter's without {@code _total}). */
    public String name() {
        return name;
    }

    public MetricMetadata metadata() {
        return new MetricMetadata(name, help);
    }

    /**
     * Whether a scrape's {@code name[]} filter takes this family: by the name without {@code _total}, as the
     * registry filters a Micrometer counter's family.
     */
    public boolean accepts(@Nullable Predicate<String> include) {
        return include == null || include.test(name);
    }

    /** Writes the HELP and TYPE lines. */
    public void header(StreamedFamilies.Format format, ExpositionBuffer out) {
        out.put(format == StreamedFamilies.Format.OPENMETRICS ? openMetricsHeader : prometheusHeader);
    }

    /** Writes one series: {@code labels} as {@link #block} encoded them. */
    public void sample(ExpositionBuffer out, byte[] labels, double value) {
        out.sample(sample, labels, value);
    }

    /** {@code {name="value",...}} as both text writers encode a label set (values escaped: backslash, quote, newline). */
    public static byte[] block(Labels labels) {
        StringBuilder s = new StringBuilder(128).append('{');
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(labels.getPrometheusName(i)).append("=\"");
            String v = labels.getValue(i);
            for (int j = 0; j < v.length(); j++) {
                char ch = v.charAt(j);
                switch (ch) {
                    case '\\' -> s.append("\\\\");
                    case '"' -> s.append("\\\"");
                    case '\n' -> s.append("\\n");
                    default -> s.append(ch);
                }
            }
            s.append('"');
        }
        return utf8(s.append('}').toString());
    }

    /** A HELP text as the client's writers escape it: backslash and newline; the quote too in OpenMetrics. */
    public static String escapeHelp(String help, boolean openMetrics) {
        StringBuilder s = new StringBuilder(help.length());
        for (char ch : help.toCharArray()) {
            switch (ch) {
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '"' -> s.append(openMetrics ? "\\\"" : "\"");
                default -> s.append(ch);
            }
        }
        return s.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
