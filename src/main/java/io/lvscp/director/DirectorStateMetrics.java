package io.lvscp.director;

import io.lvscp.LvsProperties;
import io.lvscp.common.SteadyMultiGauge;
import io.lvscp.database.DatabaseStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every director as this node reads the database ({@link NodeListing}, as {@code GET /api/v1/nodes}),
 * every 5 s: {@code lvs_director_offline{cluster, director, node}} 1 while a director's heartbeat is
 * older than lvs.directors.offline-after or it never sent one, {@code lvs_director_behind} 1 while
 * its heartbeat is fresh but it applied an older configuration generation. {@code node} is this node
 * (the observer): a director that is down cannot report itself, so the alert reads another's view.
 * Nothing is refreshed while the database cannot be read (the series keep their last values).
 */
@Component
class DirectorStateMetrics {

    private static final Logger log = LoggerFactory.getLogger(DirectorStateMetrics.class);

    private final String node;
    private final NodeListing listing;
    private final DatabaseStatus database;
    private final SteadyMultiGauge offline;
    private final SteadyMultiGauge behind;

    DirectorStateMetrics(LvsProperties props, NodeListing listing, DatabaseStatus database, MeterRegistry meters) {
        this.node = props.nodeName();
        this.listing = listing;
        this.database = database;
        this.offline = new SteadyMultiGauge("lvs.director.offline",
                "1 while the director's heartbeat is older than lvs.directors.offline-after (or it never sent one), as this node reads it", meters);
        this.behind = new SteadyMultiGauge("lvs.director.behind",
                "1 while the director is online but applied an older configuration generation, as this node reads it", meters);
    }

    @Scheduled(fixedDelay = 5_000, initialDelay = 1_000)
    void refresh() {
        if (!database.ready()) {
            return;
        }
        try {
            Map<Tags, Integer> off = new LinkedHashMap<>();
            Map<Tags, Integer> late = new LinkedHashMap<>();
            for (NodeListing.NodeView v : listing.list(null).nodes()) {
                if (v.cluster() == null) {
                    continue; // a process no Director record names (an API node): not a director
                }
                Tags tags = Tags.of("cluster", v.cluster(), "director", v.nodeName(), "node", node);
                off.put(tags, v.offline() ? 1 : 0);
                late.put(tags, !v.offline() && v.stale() ? 1 : 0);
            }
            offline.set(off);
            behind.set(late);
        } catch (RuntimeException e) {
            log.debug("Cannot read the directors' states: {}", e.toString());
        }
    }
}
