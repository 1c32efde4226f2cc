package io.lvscp.realserver;

import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterLookup;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.RealServer;
import io.lvscp.model.RealServerRepository;
import io.lvscp.model.VirtualServer;
import io.lvscp.LvsProperties;
import io.lvscp.api.ApiException;
import io.lvscp.api.FieldErrors;
import io.lvscp.api.MergePatch;
import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
import io.lvscp.realserver.RealServerRequest.HealthCheck;
import io.lvscp.model.HealthCheckSettings;
import io.lvscp.common.Addresses;
import io.lvscp.database.DrainProgressStore;
import io.lvscp.common.RealServerState;
import io.lvscp.common.WireNamed;
import io.lvscp.event.EventService;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional
public class RealServerService {

    private final RealServerRepository realServers;
    private final ClusterLookup lookup;
    private final EventService events;
    private final ConfigGeneration generation;
    private final MergePatch mergePatch;
    private final ObjectProvider<RealServerHealthSource> health;
    private final boolean commandsMustExist;
    private final DrainProgressStore drainProgress;

    RealServerService(RealServerRepository realServers, ClusterLookup lookup, EventService events, ConfigGeneration generation,
            MergePatch mergePatch, ObjectProvider<RealServerHealthSource> health, LvsProperties props, DrainProgressStore drainProgress) {
        this.drainProgress = drainProgress;
        this.commandsMustExist = props.health().commandsMustExist();
        this.realServers = realServers;
        this.lookup = lookup;
        this.events = events;
        this.generation = generation;
        this.mergePatch = mergePatch;
        this.health = health;
    }

    /** The API representation with this node's health findings (read paths only: events keep the configuration alone). */
    private RealServerResponse view(RealServer r) {
        RealServerResponse out = RealServerResponse.of(r);
        RealServerHealthSource source = health.getIfAvailable();
        return source == null || r.getId() == null ? out : source.health(r.getId()).map(out::withHealth).orElse(out);
    }

    /** {@link #view} with every director's drain report (GET of one real server, and the console's rows). */
    private RealServerResponse detailed(RealServer r) {
        RealServerResponse out = view(r);
        if (r.getId() == null || r.getState() != RealServerState.DRAINING) {
            return out;
        }
        List<DrainProgressStore.Row> rows = drainProgress.read(r.getId());
        return out.withDrain(new RealServerResponse.Drain(r.getStateChangedAt(),
                rows.stream().map(d -> new RealServerResponse.DirectorDrain(d.node(), d.phase(), d.active(), d.inactive(), d.persistent(),
                        d.inTable(), d.deadline(), d.reportedAt())).toList()));
    }

    @Transactional(readOnly = true)
    public PageResponse<RealServerResponse> list(String clusterRef, Long virtualServerId, Pageable pageable) {
        if (clusterRef == null) {
            return PageResponse.of(realServers.findAll(pageable), this::detailed);
        }
        Cluster c = lookup.require(clusterRef);
        if (virtualServerId == null) {
            return PageResponse.of(realServers.findByClusterId(c.getId(), pageable), this::detailed);
        }
        VirtualServer vs = lookup.virtualServer(c, virtualServerId);
        return PageResponse.of(realServers.findByVirtualServerId(vs.getId(), pageable), this::detailed);
    }

    /** Every real server of a virtual server, oldest first. */
    @Transactional(readOnly = true)
    public List<RealServerResponse> all(String clusterRef, long virtualServerId) {
        VirtualServer vs = lookup.virtualServer(lookup.require(clusterRef), virtualServerId);
        return realServers.findByVirtualServerIdOrderById(vs.getId()).stream().map(this::detailed).toList();
    }

    @Transactional(readOnly = true)
    public RealServerResponse get(String clusterRef, long virtualServerId, long id) {
        VirtualServer vs = lookup.virtualServer(lookup.require(clusterRef), virtualServerId);
        return detailed(lookup.realServer(vs, id));
    }

    public RealServerResponse create(String clusterRef, long virtualServerId, RealServerRequest req) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(clusterRef);
        VirtualServer vs = lookup.virtualServer(c, virtualServerId);
        RealServer r = new RealServer(vs);
        apply(vs, r, req);
        realServers.saveAndFlush(r);
        RealServerResponse after = RealServerResponse.of(r);
        events.configChange(c.getId(), c.getName(), "CREATE", "real-server", r.getId(),
                "added real server " + Addresses.hostPort(r.getAddress(), r.getPort()) + " to " + vs.label(), null, after);
        generation.bump();
        return after;
    }

    public RealServerResponse update(String clusterRef, long virtualServerId, long id, RealServerRequest req, String ifMatch,
            boolean full) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(clusterRef);
        VirtualServer vs = lookup.virtualServer(c, virtualServerId);
        RealServer r = lookup.realServer(vs, id);
        Versions.check(ifMatch, req.version(), r.getVersion(), full);
        RealServerResponse before = RealServerResponse.of(r);
        apply(vs, r, req);
        realServers.saveAndFlush(r);
        RealServerResponse after = RealServerResponse.of(r);
        if (after.equals(before)) {
            return after; // nothing changed (the row was not written): no event, no new generation
        }
        events.configChange(c.getId(), c.getName(), "UPDATE", "real-server", r.getId(),
                "updated real server " + Addresses.hostPort(r.getAddress(), r.getPort()) + " of " + vs.label(), before, after);
        generation.bump();
        return after;
    }

    public RealServerResponse patch(String clusterRef, long virtualServerId, long id, Map<String, Object> patch, String ifMatch) {
        VirtualServer vs = lookup.virtualServer(lookup.require(clusterRef), virtualServerId);
        RealServerResponse r = RealServerResponse.of(lookup.realServer(vs, id));
        RealServerRequest base = new RealServerRequest(r.address(), r.port(), r.weight(), r.state(), r.inhibitOnFailure(),
                r.upperThreshold(), r.lowerThreshold(), r.healthCheck(), null, r.drainTimeout());
        return update(clusterRef, virtualServerId, id, mergePatch.apply(base, patch, RealServerRequest.class), ifMatch, false);
    }

    /** enable / disable / drain: sets the administrative state. */
    public RealServerResponse setState(String clusterRef, long virtualServerId, long id, RealServerState state, String ifMatch) {
        return setState(clusterRef, virtualServerId, id, state, null, ifMatch);
    }

    /**
     * enable / disable / drain; {@code drainTimeout} (seconds, drain only; null: leave the real server's as it is) becomes
     * the real server's own drain timeout.
     */
    public RealServerResponse setState(String clusterRef, long virtualServerId, long id, RealServerState state, Integer drainTimeout,
            String ifMatch) {
        FieldErrors errors = new FieldErrors();
        errors.range("timeout", drainTimeout, 1, RealServerRequest.MAX_DRAIN_TIMEOUT);
        errors.throwIfAny();
        Cluster c = lookup.require(clusterRef);
        VirtualServer vs = lookup.virtualServer(c, virtualServerId);
        RealServer r = lookup.realServer(vs, id);
        Versions.check(ifMatch, null, r.getVersion(), false);
        boolean newTimeout = drainTimeout != null && !drainTimeout.equals(r.getDrainTimeoutSeconds());
        if (r.getState() == state && !newTimeout) {
            return RealServerResponse.of(r);
        }
        RealServerResponse before = RealServerResponse.of(r);
        if (newTimeout) {
            r.setDrainTimeoutSeconds(drainTimeout);
        }
        r.setState(state);
        realServers.saveAndFlush(r);
        RealServerResponse after = RealServerResponse.of(r);
        String verb = switch (state) {
            case ENABLED -> "enabled";
            case DRAINING -> "started draining";
            case DISABLED -> "disabled";
        };
        events.configChange(c.getId(), c.getName(), state.name(), "real-server", r.getId(),
                verb + " real server " + Addresses.hostPort(r.getAddress(), r.getPort()) + " of " + vs.label(), before, after);
        generation.bump();
        return after;
    }

    public void delete(String clusterRef, long virtualServerId, long id) {
        Cluster c = lookup.require(clusterRef);
        VirtualServer vs = lookup.virtualServer(c, virtualServerId);
        RealServer r = lookup.realServer(vs, id);
        RealServerResponse before = RealServerResponse.of(r);
        realServers.delete(r);
        realServers.flush();
        events.configChange(c.getId(), c.getName(), "DELETE", "real-server", r.getId(),
                "removed real server " + Addresses.hostPort(r.getAddress(), r.getPort()) + " from " + vs.label(), before, null);
        generation.bump();
    }

    /**
     * For a bulk import: validates and creates ({@code existing} null) or updates a real server like {@link #create} and
     * {@link #update}, but without flushing, without an event and without a new generation: the caller flushes once,
     * records one event and bumps the generation once; it persists a new real server itself. The caller guarantees that no two staged real servers of a
     * virtual server share address and port (the database's unique key still holds at the flush).
     */
    public RealServer stage(VirtualServer vs, RealServer existing, RealServerRequest req) {
        RealServer r = existing == null ? new RealServer(vs) : existing;
        apply(vs, r, req, false);
        return r; // a new one is persisted by the caller (EntityManager.persist: no repository proxy per row)
    }

    /** The API representation of a staged real server (after the caller's flush). */
    public static RealServerResponse response(RealServer r) {
        return RealServerResponse.of(r);
    }

    private void apply(VirtualServer vs, RealServer r, RealServerRequest req) {
        apply(vs, r, req, true);
    }

    private void apply(VirtualServer vs, RealServer r, RealServerRequest req, boolean checkUnique) {
        FieldErrors errors = new FieldErrors();
        String address = null;
        if (req.address() == null || req.address().isBlank()) {
            errors.add("address", "is required", req.address());
        } else {
            address = errors.parse("address", req.address(), () -> Addresses.canonical(req.address()));
            if (address != null && Addresses.family(address) != vs.getIpFamily()) {
                errors.add("address", "is " + Addresses.family(address) + " but virtual server " + vs.label() + " is " + vs.getIpFamily(),
                        req.address());
            }
        }
        boolean fixedPort = vs.getFwmark() == null && vs.getForwarding().keepsPort();
        Integer port = req.port();
        if (port == null) {
            if (fixedPort) {
                port = vs.getPort();
            } else if (vs.getFwmark() != null) {
                port = 0;
            } else {
                errors.add("port", "is required with " + vs.getForwarding().wireName() + " forwarding", null);
            }
        } else if (fixedPort && !port.equals(vs.getPort())) {
            errors.add("port", "must be " + vs.getPort() + ", the virtual server's port: " + vs.getForwarding().wireName()
                    + " forwarding cannot change the port (use NAT for that)", port);
        } else if (vs.getFwmark() != null) {
            errors.range("port", port, 0, 65535);
        } else {
            errors.range("port", port, 1, 65535);
        }
        int weight = req.weight() == null ? 1 : req.weight();
        errors.range("weight", weight, 0, 65535);
        RealServerState state = req.state() == null ? RealServerState.ENABLED
                : errors.parse("state", req.state(), () -> WireNamed.parse(RealServerState.class, req.state()));
        errors.range("drainTimeout", req.drainTimeout(), 1, RealServerRequest.MAX_DRAIN_TIMEOUT);
        errors.range("upperThreshold", req.upperThreshold(), 0, Integer.MAX_VALUE);
        errors.range("lowerThreshold", req.lowerThreshold(), 0, Integer.MAX_VALUE);
        if (req.upperThreshold() != null && req.lowerThreshold() != null && req.upperThreshold() > 0
                && req.lowerThreshold() > req.upperThreshold()) {
            errors.add("lowerThreshold", "must not exceed upperThreshold", req.lowerThreshold());
        }

        HealthCheck hc = req.healthCheck() == null ? new HealthCheck(null, null, null, null, null, null, null, null, null, null, null)
                : req.healthCheck();
        HealthCheckSettings check = hc.settings(errors, "healthCheck").validated(errors, "healthCheck", address, commandsMustExist);
        errors.throwIfAny();

        String canonical = address;
        int p = port;
        (checkUnique ? realServers.findByVirtualServerIdAndAddressAndPort(vs.getId(), address, port)
                : java.util.Optional.<RealServer>empty()).filter(o -> !o.getId().equals(r.getId()))
                .ifPresent(o -> {
                    throw ApiException.conflict("address", Addresses.hostPort(canonical, p) + " is already real server " + o.getId()
                            + " of virtual server " + vs.label(), req.address());
                });

        r.setAddress(address);
        r.setPort(port);
        r.setWeight(weight);
        r.setState(state);
        r.setInhibitOnFailure(Boolean.TRUE.equals(req.inhibitOnFailure()));
        r.setDrainTimeoutSeconds(req.drainTimeout());
        r.setUpperThreshold(req.upperThreshold());
        r.setLowerThreshold(req.lowerThreshold());
        r.setHealthCheck(check);
    }
}
