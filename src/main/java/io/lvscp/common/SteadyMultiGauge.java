package io.lvscp.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A set of gauges, one per tag set, replaced as a whole on each {@link #set}: rows already there keep their meter
 * and only their value changes, new rows are registered, gone rows removed. {@code MultiGauge.register(rows, true)}
 * instead removes and re-registers every row on each call, and a scrape running at that moment can read the same
 * row twice (the old meter and its replacement) and fail with a duplicate-labels error (a 500 of
 * {@code /actuator/prometheus}; seen with 1,000 virtual servers re-planned under load).
 */
public final class SteadyMultiGauge {

    private final MultiGauge gauge;
    private Map<Tags, AtomicInteger> values = Map.of();

    public SteadyMultiGauge(String name, String description, MeterRegistry meters) {
        this.gauge = MultiGauge.builder(name).description(description).register(meters);
    }

    /** The rows from now on, each tag set with its value. */
    public synchronized void set(Map<Tags, Integer> rows) {
        Map<Tags, AtomicInteger> next = new HashMap<>();
        List<MultiGauge.Row<?>> registered = new ArrayList<>(rows.size());
        rows.forEach((tags, value) -> {
            AtomicInteger holder = values.getOrDefault(tags, new AtomicInteger());
            holder.set(value);
            next.put(tags, holder);
            registered.add(MultiGauge.Row.of(tags, holder, AtomicInteger::get));
        });
        values = next;
        gauge.register(registered, false);
    }
}
