package io.lvscp.event;

import io.lvscp.api.ApiException;
import io.lvscp.api.PageResponse;
import io.lvscp.model.ClusterLookup;
import java.time.Instant;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Pages through the event history, newest first. */
@RestController
@RequestMapping("/api/v1/events")
class EventController {

    /** The kinds of event there are; a filter on any other kind is refused, not answered with an empty list. */
    static final java.util.List<String> KINDS = java.util.List.of(EventService.CONFIG_CHANGE, EventService.DATAPLANE,
            EventService.VRRP_TRANSITION, EventService.HEALTH, EventService.ARP_HIJACK,
            EventService.SPLIT_BRAIN, EventService.SWITCHOVER);

    private final EventRepository events;
    private final ClusterLookup clusters;

    private final JsonMapper mapper;

    EventController(EventRepository events, ClusterLookup clusters, JsonMapper mapper) {
        this.events = events;
        this.mapper = mapper;
        this.clusters = clusters;
    }

    record EventResponse(Long id, Instant occurredAt, String kind, Long clusterId, String cluster, String actor, String source,
            String action, String resourceType, Long resourceId, String summary, JsonNode details) {
    }

    private EventResponse toResponse(Event e) {
        JsonNode details = e.getDetails() == null ? null : mapper.readTree(e.getDetails());
        return new EventResponse(e.getId(), e.getOccurredAt(), e.getKind(), e.getClusterId(), e.getClusterName(), e.getActor(),
                e.getSource(), e.getAction(), e.getResourceType(), e.getResourceId(), e.getSummary(), details);
    }

    @GetMapping
    @Transactional(readOnly = true)
    PageResponse<EventResponse> list(@RequestParam(required = false) String cluster, @RequestParam(required = false) String kind,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant since,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant until,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        if (kind != null && !KINDS.contains(kind)) {
            throw ApiException.invalid("kind", "must be one of " + KINDS, kind);
        }
        Long clusterId = cluster == null ? null : clusters.require(cluster).getId();
        if (size < 1 || size > 500) {
            throw ApiException.invalid("size", "must be between 1 and 500", size);
        }
        PageRequest pageable = PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "occurredAt", "id"));
        return PageResponse.of(events.search(clusterId, kind, since, until, pageable), this::toResponse);
    }
}
