package io.lvscp.model;

import io.lvscp.api.ApiException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Resolves the path segments of the API: a cluster, director or VRRP instance is
 * named by its numeric id or by its name (names always start with a letter).
 */
@Component
public class ClusterLookup {

    private final ClusterRepository clusters;
    private final DirectorRepository directors;
    private final VrrpInstanceRepository instances;
    private final VirtualServerRepository virtualServers;
    private final RealServerRepository realServers;

    ClusterLookup(ClusterRepository clusters, DirectorRepository directors, VrrpInstanceRepository instances,
            VirtualServerRepository virtualServers, RealServerRepository realServers) {
        this.clusters = clusters;
        this.directors = directors;
        this.instances = instances;
        this.virtualServers = virtualServers;
        this.realServers = realServers;
    }

    public static boolean isId(String ref) {
        return !ref.isEmpty() && ref.length() < 19 && ref.chars().allMatch(Character::isDigit);
    }

    @Transactional(readOnly = true)
    public Cluster require(String ref) {
        return (isId(ref) ? clusters.findById(Long.parseLong(ref)) : clusters.findByName(ref))
                .orElseThrow(() -> ApiException.notFound("cluster '" + ref + "'"));
    }

    public Director director(Cluster cluster, String ref) {
        return (isId(ref) ? directors.findById(Long.parseLong(ref)) : directors.findByNodeName(ref))
                .filter(d -> d.getCluster().getId().equals(cluster.getId()))
                .orElseThrow(() -> ApiException.notFound("director '" + ref + "' in cluster '" + cluster.getName() + "'"));
    }

    public VrrpInstance instance(Cluster cluster, String ref) {
        return (isId(ref) ? instances.findById(Long.parseLong(ref)).filter(i -> i.getCluster().getId().equals(cluster.getId()))
                : instances.findByClusterIdAndName(cluster.getId(), ref))
                .orElseThrow(() -> ApiException.notFound("VRRP instance '" + ref + "' in cluster '" + cluster.getName() + "'"));
    }

    public VirtualServer virtualServer(Cluster cluster, long id) {
        return virtualServers.findByIdAndClusterId(id, cluster.getId())
                .orElseThrow(() -> ApiException.notFound("virtual server " + id + " in cluster '" + cluster.getName() + "'"));
    }

    public RealServer realServer(VirtualServer vs, long id) {
        return realServers.findByIdAndVirtualServerId(id, vs.getId())
                .orElseThrow(() -> ApiException.notFound("real server " + id + " in virtual server " + vs.getId()));
    }
}
