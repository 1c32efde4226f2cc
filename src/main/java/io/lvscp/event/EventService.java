package io.lvscp.event;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/** Appends events, in the transaction of the change they describe. */
@Service
public class EventService {

    /** Kinds of event. */
    public static final String CONFIG_CHANGE = "CONFIG_CHANGE";
    /** What a node's data plane did or was refused (kernel IPVS writes, drift repairs). */
    public static final String DATAPLANE = "DATAPLANE";
    /** A VRRP instance changed state on a node. */
    public static final String VRRP_TRANSITION = "VRRP_TRANSITION";
    /** A real server's health check result flipped (up/down). */
    public static final String HEALTH = "HEALTH";
    /** A host other than the VIP's master answered ARP for the VIP (action DETECTED), or stopped doing so (CLEARED). */
    public static final String ARP_HIJACK = "ARP_HIJACK";

    /** Published for every event recorded; listeners that act outside the database use the after-commit phase. */
    public record Recorded(Event event) {
    }

    private final EventRepository events;
    private final JsonMapper mapper;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;

    EventService(EventRepository events, JsonMapper mapper, Clock clock, ApplicationEventPublisher publisher) {
        this.events = events;
        this.mapper = mapper;
        this.clock = clock;
        this.publisher = publisher;
    }

    private Event saved(Event e) {
        Event saved = events.save(e);
        publisher.publishEvent(new Recorded(saved));
        return saved;
    }

    /**
     * Records a configuration change with who made it, from where, and the resource
     * before and after (as API representations, which never hold secrets).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Event configChange(Long clusterId, String clusterName, String action, String resourceType, Long resourceId,
            String summary, Object before, Object after) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (before != null) {
            details.put("before", before);
        }
        if (after != null) {
            details.put("after", after);
        }
        String json = details.isEmpty() ? null : mapper.writeValueAsString(details);
        return saved(new Event(clock.instant(), CONFIG_CHANGE, clusterId, clusterName, actor(), source(), action, resourceType,
                resourceId, summary, json));
    }

    /**
     * Records something the system observed or did on its own (not a request's change):
     * data plane steps, VRRP transitions, health flips. Runs in the caller's transaction
     * if there is one, else in its own. The actor is "system" outside a request.
     *
     * @param details a small map rendered as JSON, or null
     */
    @Transactional
    public Event record(String kind, Long clusterId, String clusterName, String action, String resourceType, Long resourceId,
            String summary, Map<String, ?> details) {
        String json = details == null || details.isEmpty() ? null : mapper.writeValueAsString(details);
        return saved(new Event(clock.instant(), kind, clusterId, clusterName, actor(), source(), action, resourceType, resourceId,
                summary, json));
    }

    /**
     * Who is acting: the authenticated user ("alice", or "alice (token ci-deploy)" for an API
     * token), else "anonymous" for requests, "system" otherwise.
     */
    static String actor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken)) {
            return auth.getName();
        }
        HttpServletRequest request = currentRequest();
        if (request == null) {
            return "system";
        }
        String user = request.getRemoteUser();
        return user != null ? user : "anonymous";
    }

    static String source() {
        HttpServletRequest request = currentRequest();
        return request == null ? null : request.getRemoteAddr();
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs ? attrs.getRequest() : null;
    }
}
