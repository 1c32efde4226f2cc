package io.lvscp.director;

import io.lvscp.api.Names;
import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterLookup;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.Director;
import io.lvscp.model.DirectorRepository;
import io.lvscp.model.VrrpInstance;
import io.lvscp.model.VrrpInstanceRepository;
import io.lvscp.api.ApiException;
import io.lvscp.api.FieldErrors;
import io.lvscp.api.MergePatch;
import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
import io.lvscp.common.Addresses;
import io.lvscp.event.EventService;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional
public class DirectorService {

    private final DirectorRepository directors;
    private final VrrpInstanceRepository instances;
    private final ClusterLookup lookup;
    private final EventService events;
    private final ConfigGeneration generation;
    private final MergePatch mergePatch;

    DirectorService(DirectorRepository directors, VrrpInstanceRepository instances, ClusterLookup lookup, EventService events,
            ConfigGeneration generation, MergePatch mergePatch) {
        this.directors = directors;
        this.instances = instances;
        this.lookup = lookup;
        this.events = events;
        this.generation = generation;
        this.mergePatch = mergePatch;
    }

    @Transactional(readOnly = true)
    public PageResponse<DirectorResponse> list(String clusterRef, Pageable pageable) {
        if (clusterRef == null) {
            return PageResponse.of(directors.findAll(pageable), DirectorResponse::of);
        }
        return PageResponse.of(directors.findByClusterId(lookup.require(clusterRef).getId(), pageable), DirectorResponse::of);
    }

    @Transactional(readOnly = true)
    public List<DirectorResponse> all(String clusterRef) {
        return directors.findByClusterIdOrderByNodeName(lookup.require(clusterRef).getId()).stream().map(DirectorResponse::of).toList();
    }

    @Transactional(readOnly = true)
    public DirectorResponse get(String clusterRef, String ref) {
        Cluster c = lookup.require(clusterRef);
        return DirectorResponse.of(lookup.director(c, ref));
    }

    public DirectorResponse create(String clusterRef, DirectorRequest req) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(clusterRef);
        Director d = new Director(c);
        apply(d, req);
        directors.saveAndFlush(d);
        DirectorResponse after = DirectorResponse.of(d);
        events.configChange(c.getId(), c.getName(), "CREATE", "director", d.getId(), "added director " + d.getNodeName(), null, after);
        generation.bump();
        return after;
    }

    public DirectorResponse update(String clusterRef, String ref, DirectorRequest req, String ifMatch, boolean full) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(clusterRef);
        Director d = lookup.director(c, ref);
        Versions.check(ifMatch, req.version(), d.getVersion(), full);
        DirectorResponse before = DirectorResponse.of(d);
        apply(d, req);
        directors.saveAndFlush(d);
        DirectorResponse after = DirectorResponse.of(d);
        if (after.equals(before)) {
            return after; // nothing changed (the row was not written): no event, no new generation
        }
        events.configChange(c.getId(), c.getName(), "UPDATE", "director", d.getId(), "updated director " + d.getNodeName(), before,
                after);
        generation.bump();
        return after;
    }

    public DirectorResponse patch(String clusterRef, String ref, Map<String, Object> patch, String ifMatch) {
        Director d = lookup.director(lookup.require(clusterRef), ref);
        DirectorRequest base = new DirectorRequest(d.getNodeName(), d.getManagementAddress(), d.getInterfaceName(), null);
        return update(clusterRef, ref, mergePatch.apply(base, patch, DirectorRequest.class), ifMatch, false);
    }

    /** Deletes the director; it leaves every VRRP instance it had a priority in. */
    public void delete(String clusterRef, String ref) {
        Cluster c = lookup.require(clusterRef);
        Director d = lookup.director(c, ref);
        for (VrrpInstance i : instances.findAllUsingDirector(d.getId())) {
            i.replacePriorities(i.getPriorities().stream().filter(p -> !p.getDirectorId().equals(d.getId())).toList());
        }
        instances.flush();
        DirectorResponse before = DirectorResponse.of(d);
        directors.delete(d);
        directors.flush();
        events.configChange(c.getId(), c.getName(), "DELETE", "director", d.getId(), "removed director " + d.getNodeName(), before, null);
        generation.bump();
    }

    private void apply(Director d, DirectorRequest req) {
        FieldErrors errors = new FieldErrors();
        Names.nodeName(errors, "nodeName", req.nodeName());
        String mgmt = null;
        if (req.managementAddress() == null || req.managementAddress().isBlank()) {
            errors.add("managementAddress", "is required", req.managementAddress());
        } else {
            mgmt = errors.parse("managementAddress", req.managementAddress(), () -> Addresses.canonical(req.managementAddress()));
        }
        Names.interfaceName(errors, "interfaceName", req.interfaceName());
        errors.throwIfAny();
        directors.findByNodeName(req.nodeName()).filter(other -> !other.getId().equals(d.getId())).ifPresent(other -> {
            throw ApiException.conflict("nodeName", "node '" + req.nodeName() + "' is already a director of cluster '"
                    + other.getCluster().getName() + "'", req.nodeName());
        });
        d.setNodeName(req.nodeName());
        d.setManagementAddress(mgmt);
        d.setInterfaceName(req.interfaceName());
    }
}
