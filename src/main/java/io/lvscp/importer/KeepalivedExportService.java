package io.lvscp.importer;

import io.lvscp.api.ApiException;
import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterLookup;
import io.lvscp.director.DirectorResponse;
import io.lvscp.director.DirectorService;
import io.lvscp.realserver.RealServerResponse;
import io.lvscp.realserver.RealServerService;
import io.lvscp.model.VirtualServerRepository;
import io.lvscp.virtualserver.VirtualServerResponse;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.model.VrrpInstanceRepository;
import io.lvscp.vrrpinstance.VrrpInstanceResponse;
import io.lvscp.vrrpinstance.VrrpInstanceService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads a cluster through the cluster services into an {@link ImportedCluster} and writes one director's
 * keepalived.conf with {@link KeepalivedWriter}. The VRRP password is not in the API's responses, so it is read from
 * the instance itself (read only).
 */
@Service
public class KeepalivedExportService {

    private final ClusterLookup lookup;
    private final DirectorService directors;
    private final VrrpInstanceService vrrpInstances;
    private final VrrpInstanceRepository vrrpRepository;
    private final VirtualServerService virtualServers;
    private final VirtualServerRepository virtualServerRepository;
    private final RealServerService realServers;

    KeepalivedExportService(ClusterLookup lookup, DirectorService directors, VrrpInstanceService vrrpInstances,
            VrrpInstanceRepository vrrpRepository, VirtualServerService virtualServers,
            VirtualServerRepository virtualServerRepository, RealServerService realServers) {
        this.lookup = lookup;
        this.directors = directors;
        this.vrrpInstances = vrrpInstances;
        this.vrrpRepository = vrrpRepository;
        this.virtualServers = virtualServers;
        this.virtualServerRepository = virtualServerRepository;
        this.realServers = realServers;
    }

    @Transactional(readOnly = true)
    public String export(String clusterRef, String directorRef) {
        Cluster cluster = lookup.require(clusterRef);
        DirectorResponse director = directors.get(clusterRef, directorRef);
        return KeepalivedWriter.write(model(cluster, clusterRef), director.nodeName());
    }

    @Transactional(readOnly = true)
    public ImportedCluster model(String clusterRef) {
        return model(lookup.require(clusterRef), clusterRef);
    }

    private ImportedCluster model(Cluster cluster, String clusterRef) {
        List<ImportedCluster.Director> ds = directors.all(clusterRef).stream()
                .map(d -> new ImportedCluster.Director(d.nodeName(), null, d.nodeName(), d.interfaceName(), 0)).toList();
        List<ImportedCluster.VrrpInstance> vis = new ArrayList<>();
        for (VrrpInstanceResponse v : vrrpInstances.all(clusterRef)) {
            String password = vrrpRepository.findByClusterIdAndName(cluster.getId(), v.name())
                    .map(i -> i.getAuthPassword()).orElse(null);
            Map<String, Integer> priorities = new LinkedHashMap<>();
            v.priorities().forEach(p -> priorities.put(p.director(), p.priority()));
            vis.add(new ImportedCluster.VrrpInstance(v.name(), v.vrid(), v.interfaceName(), v.vrrpVersion(), v.advertInterval(),
                    v.preempt() ? null : false, v.preemptDelay(), v.authType(), password, v.multicastGroup(),
                    v.unicastPeers() == null ? List.of() : v.unicastPeers(), v.syncGroup(), priorities, null,
                    v.vips().stream().map(x -> new ImportedCluster.Vip(x.address(), x.prefixLength(), x.device(), x.label()))
                            .toList(), Map.of(), v.connectionSync() == null ? null : new ImportedCluster.ConnectionSync(
                                    v.connectionSync().interfaceName(), v.connectionSync().syncId(), v.connectionSync().maxLength(),
                                    v.connectionSync().group(), v.connectionSync().port(), v.connectionSync().ttl())));
        }
        List<ImportedCluster.VirtualServer> vss = new ArrayList<>();
        for (var entity : virtualServerRepository.findByClusterId(cluster.getId())) {
            VirtualServerResponse s = virtualServers.get(clusterRef, entity.getId());
            List<ImportedCluster.RealServer> rss = new ArrayList<>();
            for (RealServerResponse r : realServers.all(clusterRef, s.id())) {
                // a real server without a check has type NONE: no checker block (keepalived has no NONE keyword)
                var hc = r.healthCheck() == null || r.healthCheck().type() == null || "NONE".equals(r.healthCheck().type()) ? null
                        : r.healthCheck();
                rss.add(new ImportedCluster.RealServer(r.address(), r.port() == 0 ? null : r.port(), r.weight(),
                        r.inhibitOnFailure() ? true : null, hc == null ? null : hc.type(), hc == null ? null : hc.path(),
                        hc == null ? null : hc.statusCodes(), hc == null ? null : hc.digest(), hc == null ? null : hc.command(),
                        hc == null ? null : hc.connectPort(), hc == null ? null : hc.connectTimeout(),
                        hc == null ? null : hc.retry(), hc == null ? null : hc.delayBeforeRetry(), hc == null ? null : hc.virtualhost(),
                        hc == null ? null : hc.connectIp(), hc == null ? null : hc.bindTo(), hc == null ? null : hc.miscTimeout(),
                        r.upperThreshold(), r.lowerThreshold(), Map.of()));
            }
            vss.add(new ImportedCluster.VirtualServer(s.vip(), s.port(), s.fwmark() == null ? s.protocol() : null, s.fwmark(),
                    s.scheduler(), s.forwarding(), s.persistenceTimeout(), s.persistenceNetmask(), s.delayLoop(), s.quorum(),
                    s.hysteresis(), s.alpha() ? true : null, s.sorryServer() == null ? null : s.sorryServer().address(),
                    s.sorryServer() == null ? null : s.sorryServer().port(), rss, Map.of()));
        }
        if (ds.isEmpty()) {
            throw ApiException.notFound("directors of cluster '" + clusterRef + "'");
        }
        return new ImportedCluster(ds, vis, vss, List.of());
    }
}
