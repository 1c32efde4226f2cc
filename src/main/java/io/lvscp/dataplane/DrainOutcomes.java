package io.lvscp.dataplane;

import io.lvscp.event.EventService;
import io.lvscp.ipvs.DrainProgress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this node's drains ended: for each draining real server its data plane removed, a
 * {@code DATAPLANE} event, {@code DRAINED} (nothing was left) or {@code DRAIN_TIMED_OUT} (with what
 * was left, cut), and {@code lvs_drains_total{node, outcome="drained"|"timed_out"}}.
 */
final class DrainOutcomes {

    private static final Logger log = LoggerFactory.getLogger(DrainOutcomes.class);

    private final String node;
    private final EventService events;
    private final Counter drained;
    private final Counter timedOut;

    DrainOutcomes(String node, EventService events, MeterRegistry meters) {
        this.node = node;
        this.events = events;
        this.drained = Counter.builder("lvs.drains").description("Drains that ended, by outcome: drained (nothing left) or timed out")
                .tag("node", node).tag("outcome", "drained").register(meters);
        this.timedOut = Counter.builder("lvs.drains").description("Drains that ended, by outcome: drained (nothing left) or timed out")
                .tag("node", node).tag("outcome", "timed_out").register(meters);
    }

    void record(String cluster, List<DrainProgress.Finished> finished) {
        for (DrainProgress.Finished f : finished) {
            DrainProgress p = f.progress();
            boolean timed = p.phase() == DrainProgress.Phase.TIMED_OUT;
            (timed ? timedOut : drained).increment();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("virtualServer", f.service());
            details.put("realServer", f.realServer());
            details.put("left", p.left());
            details.put("active", p.active());
            details.put("inactive", p.inactive());
            details.put("persistent", p.persistent());
            if (p.deadline() != null) {
                details.put("deadline", p.deadline().toString());
            }
            String summary = "node " + node + ": " + f.realServer() + " of " + f.service() + (timed
                    ? " drain timed out with " + p.left() + " left (" + p.active() + " active, " + p.inactive() + " inactive, " + p.persistent()
                            + " persistence templates): removed"
                    : " drained: out of IPVS");
            if (timed) {
                log.warn(summary);
            } else {
                log.info(summary);
            }
            try {
                events.record(EventService.DATAPLANE, null, cluster, timed ? "DRAIN_TIMED_OUT" : "DRAINED", "real_server", null, summary, details);
            } catch (RuntimeException e) {
                log.warn("Cannot record the drain event '{}': {}", summary, e.toString());
            }
        }
    }
}
