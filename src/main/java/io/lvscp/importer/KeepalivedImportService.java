package io.lvscp.importer;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldError;
import io.lvscp.cluster.Cluster;
import io.lvscp.cluster.ClusterRepository;
import io.lvscp.cluster.ClusterRequest;
import io.lvscp.cluster.Director;
import io.lvscp.cluster.DirectorRepository;
import io.lvscp.cluster.RealServer;
import io.lvscp.cluster.RealServerRepository;
import io.lvscp.cluster.VirtualServer;
import io.lvscp.cluster.VirtualServerRepository;
import io.lvscp.cluster.VrrpInstanceRepository;
import io.lvscp.common.Addresses;
import io.lvscp.cluster.ClusterResponse;
import io.lvscp.cluster.ClusterService;
import io.lvscp.cluster.DirectorRequest;
import io.lvscp.cluster.DirectorResponse;
import io.lvscp.cluster.DirectorService;
import io.lvscp.cluster.RealServerRequest;
import io.lvscp.cluster.RealServerResponse;
import io.lvscp.cluster.RealServerService;
import io.lvscp.cluster.VirtualServerRequest;
import io.lvscp.cluster.VirtualServerResponse;
import io.lvscp.cluster.VirtualServerService;
import io.lvscp.cluster.VrrpInstanceRequest;
import io.lvscp.cluster.VrrpInstanceResponse;
import io.lvscp.cluster.VrrpInstanceService;
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
import org.springframework.http.HttpStatus;
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
            Map.entry("priorities", "priority"), Map.entry("vips", "virtual_ipaddress"));
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
            Map.entry("healthCheck.delayBeforeRetry", "delay_before_retry"));

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

    KeepalivedImportService(ClusterService clusters, DirectorService directors, VrrpInstanceService vrrpInstances,
            VirtualServerService virtualServers, RealServerService realServers, ClusterRepository clusterRepository,
            DirectorRepository directorRepository, VrrpInstanceRepository instanceRepository,
            VirtualServerRepository virtualServerRepository, RealServerRepository realServerRepository) {
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

    @Transactional
    public ImportResponse importFiles(String clusterName, List<String> mainFiles, Map<String, String> files,
            Map<String, DirectorSpec> specs, boolean dryRun) {
        ImportedCluster model;
        try {
            Map<String, String> names = new java.util.HashMap<>();
            specs.forEach((file, spec) -> names.put(file, spec.nodeName()));
            model = KeepalivedMapper.map(mainFiles, files, names);
        } catch (ConfParseException e) {
            throw ApiException.invalid(e.where(), e.detail(), null);
        } catch (KeepalivedImportException e) {
            throw ApiException.invalid(e.errors().stream()
                    .map(i -> new FieldError(i.where() + " " + i.keyword(), i.message(), i.value())).toList());
        }
        Changes changes = new Changes();
        ClusterResponse cluster;
        Optional<Cluster> existing = clusterRepository.findByName(clusterName);
        if (existing.isPresent()) {
            cluster = clusters.get(clusterName);
        } else {
            cluster = clusters.create(new ClusterRequest(clusterName, "imported from keepalived.conf", null));
            changes.add("CREATE", "cluster", cluster.id(), clusterName, null, cluster);
        }
        long clusterId = cluster.id();
        List<ImportIssue> warnings = new ArrayList<>(model.warnings());

        List<DirectorResponse> ds = new ArrayList<>();
        Set<String> nodes = new HashSet<>();
        for (ImportedCluster.Director d : model.directors()) {
            DirectorSpec spec = specs.get(d.file());
            Source at = new Source(d.file(), 1, "router_id");
            nodes.add(d.nodeName());
            Optional<Director> have = directorRepository.findByNodeName(d.nodeName())
                    .filter(x -> x.getCluster().getId().equals(clusterId));
            if (have.isPresent()) {
                DirectorResponse before = directors.get(clusterName, d.nodeName());
                String address = spec == null || spec.managementAddress() == null ? before.managementAddress() : spec.managementAddress();
                DirectorResponse after = call(Map.of(), Map.of("", at), () -> directors.update(clusterName, d.nodeName(),
                        new DirectorRequest(d.nodeName(), address, d.interfaceName(), null), null, false));
                changes.updated("director", after.id(), d.nodeName(), before, after);
                ds.add(after);
            } else {
                DirectorResponse created = call(Map.of(), Map.of("", at), () -> directors.create(clusterName,
                        new DirectorRequest(d.nodeName(), spec == null ? null : spec.managementAddress(), d.interfaceName(), null)));
                changes.add("CREATE", "director", created.id(), d.nodeName(), null, created);
                ds.add(created);
            }
        }
        for (Director d : directorRepository.findByClusterIdOrderByNodeName(clusterId)) {
            if (!nodes.contains(d.getNodeName())) {
                warnings.add(new ImportIssue("(cluster)", 0, "director", d.getNodeName(),
                        "director " + d.getNodeName() + " is in the cluster but in none of the files: left as it is"));
            }
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
                    vips, null);
            instanceNames.add(vi.name());
            if (instanceRepository.findByClusterIdAndName(clusterId, vi.name()).isPresent()) {
                VrrpInstanceResponse before = vrrpInstances.get(clusterName, vi.name());
                VrrpInstanceResponse after = call(VRRP_FIELDS, vi.sources(),
                        () -> vrrpInstances.update(clusterName, vi.name(), req, null, false));
                changes.updated("vrrp-instance", after.id(), vi.name(), before, after);
                vis.add(after);
            } else {
                VrrpInstanceResponse created = call(VRRP_FIELDS, vi.sources(), () -> vrrpInstances.create(clusterName, req));
                changes.add("CREATE", "vrrp-instance", created.id(), vi.name(), null, created);
                vis.add(created);
            }
        }

        List<VirtualServerResponse> vss = new ArrayList<>();
        List<RealServerResponse> rss = new ArrayList<>();
        Map<String, VirtualServer> haveVs = new HashMap<>();
        virtualServerRepository.findByClusterId(clusterId).forEach(v -> haveVs.put(key(v), v));
        Set<Long> keptVs = new HashSet<>();
        for (ImportedCluster.VirtualServer vs : model.virtualServers()) {
            String instance = model.vrrpInstances().stream()
                    .filter(vi -> vs.vip() != null && vi.vips().stream().anyMatch(v -> vs.vip().equals(v.address())))
                    .map(ImportedCluster.VrrpInstance::name).findFirst()
                    .orElse(model.vrrpInstances().isEmpty() ? null : model.vrrpInstances().get(0).name());
            VirtualServerRequest req = new VirtualServerRequest(null, instance, vs.vip(), vs.port(), vs.protocol(), vs.fwmark(),
                    vs.scheduler(), vs.forwarding(), vs.persistenceTimeout(), vs.persistenceNetmask(), vs.delayLoop(), null, null, null,
                    vs.alpha(), vs.quorum(), vs.hysteresis(),
                    vs.sorryAddress() == null ? null : new VirtualServerRequest.SorryServer(vs.sorryAddress(), vs.sorryPort()), null);
            VirtualServer match = haveVs.get(key(vs));
            VirtualServerResponse result;
            if (match != null) {
                VirtualServerResponse before = virtualServers.get(clusterName, match.getId());
                result = call(VS_FIELDS, vs.sources(), () -> virtualServers.update(clusterName, match.getId(), req, null, false));
                changes.updated("virtual-server", result.id(), result.label(), before, result);
            } else {
                result = call(VS_FIELDS, vs.sources(), () -> virtualServers.create(clusterName, req));
                changes.add("CREATE", "virtual-server", result.id(), result.label(), null, result);
            }
            keptVs.add(result.id());
            vss.add(result);
            VirtualServerResponse owner = result;
            Map<String, RealServer> haveRs = new HashMap<>();
            realServerRepository.findByVirtualServerIdOrderById(result.id())
                    .forEach(r -> haveRs.put(Addresses.hostPort(r.getAddress(), r.getPort()), r));
            Set<Long> keptRs = new HashSet<>();
            for (ImportedCluster.RealServer rs : vs.realServers()) {
                RealServerRequest.HealthCheck check = rs.checkType() == null ? null
                        : new RealServerRequest.HealthCheck(rs.checkType(), rs.path(), rs.statusCodes(), rs.digest(), null,
                                rs.command(), rs.connectPort(), rs.connectTimeout(), rs.retry(), rs.delayBeforeRetry(), null);
                RealServer rmatch = haveRs.get(endpoint(rs.address(), rs.port() == null ? 0 : rs.port()));
                RealServerResponse r;
                if (rmatch != null) {
                    RealServerResponse before = realServers.get(clusterName, owner.id(), rmatch.getId());
                    // the administrative state (enabled, draining, disabled) is the operators', not the file's: kept
                    RealServerRequest req2 = new RealServerRequest(rs.address(), rs.port(), rs.weight(), before.state(),
                            rs.inhibitOnFailure(), null, null, check, null);
                    r = call(RS_FIELDS, rs.sources(), () -> realServers.update(clusterName, owner.id(), rmatch.getId(), req2, null, false));
                    changes.updated("real-server", r.id(), Addresses.hostPort(r.address(), r.port()) + " of " + owner.label(), before, r);
                } else {
                    r = call(RS_FIELDS, rs.sources(), () -> realServers.create(clusterName, owner.id(),
                            new RealServerRequest(rs.address(), rs.port(), rs.weight(), null, rs.inhibitOnFailure(), null, null, check,
                                    null)));
                    changes.add("CREATE", "real-server", r.id(), Addresses.hostPort(r.address(), r.port()) + " of " + owner.label(), null,
                            r);
                }
                keptRs.add(r.id());
                rss.add(r);
            }
            for (RealServer gone : haveRs.values()) {
                if (!keptRs.contains(gone.getId())) {
                    RealServerResponse before = realServers.get(clusterName, owner.id(), gone.getId());
                    realServers.delete(clusterName, owner.id(), gone.getId());
                    changes.add("DELETE", "real-server", gone.getId(),
                            Addresses.hostPort(gone.getAddress(), gone.getPort()) + " of " + owner.label(), before, null);
                }
            }
        }
        for (VirtualServer gone : haveVs.values()) {
            if (!keptVs.contains(gone.getId())) {
                VirtualServerResponse before = virtualServers.get(clusterName, gone.getId());
                virtualServers.delete(clusterName, gone.getId());
                changes.add("DELETE", "virtual-server", gone.getId(), before.label(), before, null);
            }
        }
        for (io.lvscp.cluster.VrrpInstance gone : instanceRepository.findByClusterIdOrderByName(clusterId)) {
            if (!instanceNames.contains(gone.getName())) {
                VrrpInstanceResponse before = vrrpInstances.get(clusterName, gone.getName());
                vrrpInstances.delete(clusterName, gone.getName());
                changes.add("DELETE", "vrrp-instance", gone.getId(), gone.getName(), before, null);
            }
        }
        if (dryRun) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
        }
        return new ImportResponse(dryRun, cluster, ds, vis, vss, rss, changes.list, changes.unchanged, warnings);
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

    /** Runs a service call; its field errors are renamed to the file, line and keyword the value came from. */
    private static <T> T call(Map<String, String> fields, Map<String, Source> sources, Supplier<T> action) {
        try {
            return action.get();
        } catch (ApiException e) {
            Source block = sources.values().stream().findFirst().orElse(null);
            List<FieldError> renamed = e.errors().stream().map(fe -> {
                String field = fe.field() == null ? "" : fe.field();
                String base = field.replaceAll("\\[\\d+]", "");
                String keyword = fields.getOrDefault(base, fields.get(base.contains(".") ? base : base));
                if (keyword == null && base.contains(".")) {
                    keyword = fields.get(base.substring(0, base.indexOf('.')));
                }
                Source s = keyword == null ? block : sources.getOrDefault(keyword, block);
                String where = s == null ? field : s.file() + ":" + s.line() + " " + s.keyword();
                return new FieldError(where, field + " " + fe.reason(), fe.rejectedValue());
            }).toList();
            HttpStatus status = e.status();
            throw new ApiException(status, e.type(), e.title(), e.getMessage(), renamed);
        }
    }
}
