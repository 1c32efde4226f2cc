package io.lvscp.importer;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldError;
import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterRepository;
import io.lvscp.cluster.ClusterRequest;
import io.lvscp.model.Director;
import io.lvscp.model.DirectorRepository;
import io.lvscp.model.RealServer;
import io.lvscp.model.RealServerRepository;
import io.lvscp.model.VirtualServer;
import io.lvscp.model.VirtualServerRepository;
import io.lvscp.model.VrrpInstanceRepository;
import io.lvscp.common.Addresses;
import io.lvscp.cluster.ClusterResponse;
import io.lvscp.cluster.ClusterService;
import io.lvscp.director.DirectorRequest;
import io.lvscp.director.DirectorResponse;
import io.lvscp.director.DirectorService;
import io.lvscp.realserver.RealServerRequest;
import io.lvscp.realserver.RealServerResponse;
import io.lvscp.realserver.RealServerService;
import io.lvscp.virtualserver.VirtualServerRequest;
import io.lvscp.virtualserver.VirtualServerResponse;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.vrrpinstance.VrrpInstanceRequest;
import io.lvscp.vrrpinstance.VrrpInstanceResponse;
import io.lvscp.vrrpinstance.VrrpInstanceService;
import io.lvscp.importer.ImportedCluster.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.event.EventService;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * Creates or updates one cluster from keepalived.conf files in one transaction, through the cluster services, so every
 * domain rule applies: what the files describe is created or updated (matched by director node name, instance name,
 * VIP+port+protocol or firewall mark, real server address+port), and VRRP instances, virtual servers and real servers
 * of the cluster that the files no longer describe are deleted. Directors the files do not name are kept (a warning
 * says so), and so is each real server's administrative state. A dry run does the same, lists the changes, and rolls
 * back. A service's complaint names the file and line of the keyword that produced the value.
 */
@Service
public class KeepalivedImportService {

    /**
     * What the cluster holds after the import (or, for a dry run, would hold), the changes that got it there, and what
     * the files said that is not stored.
     */
    public record ImportResponse(boolean dryRun, ClusterResponse cluster, List<DirectorResponse> directors,
            List<VrrpInstanceResponse> vrrpInstances, List<VirtualServerResponse> virtualServers,
            List<RealServerResponse> realServers, List<Change> changes, int unchanged, List<ImportIssue> warnings) {
    }

    /** One change the import made: CREATE, UPDATE or DELETE of a resource (as the events record them, with before and after). */
    public record Change(String action, String resource, Long id, String name, Object before, Object after) {
    }

    /** A director: node name and management address, for one uploaded main file. */
    public record DirectorSpec(String nodeName, String managementAddress) {
    }

    private static final Map<String, String> VRRP_FIELDS = Map.ofEntries(Map.entry("vrid", "virtual_router_id"),
            Map.entry("interfaceName", "interface"), Map.entry("vrrpVersion", "version"),
            Map.entry("advertInterval", "advert_int"), Map.entry("preempt", "nopreempt"),
            Map.entry("preemptDelay", "preempt_delay"), Map.entry("authType", "auth_type"),
            Map.entry("authPassword", "auth_pass"), Map.entry("unicastPeers", "unicast_peer"),
            Map.entry("priorities", "priority"), Map.entry("vips", "virtual_ipaddress"), Map.entry("connectionSync", "lvs_sync_daemon"));
    private static final Map<String, String> VS_FIELDS = Map.ofEntries(Map.entry("scheduler", "lb_algo"),
            Map.entry("forwarding", "lb_kind"), Map.entry("protocol", "protocol"),
            Map.entry("persistenceTimeout", "persistence_timeout"), Map.entry("persistenceNetmask", "persistence_granularity"),
            Map.entry("delayLoop", "delay_loop"), Map.entry("quorum", "quorum"), Map.entry("hysteresis", "hysteresis"),
            Map.entry("alpha", "alpha"), Map.entry("sorryServer", "sorry_server"));
    private static final Map<String, String> RS_FIELDS = Map.ofEntries(Map.entry("weight", "weight"),
            Map.entry("inhibitOnFailure", "inhibit_on_failure"), Map.entry("healthCheck.path", "path"),
            Map.entry("healthCheck.statusCodes", "status_code"), Map.entry("healthCheck.digest", "digest"),
            Map.entry("healthCheck.command", "misc_path"), Map.entry("healthCheck.connectPort", "connect_port"),
            Map.entry("healthCheck.connectTimeout", "connect_timeout"), Map.entry("healthCheck.retry", "retry"),
            Map.entry("healthCheck.delayBeforeRetry", "delay_before_retry"), Map.entry("healthCheck.virtualhost", "virtualhost"),
            Map.entry("healthCheck.connectIp", "connect_ip"), Map.entry("healthCheck.bindTo", "bindto"),
            Map.entry("healthCheck.miscTimeout", "misc_timeout"), Map.entry("upperThreshold", "uthreshold"),
            Map.entry("lowerThreshold", "lthreshold"));

    private final ClusterRepository clusterRepository;
    private final DirectorRepository directorRepository;
    private final VrrpInstanceRepository instanceRepository;
    private final VirtualServerRepository virtualServerRepository;
    private final RealServerRepository realServerRepository;
    private final ClusterService clusters;
    private final DirectorService directors;
    private final VrrpInstanceService vrrpInstances;
    private final VirtualServerService virtualServers;
    private final RealServerService realServers;
    private final EntityManager entityManager;
    private final EventService events;
    private final ConfigGeneration generation;

    KeepalivedImportService(ClusterService clusters, DirectorService directors, VrrpInstanceService vrrpInstances,
            VirtualServerService virtualServers, RealServerService realServers, ClusterRepository clusterRepository,
            DirectorRepository directorRepository, VrrpInstanceRepository instanceRepository,
            VirtualServerRepository virtualServerRepository, RealServerRepository realServerRepository, EntityManager entityManager,
            EventService events, ConfigGeneration generation) {
        this.entityManager = entityManager;
        this.events = events;
        this.generation = generation;
        this.clusterRepository = clusterRepository;
        this.directorRepository = directorRepository;
        this.instanceRepository = instanceRepository;
        this.virtualServerRepository = virtualServerRepository;
        this.realServerRepository = realServerRepository;
        this.clusters = clusters;
        this.directors = directors;
        this.vrrpInstances = vrrpInstances;
        this.virtualServers = virtualServers;
        this.realServers = realServers;
    }

    /**
     * Imports; {@code vrrpInstance} (optional) carries the virtual servers whose VIP no instance of the files or of the
     * cluster holds (LVS-only files). Every error is collected (syntax, values, the services' rules), each with its file
     * and line, and thrown together with the warnings as one {@link KeepalivedImportProblem}; then nothing is written.
     * Virtual and real servers are written in bulk: no flush per row, one event and one new configuration generation.
     */
    @Transactional
    public ImportResponse importFiles(String clusterName, List<String> mainFiles, Map<String, String> files,
            Map<String, DirectorSpec> specs, boolean dryRun, String vrrpInstance) {
        ImportedCluster model;
        try {
            Map<String, String> names = new java.util.HashMap<>();
            specs.forEach((file, spec) -> names.put(file, spec.nodeName()));
            model = KeepalivedMapper.map(mainFiles, files, names);
        } catch (KeepalivedImportException e) {
            throw new KeepalivedImportProblem(e.errors(), e.warnings());
        }
        // queries do not flush the rows staged so far: one flush at the end (the import checks its own duplicates)
        entityManager.setFlushMode(FlushModeType.COMMIT);
        List<ImportIssue> errors = new ArrayList<>();
        List<ImportIssue> warnings = new ArrayList<>(model.warnings());
        Changes changes = new Changes();
        ClusterResponse cluster;
        Optional<Cluster> existing = clusterRepository.findByName(clusterName);
        if (existing.isPresent()) {
            cluster = clusters.get(clusterName);
        } else {
            try {
                cluster = clusters.create(new ClusterRequest(clusterName, "imported from keepalived.conf", null));
            } catch (ApiException e) {
                throw new KeepalivedImportProblem(e.errors().stream()
                        .map(fe -> new ImportIssue("(request)", 0, "cluster", clusterName, fe.field() + " " + fe.reason())).toList(),
                        warnings);
            }
            changes.add("CREATE", "cluster", cluster.id(), clusterName, null, cluster);
        }
        long clusterId = cluster.id();
        Cluster clusterEntity = clusterRepository.findById(clusterId).orElseThrow();

        List<DirectorResponse> ds = new ArrayList<>();
        Set<String> nodes = new HashSet<>();
        for (ImportedCluster.Director d : model.directors()) {
            DirectorSpec spec = specs.get(d.file());
            Source at = new Source(d.file(), d.line(), d.routerId() != null ? "router_id" : "director");
            nodes.add(d.nodeName());
            Optional<Director> have = directorRepository.findByNodeName(d.nodeName())
                    .filter(x -> x.getCluster().getId().equals(clusterId));
            if (have.isPresent()) {
                DirectorResponse before = directors.get(clusterName, d.nodeName());
                String address = spec == null || spec.managementAddress() == null ? before.managementAddress() : spec.managementAddress();
                String iface = d.interfaceName() == null ? before.interfaceName() : d.interfaceName();
                DirectorResponse after = call(errors, Map.of(), Map.of("", at), () -> directors.update(clusterName, d.nodeName(),
                        new DirectorRequest(d.nodeName(), address, iface, null), null, false));
                if (after != null) {
                    changes.updated("director", after.id(), d.nodeName(), before, after);
                    ds.add(after);
                }
            } else if (d.interfaceName() == null) {
                warnings.add(new ImportIssue(d.file(), d.line(), at.keyword(), d.nodeName(), "director " + d.nodeName()
                        + " not created: the file has no vrrp_instance to give its interface; add the director through the API"
                        + " (its virtual servers are imported into the cluster)"));
            } else {
                DirectorResponse created = call(errors, Map.of(), Map.of("", at), () -> directors.create(clusterName,
                        new DirectorRequest(d.nodeName(), spec == null ? null : spec.managementAddress(), d.interfaceName(), null)));
                if (created != null) {
                    changes.add("CREATE", "director", created.id(), d.nodeName(), null, created);
                    ds.add(created);
                }
            }
        }
        for (Director d : directorRepository.findByClusterIdOrderByNodeName(clusterId)) {
            if (!nodes.contains(d.getNodeName())) {
                warnings.add(new ImportIssue("(cluster)", 0, "director", d.getNodeName(),
                        "director " + d.getNodeName() + " is in the cluster but in none of the files: left as it is"));
            }
        }
        if (!errors.isEmpty()) {
            throw new KeepalivedImportProblem(errors, warnings); // the instances name the directors: stop here
        }

        List<VrrpInstanceResponse> vis = new ArrayList<>();
        Set<String> instanceNames = new HashSet<>();
        for (ImportedCluster.VrrpInstance vi : model.vrrpInstances()) {
            List<VrrpInstanceRequest.PriorityDto> prios = vi.priorities().entrySet().stream()
                    .map(e -> new VrrpInstanceRequest.PriorityDto(e.getKey(), e.getValue())).toList();
            List<VrrpInstanceRequest.VipDto> vips = vi.vips().stream()
                    .map(v -> new VrrpInstanceRequest.VipDto(v.address(), v.prefixLength(), v.device(), v.label())).toList();
            VrrpInstanceRequest req = new VrrpInstanceRequest(vi.name(), vi.vrid(), vi.interfaceName(),
                    vi.vrrpVersion() == null ? 2 : vi.vrrpVersion(), vi.advertInterval(), vi.preempt(), vi.preemptDelay(), vi.authType(),
                    vi.authPassword(), vi.multicastGroup(), vi.unicastPeers().isEmpty() ? null : vi.unicastPeers(), vi.syncGroup(), prios,
                    vips, null, vi.connectionSync() == null ? null : new VrrpInstanceRequest.ConnectionSyncDto(vi.connectionSync().interfaceName(),
                            vi.connectionSync().syncId(), vi.connectionSync().maxLength(), vi.connectionSync().group(),
                            vi.connectionSync().port(), vi.connectionSync().ttl()));
            instanceNames.add(vi.name());
            if (instanceRepository.findByClusterIdAndName(clusterId, vi.name()).isPresent()) {
                VrrpInstanceResponse before = vrrpInstances.get(clusterName, vi.name());
                VrrpInstanceResponse after = call(errors, VRRP_FIELDS, vi.sources(),
                        () -> vrrpInstances.update(clusterName, vi.name(), req, null, false));
                if (after != null) {
                    changes.updated("vrrp-instance", after.id(), vi.name(), before, after);
                    vis.add(after);
                }
            } else {
                VrrpInstanceResponse created = call(errors, VRRP_FIELDS, vi.sources(), () -> vrrpInstances.create(clusterName, req));
                if (created != null) {
                    changes.add("CREATE", "vrrp-instance", created.id(), vi.name(), null, created);
                    vis.add(created);
                }
            }
        }

        // which instance carries each VIP: the files' instances, then the cluster's, then the one named in the request
        Map<String, String> instanceOfVip = new HashMap<>();
        List<io.lvscp.model.VrrpInstance> clusterInstances = instanceRepository.findByClusterIdOrderByName(clusterId);
        for (io.lvscp.model.VrrpInstance i : clusterInstances) {
            i.getVips().forEach(v -> instanceOfVip.putIfAbsent(canonical(v.getAddress()), i.getName()));
        }
        for (ImportedCluster.VrrpInstance vi : model.vrrpInstances()) {
            vi.vips().forEach(v -> instanceOfVip.put(canonical(v.address()), vi.name()));
        }

        List<VirtualServer> stagedVs = new ArrayList<>();
        List<RealServer> stagedRs = new ArrayList<>();
        Map<String, VirtualServer> haveVs = new HashMap<>();
        virtualServerRepository.findByClusterId(clusterId).forEach(v -> haveVs.put(key(v), v));
        // the cluster's real servers in one query, by virtual server (not one query per virtual server)
        Map<Long, List<RealServer>> rsOfVs = new HashMap<>();
        if (!haveVs.isEmpty()) {
            realServerRepository.findByVirtualServerIdIn(haveVs.values().stream().map(VirtualServer::getId).toList())
                    .forEach(r -> rsOfVs.computeIfAbsent(r.getVirtualServer().getId(), k -> new ArrayList<>()).add(r));
        }
        Map<Long, VirtualServerResponse> vsBefore = new HashMap<>();
        Map<Long, RealServerResponse> rsBefore = new HashMap<>();
        Set<Long> keptVs = new HashSet<>();
        List<RealServer> goneRs = new ArrayList<>();
        // the cluster's instances by name, read once (not a query per virtual server)
        Map<String, io.lvscp.model.VrrpInstance> instancesByName = new HashMap<>();
        clusterInstances.forEach(i -> instancesByName.put(i.getName(), i));
        Set<String> stagedKeys = new HashSet<>();
        for (ImportedCluster.VirtualServer vs : model.virtualServers()) {
            if (!stagedKeys.add(key(vs))) {
                // staging queries no conflicts: a key twice (e.g. once with protocol TCP, once with none) is refused here
                Source s = vs.sources().get("virtual_server");
                errors.add(new ImportIssue(s.file(), s.line(), "virtual_server", vs.key(), "defined twice (" + key(vs) + ")"));
                continue;
            }
            String instance = vs.vip() == null ? null : instanceOfVip.get(canonical(vs.vip()));
            if (instance == null && vrrpInstance != null) {
                instance = vrrpInstance;
            } else if (instance == null && !model.vrrpInstances().isEmpty()) {
                instance = model.vrrpInstances().get(0).name();
                Source s = vs.sources().get("virtual_server");
                if (model.vrrpInstances().size() > 1) warnings.add(new ImportIssue(s.file(), s.line(), "virtual_server", vs.key(), "no VRRP instance holds "
                        + (vs.fwmark() != null ? "a firewall mark" : "VIP " + vs.vip()) + ": carried by " + instance
                        + ", the files' first instance (name another with vrrpInstance=NAME)"));
            }
            if (instance == null) {
                Source s = vs.sources().get("virtual_server");
                errors.add(new ImportIssue(s.file(), s.line(), "virtual_server", vs.key(), vs.fwmark() != null
                        ? "which VRRP instance carries this firewall mark: name it with vrrpInstance=NAME"
                        : "no VRRP instance of the files or of the cluster holds VIP " + vs.vip()
                                + ": name the instance with vrrpInstance=NAME (it must exist in the cluster)"));
                continue;
            }
            String inst = instance;
            VirtualServerRequest req = new VirtualServerRequest(null, inst, vs.vip(), vs.port(), vs.protocol(), vs.fwmark(),
                    vs.scheduler(), vs.forwarding(), vs.persistenceTimeout(), vs.persistenceNetmask(), vs.delayLoop(), null, null, null,
                    vs.alpha(), vs.quorum(), vs.hysteresis(),
                    vs.sorryAddress() == null ? null : new VirtualServerRequest.SorryServer(vs.sorryAddress(), vs.sorryPort()), null);
            VirtualServer match = haveVs.get(key(vs));
            if (match != null) {
                vsBefore.put(match.getId(), VirtualServerService.responseOf(match));
            }
            VirtualServer v = call(errors, VS_FIELDS, vs.sources(), () -> virtualServers.stage(clusterEntity, match, req, instancesByName::get));
            if (v == null) {
                continue;
            }
            if (match == null) {
                entityManager.persist(v); // its id (from the sequence) before its real servers name it
            }
            stagedVs.add(v);
            if (match != null) {
                keptVs.add(match.getId());
            }
            Map<String, RealServer> haveRs = new HashMap<>();
            if (match != null) {
                rsOfVs.getOrDefault(match.getId(), List.of())
                        .forEach(r -> haveRs.put(Addresses.hostPort(r.getAddress(), r.getPort()), r));
            }
            Set<RealServer> keptRs = new HashSet<>();
            for (ImportedCluster.RealServer rs : vs.realServers()) {
                RealServerRequest.HealthCheck check = rs.checkType() == null ? null
                        : new RealServerRequest.HealthCheck(rs.checkType(), rs.path(), rs.statusCodes(), rs.digest(), rs.virtualhost(),
                                rs.command(), rs.connectPort(), rs.connectTimeout(), rs.retry(), rs.delayBeforeRetry(), null, rs.connectIp(),
                                rs.bindTo(), null, null, null, rs.miscTimeout());
                RealServer rmatch = haveRs.get(endpoint(rs.address(), rs.port() == null ? 0 : rs.port()));
                // the administrative state (enabled, draining, disabled) and the drain timeout are the operators', not the
                // file's (keepalived.conf has neither): kept
                RealServerRequest rreq = new RealServerRequest(rs.address(), rs.port(), rs.weight(),
                        rmatch == null ? null : rmatch.getState().wireName(), rs.inhibitOnFailure(), rs.upperThreshold(), rs.lowerThreshold(),
                        check, null,
                        rmatch == null ? null : rmatch.getDrainTimeoutSeconds());
                if (rmatch != null) {
                    rsBefore.put(rmatch.getId(), RealServerService.response(rmatch));
                }
                RealServer r = call(errors, RS_FIELDS, rs.sources(), () -> realServers.stage(v, rmatch, rreq));
                if (r != null) {
                    if (rmatch == null) {
                        entityManager.persist(r);
                    }
                    stagedRs.add(r);
                    keptRs.add(r);
                }
            }
            for (RealServer gone : haveRs.values()) {
                if (!keptRs.contains(gone)) {
                    goneRs.add(gone);
                }
            }
        }
        if (!errors.isEmpty()) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            throw new KeepalivedImportProblem(errors, warnings);
        }
        boolean filesHaveVirtualServers = !model.virtualServers().isEmpty();
        boolean filesHaveInstances = !model.vrrpInstances().isEmpty();
        for (RealServer gone : goneRs) {
            RealServerResponse before = RealServerService.response(gone);
            realServerRepository.delete(gone);
            changes.add("DELETE", "real-server", gone.getId(), Addresses.hostPort(gone.getAddress(), gone.getPort()) + " of "
                    + gone.getVirtualServer().label(), before, null);
        }
        entityManager.flush();
        List<VirtualServerResponse> vss = new ArrayList<>();
        for (VirtualServer v : stagedVs) {
            VirtualServerResponse after = VirtualServerService.responseOf(v);
            VirtualServerResponse before = vsBefore.get(v.getId());
            if (before == null) {
                changes.add("CREATE", "virtual-server", after.id(), after.label(), null, null); // in virtualServers, by id
            } else {
                changes.updated("virtual-server", after.id(), after.label(), before, after);
            }
            vss.add(after);
        }
        List<RealServerResponse> rss = new ArrayList<>();
        for (RealServer r : stagedRs) {
            RealServerResponse after = RealServerService.response(r);
            RealServerResponse before = rsBefore.get(r.getId());
            String name = Addresses.hostPort(r.getAddress(), r.getPort()) + " of " + r.getVirtualServer().label();
            if (before == null) {
                changes.add("CREATE", "real-server", after.id(), name, null, null); // in realServers, by id
            } else {
                changes.updated("real-server", after.id(), name, before, after);
            }
            rss.add(after);
        }
        if (filesHaveVirtualServers || model.vrrpInstances().isEmpty()) {
            for (VirtualServer gone : haveVs.values()) {
                if (!keptVs.contains(gone.getId())) {
                    VirtualServerResponse before = virtualServers.get(clusterName, gone.getId());
                    virtualServers.delete(clusterName, gone.getId());
                    changes.add("DELETE", "virtual-server", gone.getId(), before.label(), before, null);
                }
            }
        } else if (!haveVs.isEmpty()) {
            warnings.add(new ImportIssue("(cluster)", 0, "virtual_server", null, "the files have no virtual_server: the cluster's "
                    + haveVs.size() + " virtual server(s) are left as they are"));
        }
        if (filesHaveInstances) {
            for (io.lvscp.model.VrrpInstance gone : instanceRepository.findByClusterIdOrderByName(clusterId)) {
                if (!instanceNames.contains(gone.getName())) {
                    VrrpInstanceResponse before = vrrpInstances.get(clusterName, gone.getName());
                    Source none = new Source("(cluster)", 0, "vrrp_instance");
                    if (call(errors, Map.of(), Map.of("", none), () -> {
                        vrrpInstances.delete(clusterName, gone.getName());
                        return true;
                    }) != null) {
                        changes.add("DELETE", "vrrp-instance", gone.getId(), gone.getName(), before, null);
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
            throw new KeepalivedImportProblem(errors, warnings);
        }
        long staged = changes.list.stream().filter(c -> c.resource().equals("virtual-server") || c.resource().equals("real-server"))
                .count();
        if (staged > 0) {
            events.configChange(clusterId, clusterName, "IMPORT", "cluster", clusterId, "imported keepalived.conf ("
                    + String.join(", ", mainFiles) + "): " + summary(changes), null, Map.of("changes", staged));
            generation.bump();
        }
        if (dryRun) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
        }
        return new ImportResponse(dryRun, cluster, ds, vis, vss, rss, changes.list, changes.unchanged, warnings);
    }

    private static String summary(Changes changes) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        changes.list.forEach(c -> counts.merge(c.action().toLowerCase(Locale.ROOT) + " " + c.resource(), 1L, Long::sum));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", "))
                + (changes.unchanged > 0 ? ", " + changes.unchanged + " unchanged" : "");
    }

    private static String canonical(String address) {
        try {
            return Addresses.canonical(address);
        } catch (RuntimeException e) {
            return address;
        }
    }

    /** The changes of one import; an update that changed nothing counts as unchanged. */
    private static final class Changes {
        final List<Change> list = new ArrayList<>();
        int unchanged;

        void add(String action, String resource, Long id, String name, Object before, Object after) {
            list.add(new Change(action, resource, id, name, before, after));
        }

        void updated(String resource, Long id, String name, Object before, Object after) {
            if (before.equals(after)) {
                unchanged++;
            } else {
                add("UPDATE", resource, id, name, before, after);
            }
        }
    }

    private static String endpoint(String address, int port) {
        try {
            return Addresses.hostPort(Addresses.format(Addresses.parse(address)), port);
        } catch (RuntimeException e) {
            return address + ":" + port;
        }
    }

    /** How a stored virtual server and an imported one are matched: VIP, port and protocol, or the firewall mark. */
    private static String key(VirtualServer v) {
        return v.getFwmark() != null ? "fwmark " + v.getFwmark()
                : endpoint(v.getVip(), v.getPort()) + "/" + v.getProtocol().wireName().toLowerCase(Locale.ROOT);
    }

    private static String key(ImportedCluster.VirtualServer v) {
        return v.fwmark() != null ? "fwmark " + v.fwmark()
                : endpoint(v.vip(), v.port() == null ? 0 : v.port()) + "/"
                        + (v.protocol() == null ? "tcp" : v.protocol().toLowerCase(Locale.ROOT));
    }

    /**
     * Runs a service call; its field errors are added to {@code errors}, renamed to the file, line and keyword the value
     * came from, and null is returned.
     */
    private static <T> T call(List<ImportIssue> errors, Map<String, String> fields, Map<String, Source> sources, Supplier<T> action) {
        try {
            return action.get();
        } catch (ApiException e) {
            Source block = sources.values().stream().findFirst().orElse(null);
            List<FieldError> fes = e.errors().isEmpty() ? List.of(new FieldError(null, e.getMessage(), null)) : e.errors();
            for (FieldError fe : fes) {
                String field = fe.field() == null ? "" : fe.field();
                String base = field.replaceAll("\\[\\d+]", "");
                String keyword = fields.get(base);
                if (keyword == null && base.contains(".")) {
                    keyword = fields.get(base.substring(0, base.indexOf('.')));
                }
                Source s = keyword == null ? block : sources.getOrDefault(keyword, block);
                errors.add(new ImportIssue(s == null ? "(request)" : s.file(), s == null ? 0 : s.line(),
                        s == null ? field : s.keyword(), fe.rejectedValue() == null ? null : String.valueOf(fe.rejectedValue()),
                        (field.isEmpty() ? "" : field + " ") + fe.reason()));
            }
            return null;
        }
    }
}
