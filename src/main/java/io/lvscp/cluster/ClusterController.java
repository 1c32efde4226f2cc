package io.lvscp.cluster;

import io.lvscp.api.Paging;
import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/clusters")
@Tag(name = "clusters", description = "Clusters of directors")
class ClusterController {

    private final ClusterService service;

    ClusterController(ClusterService service) {
        this.service = service;
    }

    @GetMapping
    PageResponse<ClusterResponse> list(@PageableDefault(size = 50, sort = "name", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(Paging.check(pageable));
    }

    @GetMapping("/{cluster}")
    ResponseEntity<ClusterResponse> get(@PathVariable String cluster) {
        ClusterResponse c = service.get(cluster);
        return ResponseEntity.ok().eTag(Versions.etag(c.version())).body(c);
    }

    @PostMapping
    ResponseEntity<ClusterResponse> create(@RequestBody ClusterRequest request) {
        ClusterResponse c = service.create(request);
        return ResponseEntity.created(URI.create("/api/v1/clusters/" + c.id())).eTag(Versions.etag(c.version())).body(c);
    }

    @PutMapping("/{cluster}")
    @Operation(summary = "Replace a cluster; needs its current version (body or If-Match)")
    ResponseEntity<ClusterResponse> put(@PathVariable String cluster, @RequestBody ClusterRequest request,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        ClusterResponse c = service.update(cluster, request, ifMatch, true);
        return ResponseEntity.ok().eTag(Versions.etag(c.version())).body(c);
    }

    @PatchMapping(path = "/{cluster}", consumes = {"application/merge-patch+json", "application/json"})
    @Operation(summary = "Change some fields of a cluster (JSON Merge Patch)")
    ResponseEntity<ClusterResponse> patch(@PathVariable String cluster, @RequestBody Map<String, Object> patch,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        ClusterResponse c = service.patch(cluster, patch, ifMatch);
        return ResponseEntity.ok().eTag(Versions.etag(c.version())).body(c);
    }

    @DeleteMapping("/{cluster}")
    @Operation(summary = "Delete a cluster; one with virtual servers needs ?cascade=true")
    ResponseEntity<Void> delete(@PathVariable String cluster, @RequestParam(defaultValue = "false") boolean cascade) {
        service.delete(cluster, cascade);
        return ResponseEntity.noContent().build();
    }
}
