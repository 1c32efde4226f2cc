package io.lvscp.common;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/** The {@link StreamedFamilies} {@code /actuator/prometheus} appends, in the order they were added. */
@Component
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
