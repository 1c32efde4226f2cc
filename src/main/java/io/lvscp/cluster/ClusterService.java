package io.lvscp.cluster;

import io.lvscp.api.Names;
import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterLookup;
import io.lvscp.model.ClusterRepository;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.DirectorRepository;
import io.lvscp.model.RealServerRepository;
import io.lvscp.model.VirtualServer;
import io.lvscp.model.VirtualServerRepository;
import io.lvscp.model.VrrpInstanceRepository;
import io.lvscp.api.ApiException;
import io.lvscp.api.FieldErrors;
import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
import io.lvscp.event.EventService;
import io.lvscp.api.MergePatch;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional
public class ClusterService {

    private final ClusterRepository clusters;
    private final DirectorRepository directors;
    private final VrrpInstanceRepository instances;
    private final VirtualServerRepository virtualServers;
    private final RealServerRepository realServers;
    private final ClusterLookup lookup;
    private final EventService events;
    private final ConfigGeneration generation;
    private final MergePatch mergePatch;

    ClusterService(ClusterRepository clusters, DirectorRepository directors, VrrpInstanceRepository instances,
            VirtualServerRepository virtualServers, RealServerRepository realServers, ClusterLookup lookup, EventService events,
            ConfigGeneration generation, MergePatch mergePatch) {
        this.mergePatch = mergePatch;
        this.clusters = clusters;
        this.directors = directors;
        this.instances = instances;
        this.virtualServers = virtualServers;
        this.realServers = realServers;
        this.lookup = lookup;
        this.events = events;
        this.generation = generation;
    }

    @Transactional(readOnly = true)
    public PageResponse<ClusterResponse> list(Pageable pageable) {
        return PageResponse.of(clusters.findAll(pageable), ClusterResponse::of);
    }

    @Transactional(readOnly = true)
    public List<ClusterResponse> all() {
        return clusters.findAll(org.springframework.data.domain.Sort.by("name")).stream().map(ClusterResponse::of).toList();
    }

    @Transactional(readOnly = true)
    public ClusterResponse get(String ref) {
        return ClusterResponse.of(lookup.require(ref));
    }

    /** JSON Merge Patch: the stored cluster with the patch laid over it, checked as a full update. */
    public ClusterResponse patch(String ref, Map<String, Object> patch, String ifMatch) {
        Cluster c = lookup.require(ref);
        ClusterRequest merged = mergePatch.apply(new ClusterRequest(c.getName(), c.getDescription(), null), patch, ClusterRequest.class);
        return update(ref, merged, ifMatch, false);
    }

    public ClusterResponse create(ClusterRequest req) {
        io.lvscp.api.Requests.check(req);
        validate(req, null);
        Cluster c = clusters.saveAndFlush(new Cluster(req.name(), blankToNull(req.description())));
        ClusterResponse after = ClusterResponse.of(c);
        events.configChange(c.getId(), c.getName(), "CREATE", "cluster", c.getId(), "created cluster " + c.getName(), null, after);
        generation.bump();
        return after;
    }

    public ClusterResponse update(String ref, ClusterRequest req, String ifMatch, boolean full) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(ref);
        Versions.check(ifMatch, req.version(), c.getVersion(), full);
        validate(req, c);
        ClusterResponse before = ClusterResponse.of(c);
        c.setName(req.name());
        c.setDescription(blankToNull(req.description()));
        clusters.saveAndFlush(c);
        ClusterResponse after = ClusterResponse.of(c);
        events.configChange(c.getId(), c.getName(), "UPDATE", "cluster", c.getId(), "updated cluster " + c.getName(), before, after);
        generation.bump();
        return after;
    }

    public void delete(String ref, boolean cascade) {
        Cluster c = lookup.require(ref);
        long vsCount = virtualServers.countByClusterId(c.getId());
        if (vsCount > 0 && !cascade) {
            throw ApiException.conflict("cascade", "cluster '" + c.getName() + "' still has " + vsCount
                    + " virtual server(s); delete them first or pass ?cascade=true to delete them with it", false);
        }
        realServers.deleteByCluster(c.getId());
        List<VirtualServer> vss = virtualServers.findByClusterId(c.getId());
        virtualServers.deleteAll(vss);
        virtualServers.flush();
        instances.deleteAll(instances.findByClusterIdOrderByName(c.getId()));
        instances.flush();
        directors.deleteAll(directors.findByClusterIdOrderByNodeName(c.getId()));
        directors.flush();
        ClusterResponse before = ClusterResponse.of(c);
        clusters.delete(c);
        clusters.flush();
        events.configChange(c.getId(), c.getName(), "DELETE", "cluster", c.getId(),
                "deleted cluster " + c.getName() + (vss.isEmpty() ? "" : " with " + vss.size() + " virtual server(s)"), before, null);
        generation.bump();
    }

    private void validate(ClusterRequest req, Cluster existing) {
        FieldErrors errors = new FieldErrors();
        Names.name(errors, "name", req.name());
        if (req.description() != null && req.description().length() > 1000) {
            errors.add("description", "must be at most 1000 characters", req.description().length());
        }
        errors.throwIfAny();
        clusters.findByName(req.name()).filter(other -> existing == null || !other.getId().equals(existing.getId()))
                .ifPresent(other -> {
                    throw ApiException.conflict("name", "a cluster named '" + req.name() + "' already exists", req.name());
                });
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
