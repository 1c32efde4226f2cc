package io.lvscp.virtualserver;

import io.lvscp.api.Names;
import io.lvscp.common.Netmasks;
import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterLookup;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.RealServer;
import io.lvscp.model.RealServerRepository;
import io.lvscp.model.VirtualServer;
import io.lvscp.model.VirtualServerRepository;
import io.lvscp.model.VrrpInstance;
import io.lvscp.api.ApiException;
import io.lvscp.api.FieldErrors;
import io.lvscp.api.MergePatch;
import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
import io.lvscp.common.Addresses;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.common.Scheduler;
import io.lvscp.common.WireNamed;
import io.lvscp.event.EventService;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional
public class VirtualServerService {

    /** keepalived's defaults for the checker knobs. */
    static final int DEFAULT_DELAY_LOOP = 60;
    static final int DEFAULT_CONNECT_TIMEOUT = 5;
    static final int DEFAULT_RETRY = 1;
    static final int DEFAULT_DELAY_BEFORE_RETRY = 1;
    /** ipvsadm's default scheduler. */
    static final Scheduler DEFAULT_SCHEDULER = Scheduler.WLC;

    private final VirtualServerRepository virtualServers;
    private final RealServerRepository realServers;
    private final ClusterLookup lookup;
    private final EventService events;
    private final ConfigGeneration generation;
    private final MergePatch mergePatch;

    VirtualServerService(VirtualServerRepository virtualServers, RealServerRepository realServers, ClusterLookup lookup,
            EventService events, ConfigGeneration generation, MergePatch mergePatch) {
        this.virtualServers = virtualServers;
        this.realServers = realServers;
        this.lookup = lookup;
        this.events = events;
        this.generation = generation;
        this.mergePatch = mergePatch;
    }

    static VirtualServerResponse response(VirtualServer v) {
        return VirtualServerResponse.of(v, v.getCluster().getName(), v.getVrrpInstance().getName());
    }

    @Transactional(readOnly = true)
    public PageResponse<VirtualServerResponse> list(String clusterRef, Pageable pageable) {
        Page<VirtualServer> page = clusterRef == null ? virtualServers.findAll(pageable)
                : virtualServers.findByClusterId(lookup.require(clusterRef).getId(), pageable);
        return PageResponse.of(page, VirtualServerService::response);
    }

    @Transactional(readOnly = true)
    public VirtualServerResponse get(String clusterRef, long id) {
        return response(lookup.virtualServer(lookup.require(clusterRef), id));
    }

    public VirtualServerResponse create(String clusterRef, VirtualServerRequest req) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(clusterRef);
        VirtualServer v = new VirtualServer(c);
        apply(c, v, req, true);
        virtualServers.saveAndFlush(v);
        VirtualServerResponse after = response(v);
        events.configChange(c.getId(), c.getName(), "CREATE", "virtual-server", v.getId(), "created virtual server " + v.label(), null,
                after);
        generation.bump();
        return after;
    }

    public VirtualServerResponse update(String clusterRef, long id, VirtualServerRequest req, String ifMatch, boolean full) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(clusterRef);
        VirtualServer v = lookup.virtualServer(c, id);
        Versions.check(ifMatch, req.version(), v.getVersion(), full);
        VirtualServerResponse before = response(v);
        apply(c, v, req, false);
        virtualServers.saveAndFlush(v);
        VirtualServerResponse after = response(v);
        if (after.equals(before)) {
            return after; // nothing changed (the row was not written): no event, no new generation
        }
        events.configChange(c.getId(), c.getName(), "UPDATE", "virtual-server", v.getId(), "updated virtual server " + v.label(), before,
                after);
        generation.bump();
        return after;
    }

    public VirtualServerResponse patch(String clusterRef, long id, Map<String, Object> patch, String ifMatch) {
        VirtualServer v = lookup.virtualServer(lookup.require(clusterRef), id);
        VirtualServerResponse r = response(v);
        VirtualServerRequest base = new VirtualServerRequest(r.name(), r.vrrpInstance(), r.vip(), r.port(), r.protocol(), r.fwmark(),
                r.scheduler(), r.forwarding(), r.persistenceTimeout(), r.persistenceNetmask(), r.delayLoop(), r.connectTimeout(), r.retry(),
                r.delayBeforeRetry(), r.alpha(), r.quorum(), r.hysteresis(), r.sorryServer(), null);
        return update(clusterRef, id, mergePatch.apply(base, patch, VirtualServerRequest.class), ifMatch, false);
    }

    /** Deletes the virtual server and its real servers. */
    public void delete(String clusterRef, long id) {
        Cluster c = lookup.require(clusterRef);
        VirtualServer v = lookup.virtualServer(c, id);
        VirtualServerResponse before = response(v);
        int removed = realServers.deleteByVirtualServer(v.getId());
        virtualServers.delete(v);
        virtualServers.flush();
        events.configChange(c.getId(), c.getName(), "DELETE", "virtual-server", v.getId(),
                "deleted virtual server " + v.label() + (removed > 0 ? " and its " + removed + " real server(s)" : ""), before, null);
        generation.bump();
    }

    /**
     * For a bulk import: validates and creates ({@code existing} null) or updates a virtual server like {@link #create}
     * and {@link #update}, but without persisting a new one, flushing, an event or a new generation (the caller does
     * each, once), and without a query per row: {@code instances} resolves the VRRP instance by name (the cluster's, read
     * once by the caller), and the caller guarantees that no two staged virtual servers share VIP, port and protocol
     * or firewall mark, that {@code existing} is the cluster's virtual server with this key if there is one, and that
     * it restages or deletes every real server of an updated virtual server (so the forwarding-keeps-the-port rule is
     * checked on each real server instead). The database's unique keys still hold at the flush.
     */
    public VirtualServer stage(Cluster cluster, VirtualServer existing, VirtualServerRequest req,
            java.util.function.Function<String, VrrpInstance> instances) {
        VirtualServer v = existing == null ? new VirtualServer(cluster) : existing;
        apply(cluster, v, req, existing == null, instances);
        return v; // a new one is persisted by the caller (EntityManager.persist: no repository proxy per row)
    }

    /** The API representation of a staged virtual server (after the caller's flush). */
    public static VirtualServerResponse responseOf(VirtualServer v) {
        return response(v);
    }

    private void apply(Cluster cluster, VirtualServer v, VirtualServerRequest req, boolean creating) {
        apply(cluster, v, req, creating, null);
    }

    /** {@code staged}: null for a single write (the instance looked up, conflicts queried); see {@link #stage}. */
    private void apply(Cluster cluster, VirtualServer v, VirtualServerRequest req, boolean creating,
            java.util.function.Function<String, VrrpInstance> staged) {
        FieldErrors errors = new FieldErrors();
        String name = req.name() == null || req.name().isBlank() ? null : req.name();
        if (name != null) {
            Names.name(errors, "name", name);
        }
        VrrpInstance instance = null;
        if (req.vrrpInstance() == null || req.vrrpInstance().isBlank()) {
            errors.add("vrrpInstance", "is required: the VRRP instance that carries the VIP", null);
        } else {
            try {
                instance = staged != null ? staged.apply(req.vrrpInstance()) : lookup.instance(cluster, req.vrrpInstance());
                if (instance == null) {
                    throw ApiException.notFound("VRRP instance '" + req.vrrpInstance() + "'");
                }
            } catch (ApiException e) {
                errors.add("vrrpInstance", "no VRRP instance '" + req.vrrpInstance() + "' in cluster '" + cluster.getName() + "'",
                        req.vrrpInstance());
            }
        }
        boolean byMark = req.fwmark() != null;
        String vip = null;
        Addresses.Family family = instance == null ? null : instance.getIpFamily();
        Protocol protocol = req.protocol() == null ? Protocol.TCP
                : errors.parse("protocol", req.protocol(), () -> WireNamed.parse(Protocol.class, req.protocol()));
        if (byMark) {
            if (req.vip() != null || req.port() != null) {
                errors.add("fwmark", "a virtual server has either a firewall mark or a VIP and port, not both", req.fwmark());
            }
            if (req.fwmark() < 1 || req.fwmark() > 0xffffffffL) {
                errors.add("fwmark", "must be between 1 and 4294967295", req.fwmark());
            }
        } else {
            if (req.vip() == null || req.vip().isBlank()) {
                errors.add("vip", "is required (or give a fwmark)", req.vip());
            } else {
                vip = errors.parse("vip", req.vip(), () -> Addresses.canonical(req.vip()));
            }
            errors.required("port", req.port());
            errors.range("port", req.port(), 1, 65535);
            if (vip != null && instance != null) {
                String canonicalVip = vip;
                if (instance.getVips().stream().noneMatch(x -> x.getAddress().equals(canonicalVip))) {
                    errors.add("vip", vip + " is not a VIP of VRRP instance '" + instance.getName() + "' (its VIPs: "
                            + instance.getVips().stream().map(VrrpInstance.Vip::getAddress).toList() + ")", req.vip());
                }
            }
        }
        Scheduler scheduler = req.scheduler() == null ? DEFAULT_SCHEDULER
                : errors.parse("scheduler", req.scheduler(), () -> WireNamed.parse(Scheduler.class, req.scheduler()));
        Forwarding forwarding = req.forwarding() == null ? Forwarding.DR
                : errors.parse("forwarding", req.forwarding(), () -> WireNamed.parse(Forwarding.class, req.forwarding()));
        Integer persistence = req.persistenceTimeout() == null || req.persistenceTimeout() == 0 ? null : req.persistenceTimeout();
        errors.range("persistenceTimeout", persistence, 1, 2678400);
        Integer netmask = null;
        if (req.persistenceNetmask() != null && !req.persistenceNetmask().isBlank()) {
            if (persistence == null) {
                errors.add("persistenceNetmask", "only applies with a persistenceTimeout", req.persistenceNetmask());
            } else if (family != null) {
                Addresses.Family fam = family;
                netmask = errors.parse("persistenceNetmask", req.persistenceNetmask(), () -> Netmasks.parse(fam, req.persistenceNetmask()));
            }
        }
        int delayLoop = orDefault(req.delayLoop(), DEFAULT_DELAY_LOOP);
        int connectTimeout = orDefault(req.connectTimeout(), DEFAULT_CONNECT_TIMEOUT);
        int retry = orDefault(req.retry(), DEFAULT_RETRY);
        int delayBeforeRetry = orDefault(req.delayBeforeRetry(), DEFAULT_DELAY_BEFORE_RETRY);
        int quorum = orDefault(req.quorum(), 1);
        int hysteresis = orDefault(req.hysteresis(), 0);
        errors.range("delayLoop", delayLoop, 1, 86400);
        errors.range("connectTimeout", connectTimeout, 1, 3600);
        errors.range("retry", retry, 0, 100);
        errors.range("delayBeforeRetry", delayBeforeRetry, 0, 3600);
        errors.range("quorum", quorum, 1, 65535);
        errors.range("hysteresis", hysteresis, 0, 65535);
        String sorryAddress = null;
        Integer sorryPort = null;
        if (req.sorryServer() != null && req.sorryServer().address() != null) {
            sorryAddress = errors.parse("sorryServer.address", req.sorryServer().address(),
                    () -> Addresses.canonical(req.sorryServer().address()));
            if (sorryAddress != null && family != null && Addresses.family(sorryAddress) != family) {
                errors.add("sorryServer.address", "must be of the virtual server's address family (" + family + ")",
                        req.sorryServer().address());
            }
            sorryPort = req.sorryServer().port() != null ? req.sorryServer().port() : req.port();
            errors.range("sorryServer.port", sorryPort, 1, 65535);
        } else if (req.sorryServer() != null && req.sorryServer().port() != null) {
            // a port alone says nothing about where to send traffic: refused, not dropped
            errors.add("sorryServer.address", "is required when sorryServer is given (send \"sorryServer\": null for none)", null);
            errors.range("sorryServer.port", req.sorryServer().port(), 1, 65535);
        }
        errors.throwIfAny();

        // conflicts (a bulk import checks its own keys)
        if (staged != null) {
            // nothing to query
        } else if (byMark) {
            virtualServers.findByClusterIdAndFwmarkAndIpFamily(cluster.getId(), req.fwmark(), family)
                    .filter(o -> !o.getId().equals(v.getId())).ifPresent(o -> {
                        throw ApiException.conflict("fwmark", "firewall mark " + req.fwmark() + " is already virtual server " + o.getId(),
                                req.fwmark());
                    });
        } else {
            String canonicalVip = vip;
            virtualServers.findByClusterIdAndVipAndPortAndProtocol(cluster.getId(), vip, req.port(), protocol)
                    .filter(o -> !o.getId().equals(v.getId())).ifPresent(o -> {
                        throw ApiException.conflict("vip", Addresses.hostPort(canonicalVip, req.port()) + "/" + protocol.wireName()
                                + " is already virtual server " + o.getId(), req.vip());
                    });
        }
        if (staged == null && !creating && !byMark && forwarding.keepsPort()) {
            Integer port = req.port();
            List<RealServer> others = realServers.findByVirtualServerIdOrderById(v.getId()).stream()
                    .filter(r -> r.getPort() != port).toList();
            if (!others.isEmpty()) {
                throw ApiException.conflict("port", "with " + forwarding.wireName() + " forwarding real servers listen on the virtual "
                        + "server's port, but real server(s) " + others.stream().map(RealServer::getId).toList()
                        + " use another; change them first or use NAT", req.port());
            }
        }

        v.setName(name);
        v.setVrrpInstance(instance);
        v.setIpFamily(family);
        v.setVip(vip);
        v.setPort(byMark ? null : req.port());
        v.setProtocol(protocol);
        v.setFwmark(byMark ? req.fwmark() : null);
        v.setScheduler(scheduler);
        v.setForwarding(forwarding);
        v.setPersistenceTimeout(persistence);
        v.setPersistenceNetmask(netmask);
        v.setDelayLoop(delayLoop);
        v.setConnectTimeout(connectTimeout);
        v.setRetry(retry);
        v.setDelayBeforeRetry(delayBeforeRetry);
        v.setAlpha(Boolean.TRUE.equals(req.alpha()));
        v.setQuorum(quorum);
        v.setHysteresis(hysteresis);
        v.setSorryAddress(sorryAddress);
        v.setSorryPort(sorryPort);
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
