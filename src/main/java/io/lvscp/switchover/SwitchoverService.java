package io.lvscp.switchover;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldError;
import io.lvscp.event.EventService;
import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterLookup;
import io.lvscp.model.Director;
import io.lvscp.model.DirectorRepository;
import io.lvscp.model.VrrpInstance;
import io.lvscp.splitbrain.SplitBrainProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The API node's half of a planned switch-over (issue 16): checks the request, records it, waits for the
 * target's IPVS table to catch up with the master's, hands over through the database and waits (bounded) for
 * the target to report MASTER. The directors' half is {@link SwitchoverAgent}. Synchronous: the answer comes
 * when the switch-over completed or failed; {@code GET .../switchover} shows the newest request meanwhile.
 *
 * <p>The hold: the target keeps running the instance at {@code lvs.switchover.priority} (254) while its row is
 * COMPLETED, so a preempting old master with a higher configured priority does not take it straight back. It
 * ends with {@code DELETE .../switchover} (then preempt decides again, by the configured priorities) or when a
 * newer switch-over of the instance hands over.
 */
@Service
public class SwitchoverService {

    private static final Logger log = LoggerFactory.getLogger(SwitchoverService.class);

    /** The longest wait a request may ask for. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    private final ClusterLookup lookup;
    private final DirectorRepository directors;
    private final SwitchoverStore store;
    private final EventService events;
    private final SwitchoverProperties settings;
    private final Duration staleAfter;
    private final TransactionTemplate tx;
    private final TransactionTemplate readOnly;

    SwitchoverService(ClusterLookup lookup, DirectorRepository directors, SwitchoverStore store, EventService events,
            SwitchoverProperties settings, SplitBrainProperties splitBrain, PlatformTransactionManager transactions) {
        this.lookup = lookup;
        this.directors = directors;
        this.store = store;
        this.events = events;
        this.settings = settings;
        this.staleAfter = splitBrain.staleAfter();
        this.tx = new TransactionTemplate(transactions);
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /** The instance and its directors' configured priorities, by node name. */
    record Target(long clusterId, String clusterName, long instanceId, String instance, Map<String, Integer> priorities) {
    }

    private Target target(String clusterRef, String instanceRef) {
        return readOnly.execute(s -> {
            Cluster c = lookup.require(clusterRef);
            VrrpInstance i = lookup.instance(c, instanceRef);
            Map<String, Integer> priorities = new LinkedHashMap<>();
            for (VrrpInstance.Priority p : i.getPriorities()) {
                directors.findById(p.getDirectorId()).ifPresent(d -> priorities.put(d.getNodeName(), p.getPriority()));
            }
            return new Target(c.getId(), c.getName(), i.getId(), i.getName(), priorities);
        });
    }

    /** The newest switch-over of the instance. */
    public SwitchoverResponse latest(String clusterRef, String instanceRef) {
        Target t = target(clusterRef, instanceRef);
        SwitchoverRow row = store.latest(t.instanceId()).orElseThrow(() -> ApiException.notFound("switch-over of VRRP instance '"
                + t.instance() + "'", "none was requested"));
        return SwitchoverResponse.of(t.clusterName(), row);
    }

    /** Ends the hold of the instance's completed switch-over: its new master goes back to its configured priority. */
    public SwitchoverResponse clear(String clusterRef, String instanceRef) {
        Target t = target(clusterRef, instanceRef);
        SwitchoverRow done = tx.execute(s -> {
            store.lockInstance(t.instanceId());
            List<SwitchoverRow> active = store.active(t.instanceId());
            for (SwitchoverRow r : active) {
                if (r.status() != SwitchoverRow.Status.COMPLETED) {
                    throw ApiException.conflict("instance", "a switch-over to " + r.targetNode() + " is " + r.status()
                            + " (request " + r.id() + "); wait for its answer", t.instance());
                }
            }
            SwitchoverRow held = active.stream().filter(r -> r.status() == SwitchoverRow.Status.COMPLETED).findFirst()
                    .orElseThrow(() -> ApiException.notFound("held switch-over of VRRP instance '" + t.instance() + "'",
                            "no completed switch-over holds it"));
            store.end(held.id(), SwitchoverRow.Status.COMPLETED, SwitchoverRow.Status.CLEARED,
                    "hold cleared by " + EventService.actor() + "; preempt decides by the configured priorities again");
            return store.find(held.id()).orElseThrow();
        });
        record(t, done, "CLEARED", "Switch-over hold of " + t.instance() + " on " + done.targetNode() + " cleared by "
                + EventService.actor() + ": it runs at its configured priority " + t.priorities().get(done.targetNode()) + " again");
        return SwitchoverResponse.of(t.clusterName(), done);
    }

    /** Moves mastership of the instance to {@code request.director()}; answers when it completed or failed. */
    public SwitchoverResponse switchover(String clusterRef, String instanceRef, SwitchoverRequest request) {
        Target t = target(clusterRef, instanceRef);
        String targetNode = checkRequest(t, request);
        Duration catchUpTimeout = request.timeoutSeconds() == null ? settings.catchUpTimeout() : Duration.ofSeconds(request.timeoutSeconds());
        List<String> nodes = List.copyOf(t.priorities().keySet());

        SwitchoverStore.View v = store.view(t.instance(), nodes);
        String master = checkState(t, targetNode, v);
        long masterCount = v.nodes().get(master).connections();
        long targetCount = v.nodes().get(targetNode).connections();
        String actor = EventService.actor();
        long id = tx.execute(s -> {
            store.lockInstance(t.instanceId());
            for (SwitchoverRow r : store.active(t.instanceId())) {
                if (r.status() != SwitchoverRow.Status.COMPLETED) {
                    throw ApiException.conflict("instance", "a switch-over to " + r.targetNode() + " is already " + r.status()
                            + " (request " + r.id() + ")", t.instance());
                }
            }
            return store.insert(t.instanceId(), t.instance(), master, targetNode, settings.priority(), actor, masterCount, targetCount);
        });
        log.info("Switch-over {} of {}: {} -> {} requested by {} (master {} connections, target {})", id, t.instance(), master, targetNode,
                actor, masterCount, targetCount);
        try {
            return run(t, id, master, targetNode, catchUpTimeout, nodes);
        } catch (RuntimeException e) {
            // anything unexpected: the row must not stay CATCHING_UP or HANDING_OVER (it would block the next request)
            SwitchoverRow row = store.find(id).orElse(null);
            if (row != null && (row.status() == SwitchoverRow.Status.CATCHING_UP || row.status() == SwitchoverRow.Status.HANDING_OVER)) {
                store.end(id, row.status(), SwitchoverRow.Status.FAILED, "failed: " + e.getMessage());
            }
            throw e;
        }
    }

    private SwitchoverResponse run(Target t, long id, String master, String targetNode, Duration catchUpTimeout, List<String> nodes) {
        // 1. catching up
        Instant until = Instant.now().plus(catchUpTimeout);
        long masterCount;
        long targetCount;
        while (true) {
            SwitchoverStore.View v = store.view(t.instance(), nodes);
            String problem = stillValid(v, master, targetNode);
            if (problem != null) {
                throw fail(t, id, SwitchoverRow.Status.CATCHING_UP, HttpStatus.CONFLICT, "switchover-aborted", problem, null, null);
            }
            masterCount = v.nodes().get(master).connections();
            targetCount = v.nodes().get(targetNode).connections();
            store.counts(id, masterCount, targetCount);
            if (CatchUp.caughtUp(masterCount, targetCount, settings.margin())) {
                break;
            }
            if (!Instant.now().isBefore(until)) {
                throw fail(t, id, SwitchoverRow.Status.CATCHING_UP, HttpStatus.GATEWAY_TIMEOUT, "switchover-not-caught-up",
                        targetNode + " did not catch up with " + master + " in " + catchUpTimeout.toSeconds() + " s: master " + masterCount
                                + " connections, target " + targetCount + " (margin " + settings.margin() + ")", masterCount, targetCount);
            }
            sleep();
        }
        // 2. hand over: the target raises its priority and says so; then the old master releases once
        long m = masterCount;
        long tc = targetCount;
        boolean started = Boolean.TRUE.equals(tx.execute(s -> {
            store.lockInstance(t.instanceId());
            store.supersede(t.instanceId(), id);
            return store.handOver(id, m, tc);
        }));
        if (!started) {
            throw new IllegalStateException("switch-over " + id + " was no longer catching up");
        }
        Instant handOverAt = store.find(id).orElseThrow().handOverAt();
        Instant handOverUntil = Instant.now().plus(settings.handOverTimeout());
        while (true) {
            SwitchoverStore.View v = store.view(t.instance(), nodes);
            SwitchoverStore.NodeView tv = v.nodes().get(targetNode);
            SwitchoverStore.NodeView mv = v.nodes().get(master);
            boolean targetMaster = "MASTER".equals(tv.state()) && tv.reportedAt() != null && !tv.reportedAt().isBefore(handOverAt);
            boolean oldGone = !"MASTER".equals(mv.state()) || !fresh(v.databaseNow(), mv.reportedAt());
            if (targetMaster && oldGone) {
                break;
            }
            if (!Instant.now().isBefore(handOverUntil)) {
                SwitchoverRow row = store.find(id).orElseThrow();
                String why = row.targetReadyAt() == null ? targetNode + " did not take the raised priority (is its switch-over agent running?)"
                        : row.releasedAt() == null ? master + " did not release (is it still master? is its switch-over agent running?)"
                        : targetNode + " reports " + tv.state() + ", " + master + " reports " + mv.state();
                throw fail(t, id, SwitchoverRow.Status.HANDING_OVER, HttpStatus.GATEWAY_TIMEOUT, "switchover-not-completed",
                        "the hand-over did not complete in " + settings.handOverTimeout().toSeconds() + " s: " + why, m, tc);
            }
            sleep();
        }
        long atRisk = CatchUp.atRisk(m, tc);
        store.end(id, SwitchoverRow.Status.HANDING_OVER, SwitchoverRow.Status.COMPLETED, targetNode + " is master; it runs at priority "
                + settings.priority() + " until the hold is cleared (DELETE .../switchover) or a newer switch-over");
        SwitchoverRow done = store.find(id).orElseThrow();
        record(t, done, "COMPLETED", "Switch-over of " + t.instance() + " from " + master + " to " + targetNode + " by " + done.requestedBy()
                + ": completed, " + atRisk + " connection(s) at risk (master " + m + ", target " + tc + ")");
        return SwitchoverResponse.of(t.clusterName(), done);
    }

    private ApiException fail(Target t, long id, SwitchoverRow.Status from, HttpStatus status, String type, String why, Long master,
            Long target) {
        store.end(id, from, SwitchoverRow.Status.FAILED, why);
        SwitchoverRow row = store.find(id).orElseThrow();
        record(t, row, "FAILED", "Switch-over of " + t.instance() + " from " + row.fromNode() + " to " + row.targetNode() + " by "
                + row.requestedBy() + " failed: " + why);
        List<FieldError> errors = new ArrayList<>();
        errors.add(new FieldError("director", why, row.targetNode()));
        if (master != null) {
            errors.add(new FieldError("masterConnections", "connection entries in the master's (" + row.fromNode() + ") IPVS table", master));
            errors.add(new FieldError("targetConnections", "connection entries in the target's (" + row.targetNode() + ") IPVS table", target));
        }
        log.warn("Switch-over {} of {} failed: {}", id, t.instance(), why);
        return new ApiException(status, type, status == HttpStatus.GATEWAY_TIMEOUT ? "Switch-over timed out" : "Switch-over aborted",
                why + " (switch-over " + id + ")", errors);
    }

    private void record(Target t, SwitchoverRow row, String outcome, String summary) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("switchover", row.id());
        details.put("instance", t.instance());
        details.put("from", row.fromNode());
        details.put("to", row.targetNode());
        details.put("requestedBy", row.requestedBy());
        details.put("outcome", outcome);
        if (row.masterConnections() != null) {
            details.put("masterConnections", row.masterConnections());
            details.put("targetConnections", row.targetConnections());
            details.put("connectionsAtRisk", row.atRisk());
        }
        if (row.detail() != null) {
            details.put("detail", row.detail());
        }
        events.record(EventService.SWITCHOVER, t.clusterId(), t.clusterName(), outcome, "VRRP_INSTANCE", t.instanceId(), summary, details);
    }

    /** The body: the target named, a director of the instance's cluster that runs it; a sane timeout. */
    private String checkRequest(Target t, SwitchoverRequest request) {
        if (request == null || request.director() == null || request.director().isBlank()) {
            throw ApiException.invalid("director", "is required: the node name (or id) of the director to become master", null);
        }
        if (request.timeoutSeconds() != null && (request.timeoutSeconds() < 1 || request.timeoutSeconds() > MAX_TIMEOUT.toSeconds())) {
            throw ApiException.invalid("timeoutSeconds", "must be 1-" + MAX_TIMEOUT.toSeconds(), request.timeoutSeconds());
        }
        String ref = request.director();
        Optional<Director> d = ClusterLookup.isId(ref) ? directors.findById(Long.parseLong(ref)) : directors.findByNodeName(ref);
        if (d.isEmpty()) {
            throw ApiException.invalid("director", "no director has this node name or id", ref);
        }
        String node = d.get().getNodeName();
        Long cluster = readOnly.execute(s -> directors.findById(d.get().getId()).orElseThrow().getCluster().getId());
        if (cluster == null || cluster != t.clusterId()) {
            throw ApiException.invalid("director", "is not a director of cluster '" + t.clusterName() + "'", ref);
        }
        if (!t.priorities().containsKey(node)) {
            throw ApiException.invalid("director", "does not run VRRP instance '" + t.instance() + "' (it has no priority in it)", ref);
        }
        return node;
    }

    /** The state now: one master, not the target, not the address owner; the target a fresh backup; both counting connections. */
    private String checkState(Target t, String targetNode, SwitchoverStore.View v) {
        SwitchoverStore.NodeView tv = v.nodes().get(targetNode);
        if (!fresh(v.databaseNow(), tv.lastSeen())) {
            throw ApiException.conflict("director", "is offline: " + (tv.lastSeen() == null ? "no heartbeat"
                    : "last heartbeat " + Duration.between(tv.lastSeen(), v.databaseNow()).toMillis() + " ms ago"), targetNode);
        }
        if (tv.state() == null || !fresh(v.databaseNow(), tv.reportedAt())) {
            throw ApiException.conflict("director", "does not report VRRP instance '" + t.instance() + "' (not running it)", targetNode);
        }
        if ("MASTER".equals(tv.state())) {
            throw ApiException.conflict("director", "is already master of '" + t.instance() + "'", targetNode);
        }
        if (!"BACKUP".equals(tv.state())) {
            throw ApiException.conflict("director", "is " + tv.state() + ", not BACKUP, for '" + t.instance() + "'", targetNode);
        }
        List<String> masters = new ArrayList<>();
        v.nodes().forEach((n, nv) -> {
            if ("MASTER".equals(nv.state()) && fresh(v.databaseNow(), nv.reportedAt())) {
                masters.add(n);
            }
        });
        if (masters.isEmpty()) {
            throw ApiException.conflict("instance", "no director reports being master of it now", t.instance());
        }
        if (masters.size() > 1) {
            throw ApiException.conflict("instance", "has " + masters.size() + " masters " + masters + " (split brain): resolve that first",
                    t.instance());
        }
        String master = masters.get(0);
        if (t.priorities().getOrDefault(master, 0) >= 255) {
            throw ApiException.conflict("instance", "its master " + master + " is the address owner (priority 255), which always takes it back",
                    t.instance());
        }
        for (Map.Entry<String, Integer> p : t.priorities().entrySet()) {
            if (!p.getKey().equals(targetNode) && p.getValue() >= settings.priority()) {
                throw ApiException.conflict("instance", "director " + p.getKey() + " is configured at priority " + p.getValue()
                        + ", not below the switch-over's " + settings.priority() + " (lvs.switchover.priority)", t.instance());
            }
        }
        if (tv.connections() == null || !fresh(v.databaseNow(), tv.connectionsAt())) {
            throw ApiException.conflict("director", "reports no IPVS connection count (dry-run, or not counting)", targetNode);
        }
        SwitchoverStore.NodeView mv = v.nodes().get(master);
        if (mv.connections() == null || !fresh(v.databaseNow(), mv.connectionsAt())) {
            throw ApiException.conflict("instance", "its master " + master + " reports no IPVS connection count (dry-run, or not counting)",
                    t.instance());
        }
        return master;
    }

    /** Null while the request can go on; else why not. */
    private String stillValid(SwitchoverStore.View v, String master, String targetNode) {
        SwitchoverStore.NodeView tv = v.nodes().get(targetNode);
        SwitchoverStore.NodeView mv = v.nodes().get(master);
        if (!"MASTER".equals(mv.state()) || !fresh(v.databaseNow(), mv.reportedAt())) {
            return master + " is no longer master (" + mv.state() + ")";
        }
        if (!"BACKUP".equals(tv.state()) || !fresh(v.databaseNow(), tv.reportedAt()) || !fresh(v.databaseNow(), tv.lastSeen())) {
            return targetNode + " is no longer a live backup (" + tv.state() + ")";
        }
        if (mv.connections() == null || tv.connections() == null || !fresh(v.databaseNow(), mv.connectionsAt())
                || !fresh(v.databaseNow(), tv.connectionsAt())) {
            return "the connection counts stopped being reported";
        }
        return null;
    }

    private boolean fresh(Instant now, Instant at) {
        return at != null && Duration.between(at, now).compareTo(staleAfter) <= 0;
    }

    private void sleep() {
        try {
            Thread.sleep(settings.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the switch-over", e);
        }
    }
}
