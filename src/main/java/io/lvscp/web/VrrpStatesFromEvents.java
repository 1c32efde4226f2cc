package io.lvscp.web;

import io.lvscp.event.Event;
import io.lvscp.event.EventRepository;
import io.lvscp.event.EventService;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every director records each VRRP transition of its instances as an event in the shared database;
 * the last one per director and instance is that director's state as far as this node can know it
 * (this node's own state is read live from its engine instead).
 */
@Component
class VrrpStatesFromEvents {

    /** How many recent transitions of a cluster are read to find each director's last one. */
    static final int SCAN = 500;

    /** A director's last recorded transition of an instance: the state it went to, and when. */
    record Recorded(String state, Instant at) {
    }

    /** What the page shows: {@code how} is "live" (this node), "event" (last recorded transition) or "offline". */
    record DirectorState(String node, String state, String how, Instant since) {

        /** "12:00:01", in UTC. */
        public String sinceText() {
            return since == null ? null : ClusterPagesController.hms(since);
        }
    }

    private final EventRepository events;
    private final JsonMapper mapper;

    VrrpStatesFromEvents(EventRepository events, JsonMapper mapper) {
        this.events = events;
        this.mapper = mapper;
    }

    /** By "node|instance": the newest transition among the cluster's last {@value #SCAN}. */
    @Transactional(readOnly = true)
    Map<String, Recorded> latest(long clusterId) {
        Map<String, Recorded> out = new HashMap<>();
        for (Event e : events.search(clusterId, EventService.VRRP_TRANSITION, null, null,
                PageRequest.of(0, SCAN, Sort.by(Sort.Direction.DESC, "occurredAt", "id")))) {
            if (e.getDetails() == null) {
                continue;
            }
            try {
                JsonNode d = mapper.readTree(e.getDetails());
                String key = d.path("node").asString() + "|" + d.path("instance").asString();
                out.putIfAbsent(key, new Recorded(d.path("to").asString(), e.getOccurredAt()));
            } catch (RuntimeException ignored) {
                // not a transition's details: skipped
            }
        }
        return out;
    }
}
