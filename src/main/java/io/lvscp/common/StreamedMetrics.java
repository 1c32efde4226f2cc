package io.lvscp.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link StreamedFamilies} {@code /actuator/prometheus} appends, in the order they were added. One per application
 * context (a bean of io.lvscp.dataplane.DataPlaneConfiguration: this package stays free of Spring).
 */
public class StreamedMetrics {

    private final List<StreamedFamilies> sources = new CopyOnWriteArrayList<>();

    public void add(StreamedFamilies source) {
        sources.add(source);
    }

    public void remove(StreamedFamilies source) {
        sources.remove(source);
    }

    /** The sources now (a snapshot). */
    public List<StreamedFamilies> sources() {
        return List.copyOf(sources);
    }
}
