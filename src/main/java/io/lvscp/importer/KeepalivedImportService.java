package io.lvscp.importer;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldError;
import io.lvscp.cluster.ClusterRequest;
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
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * Creates one cluster from keepalived.conf files in one transaction, through the cluster services, so every domain
 * rule applies. A dry run does the same and rolls back. A service's complaint names the file and line of the keyword
 * that produced the value.
 */
@Service
public class KeepalivedImportService {

    /** What was (or, for a dry run, would be) created, and what the files said that is not stored. */
    public record ImportResponse(boolean dryRun, ClusterResponse cluster, List<DirectorResponse> directors,
            List<VrrpInstanceResponse> vrrpInstances, List<VirtualServerResponse> virtualServers,
            List<RealServerResponse> realServers, List<ImportIssue> warnings) {
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

    private final ClusterService clusters;
    private final DirectorService directors;
    private final VrrpInstanceService vrrpInstances;
    private final VirtualServerService virtualServers;
    private final RealServerService realServers;

    KeepalivedImportService(ClusterService clusters, DirectorService directors, VrrpInstanceService vrrpInstances,
            VirtualServerService virtualServers, RealServerService realServers) {
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
        ClusterResponse cluster;
        try {
            cluster = clusters.create(new ClusterRequest(clusterName, "imported from keepalived.conf", null));
        } catch (ApiException e) {
            if (e.status() == HttpStatus.CONFLICT) {
                throw ApiException.conflict("cluster",
                        "already exists: the import creates a new cluster (updating an existing one is not implemented yet)",
                        clusterName);
            }
            throw e;
        }
        List<DirectorResponse> ds = new ArrayList<>();
        for (ImportedCluster.Director d : model.directors()) {
            DirectorSpec spec = specs.get(d.file());
            Source at = new Source(d.file(), 1, "router_id");
            ds.add(call(Map.of(), Map.of("", at),
                    () -> directors.create(clusterName, new DirectorRequest(d.nodeName(),
                            spec == null ? null : spec.managementAddress(), d.interfaceName(), null))));
        }
        List<VrrpInstanceResponse> vis = new ArrayList<>();
        for (ImportedCluster.VrrpInstance vi : model.vrrpInstances()) {
            List<VrrpInstanceRequest.PriorityDto> prios = vi.priorities().entrySet().stream()
                    .map(e -> new VrrpInstanceRequest.PriorityDto(e.getKey(), e.getValue())).toList();
            List<VrrpInstanceRequest.VipDto> vips = vi.vips().stream()
                    .map(v -> new VrrpInstanceRequest.VipDto(v.address(), v.prefixLength(), v.device(), v.label())).toList();
            vis.add(call(VRRP_FIELDS, vi.sources(), () -> vrrpInstances.create(clusterName, new VrrpInstanceRequest(vi.name(),
                    vi.vrid(), vi.interfaceName(), vi.vrrpVersion() == null ? 2 : vi.vrrpVersion(), vi.advertInterval(),
                    vi.preempt(), vi.preemptDelay(), vi.authType(), vi.authPassword(), vi.multicastGroup(),
                    vi.unicastPeers().isEmpty() ? null : vi.unicastPeers(), vi.syncGroup(), prios, vips, null))));
        }
        List<VirtualServerResponse> vss = new ArrayList<>();
        List<RealServerResponse> rss = new ArrayList<>();
        for (ImportedCluster.VirtualServer vs : model.virtualServers()) {
            String instance = model.vrrpInstances().stream()
                    .filter(vi -> vs.vip() != null && vi.vips().stream().anyMatch(v -> vs.vip().equals(v.address())))
                    .map(ImportedCluster.VrrpInstance::name).findFirst()
                    .orElse(model.vrrpInstances().isEmpty() ? null : model.vrrpInstances().get(0).name());
            VirtualServerResponse created = call(VS_FIELDS, vs.sources(), () -> virtualServers.create(clusterName,
                    new VirtualServerRequest(null, instance, vs.vip(), vs.port(), vs.protocol(), vs.fwmark(), vs.scheduler(),
                            vs.forwarding(), vs.persistenceTimeout(), vs.persistenceNetmask(), vs.delayLoop(), null, null,
                            null, vs.alpha(), vs.quorum(), vs.hysteresis(), vs.sorryAddress() == null ? null
                                    : new VirtualServerRequest.SorryServer(vs.sorryAddress(), vs.sorryPort()), null)));
            vss.add(created);
            for (ImportedCluster.RealServer rs : vs.realServers()) {
                RealServerRequest.HealthCheck check = rs.checkType() == null ? null
                        : new RealServerRequest.HealthCheck(rs.checkType(), rs.path(), rs.statusCodes(), rs.digest(), null,
                                rs.command(), rs.connectPort(), rs.connectTimeout(), rs.retry(), rs.delayBeforeRetry(), null);
                rss.add(call(RS_FIELDS, rs.sources(), () -> realServers.create(clusterName, created.id(),
                        new RealServerRequest(rs.address(), rs.port(), rs.weight(), null, rs.inhibitOnFailure(), null, null,
                                check, null))));
            }
        }
        if (dryRun) {
            TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
        }
        return new ImportResponse(dryRun, cluster, ds, vis, vss, rss, model.warnings());
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
