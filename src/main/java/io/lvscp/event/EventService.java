package io.lvscp.event;

import io.lvscp.LvsProperties;
import io.lvscp.database.DatabaseStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends events, in the transaction of the change they describe.
 *
 * <p>Events the system records on its own ({@link #record}: VRRP transitions, health flips, data plane
 * steps) never wait for the database: while it is unreachable they are kept in a bounded in-memory
 * buffer ({@code lvs.directors.event-buffer}, oldest dropped and counted in
 * {@code lvs_events_dropped_total}) and written, with their original times, when it returns
 * ({@link #flushBuffered}). A restart during the outage loses the buffer.
 */
@Service
public class EventService {

    private static final Logger log = LoggerFactory.getLogger(EventService.class);

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
    /** Two directors masters of one VRRP instance, seen through the database (action DETECTED), or no longer (CLEARED). */
    public static final String SPLIT_BRAIN = "SPLIT_BRAIN";
    /** A planned switch-over of a VRRP instance to a named director: COMPLETED, FAILED or CLEARED (issue 16). */
    public static final String SWITCHOVER = "SWITCHOVER";

    /** Published for every event recorded; listeners that act outside the database use the after-commit phase. */
    public record Recorded(Event event) {
    }

    private final EventRepository events;
    private final JsonMapper mapper;
    private final Clock clock;
    private final ApplicationEventPublisher publisher;
    private final DatabaseStatus database;
    private final TransactionTemplate tx;
    private final int capacity;
    private final Deque<Event> buffered = new ArrayDeque<>();
    private final Counter dropped;

    EventService(EventRepository events, JsonMapper mapper, Clock clock, ApplicationEventPublisher publisher, DatabaseStatus database,
            PlatformTransactionManager transactions, LvsProperties props, MeterRegistry meters) {
        this.events = events;
        this.mapper = mapper;
        this.clock = clock;
        this.publisher = publisher;
        this.database = database;
        this.tx = new TransactionTemplate(transactions);
        this.capacity = props.directors().eventBuffer();
        this.dropped = Counter.builder("lvs.events.dropped").description("Events lost because the database was down and the buffer full")
                .tag("node", props.nodeName()).register(meters);
        Gauge.builder("lvs.events.buffered", this, EventService::bufferedCount)
                .description("Events waiting in memory for the database to return").tag("node", props.nodeName()).register(meters);
    }

    /** How many events wait for the database. */
    public synchronized int bufferedCount() {
        return buffered.size();
    }

    /** How many events were dropped (buffer full) since start. */
    public long droppedCount() {
        return (long) dropped.count();
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
     * if there is one, else in its own. The actor is "system" outside a request. While the
     * database is unreachable the event is buffered (see the class comment) and null returned.
     *
     * @param details a small map rendered as JSON, or null
     */
    public Event record(String kind, Long clusterId, String clusterName, String action, String resourceType, Long resourceId,
            String summary, Map<String, ?> details) {
        String json = details == null || details.isEmpty() ? null : mapper.writeValueAsString(details);
        Event e = new Event(clock.instant(), kind, clusterId, clusterName, actor(), source(), action, resourceType, resourceId, summary,
                json);
        if (!database.ready()) {
            buffer(e);
            return null;
        }
        try {
            return tx.execute(status -> saved(e));
        } catch (RuntimeException failure) {
            if (!DatabaseStatus.isConnectionFailure(failure)) {
                throw failure;
            }
            database.unreachable(failure);
            buffer(e);
            return null;
        }
    }

    private synchronized void buffer(Event e) {
        if (capacity == 0) {
            dropped.increment();
            return;
        }
        if (buffered.size() >= capacity) {
            buffered.removeFirst();
            dropped.increment();
        }
        buffered.addLast(e);
    }

    /** Writes the events buffered during an outage, oldest first; stops (keeping the rest) at the first failure. */
    public void flushBuffered() {
        int written = 0;
        while (database.ready()) {
            Event next;
            synchronized (this) {
                next = buffered.peekFirst();
            }
            if (next == null) {
                break;
            }
            try {
                tx.execute(status -> saved(next));
            } catch (RuntimeException failure) {
                if (DatabaseStatus.isConnectionFailure(failure)) {
                    database.unreachable(failure);
                    break;
                }
                log.warn("Dropping a buffered event that cannot be written ({}): {}", failure.toString(), next.getSummary());
                dropped.increment();
            }
            synchronized (this) {
                if (buffered.peekFirst() == next) {
                    buffered.removeFirst();
                }
            }
            written++;
        }
        if (written > 0) {
            log.info("Wrote {} event(s) buffered while the database was unreachable", written);
        }
    }

    /**
     * Who is acting: the authenticated user ("alice", or "alice (token ci-deploy)" for an API
     * token), else "anonymous" for requests, "system" otherwise.
     */
    public static String actor() {
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
