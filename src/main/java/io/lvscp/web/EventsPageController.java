package io.lvscp.web;

import io.lvscp.cluster.ClusterResponse;
import io.lvscp.cluster.ClusterService;
import io.lvscp.event.Event;
import io.lvscp.event.EventRepository;
import io.lvscp.event.EventService;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The event log as a page: who changed what and what the directors did, newest first, 50 a page,
 * filtered by cluster, kind, actor and a time range (UTC). A filter that cannot be read is shown
 * in an error summary (400) next to its input, with what was typed.
 */
@Controller
class EventsPageController {

    static final int PAGE_SIZE = 50;
    static final List<String> KINDS = List.of(EventService.CONFIG_CHANGE, EventService.HEALTH, EventService.VRRP_TRANSITION,
            EventService.DATAPLANE, EventService.ARP_HIJACK, EventService.SPLIT_BRAIN,
            EventService.SWITCHOVER);

    private final EventRepository events;
    private final ClusterService clusters;

    EventsPageController(EventRepository events, ClusterService clusters) {
        this.events = events;
        this.clusters = clusters;
    }

    /** One row of the table. */
    record EventRow(long id, Instant at, String kind, String cluster, String actor, String source, String action, String summary) {
    }

    @GetMapping("/ui/events")
    @Transactional(readOnly = true)
    ModelAndView events(@RequestParam(required = false) String cluster, @RequestParam(required = false) String kind,
            @RequestParam(required = false) String actor, @RequestParam(required = false) String since,
            @RequestParam(required = false) String until, @RequestParam(defaultValue = "1") String page) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String c = blank(cluster);
        String k = blank(kind);
        String a = blank(actor);
        if (k != null && !KINDS.contains(k)) {
            errors.put("kind", List.of("'" + k + "' is not a kind of event: one of " + String.join(", ", KINDS)));
        }
        Instant from = instant("since", since, errors);
        Instant to = instant("until", until, errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.put("until", List.of("must be after 'From'"));
        }
        int number = page != null && page.matches("[0-9]{1,6}") ? Math.max(Integer.parseInt(page), 1) : 1;
        ModelAndView mav = new ModelAndView("ui/events", errors.isEmpty() ? HttpStatus.OK : HttpStatus.BAD_REQUEST);
        List<String> clusterNames = new ArrayList<>(clusters.all().stream().map(ClusterResponse::name).toList());
        if (c != null && !clusterNames.contains(c)) {
            clusterNames.add(c); // a deleted cluster's events stay in the log under its name
        }
        mav.addObject("clusterNames", clusterNames);
        mav.addObject("kinds", KINDS);
        mav.addObject("filter", new Filter(c, k, a, since == null ? "" : since.trim(), until == null ? "" : until.trim()));
        mav.addObject("errors", errors);
        List<FormErrors.SummaryItem> summary = new ArrayList<>();
        errors.forEach((input, reasons) -> reasons.forEach(r -> summary.add(new FormErrors.SummaryItem(input, LABELS.get(input), r))));
        mav.addObject("errorSummary", summary);
        if (!errors.isEmpty()) {
            mav.addObject("rows", List.of());
            mav.addObject("page", new ClusterPagesController.Pagination(1, 1, 0, PAGE_SIZE));
            return mav;
        }
        Specification<Event> spec = (root, query, cb) -> cb.conjunction();
        if (c != null) {
            spec = spec.and((root, query, cb) -> cb.equal(root.get("clusterName"), c));
        }
        if (k != null) {
            spec = spec.and((root, query, cb) -> cb.equal(root.get("kind"), k));
        }
        if (a != null) {
            spec = spec.and((root, query, cb) -> cb.equal(root.get("actor"), a));
        }
        if (from != null) {
            spec = spec.and((root, query, cb) -> cb.greaterThanOrEqualTo(root.get("occurredAt"), from));
        }
        if (to != null) {
            spec = spec.and((root, query, cb) -> cb.lessThan(root.get("occurredAt"), to));
        }
        Sort newestFirst = Sort.by(Sort.Direction.DESC, "occurredAt", "id");
        Page<Event> found = events.findAll(spec, PageRequest.of(number - 1, PAGE_SIZE, newestFirst));
        if (found.isEmpty() && found.getTotalPages() > 0 && number > found.getTotalPages()) {
            number = found.getTotalPages();
            found = events.findAll(spec, PageRequest.of(number - 1, PAGE_SIZE, newestFirst));
        }
        mav.addObject("rows", found.getContent().stream().map(e -> new EventRow(e.getId(), e.getOccurredAt(), e.getKind(), e.getClusterName(),
                e.getActor(), e.getSource(), e.getAction(), e.getSummary())).toList());
        mav.addObject("page", new ClusterPagesController.Pagination(number, Math.max(found.getTotalPages(), 1), found.getTotalElements(),
                PAGE_SIZE));
        return mav;
    }

    static final Map<String, String> LABELS = Map.of("cluster", "Cluster", "kind", "Kind", "actor", "Actor", "since", "From (UTC)",
            "until", "To (UTC)");

    /** The filter as typed, for the form and the pager's links. */
    record Filter(String cluster, String kind, String actor, String since, String until) {
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A time in UTC as a datetime-local input sends it ("2026-12-06T23:40", seconds optional), or an ISO instant. */
    private static Instant instant(String input, String value, Map<String, List<String>> errors) {
        String v = blank(value);
        if (v == null) {
            return null;
        }
        try {
            return v.endsWith("Z") ? Instant.parse(v) : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            errors.put(input, List.of("'" + v + "' is not a time such as 2026-12-06T23:40 (UTC)"));
            return null;
        }
    }
}
