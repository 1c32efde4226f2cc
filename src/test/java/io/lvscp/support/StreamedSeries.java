package io.lvscp.support;

import io.lvscp.common.ExpositionBuffer;
import io.lvscp.common.StreamedFamilies;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** What a {@link StreamedFamilies} writes now, read back from its Prometheus text as a scrape would see it. */
public final class StreamedSeries {

    private StreamedSeries() {
    }

    /** Its whole Prometheus text (0.0.4). */
    public static String text(StreamedFamilies source) {
        ExpositionBuffer out = new ExpositionBuffer(1024);
        source.write(StreamedFamilies.Format.PROMETHEUS_TEXT, null, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The sample lines of series {@code name} (e.g. {@code lvs_realserver_flaps_total}). */
    public static List<String> samples(StreamedFamilies source, String name) {
        return text(source).lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " ")).toList();
    }

    /** The value of the one series {@code name} whose labels contain every {@code label="value"} given; fails unless exactly one. */
    public static double value(StreamedFamilies source, String name, String... labels) {
        List<String> found = samples(source, name).stream().filter(l -> Arrays.stream(labels).allMatch(l::contains)).toList();
        if (found.size() != 1) {
            throw new AssertionError("not one " + name + " with " + Arrays.toString(labels) + ": " + found);
        }
        String l = found.get(0);
        return Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
    }
}
