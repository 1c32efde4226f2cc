package io.lvscp.virtualserver;

import io.lvscp.api.Paging;
import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "virtual-servers", description = "IPVS virtual services")
class VirtualServerController {

    private final VirtualServerService service;

    VirtualServerController(VirtualServerService service) {
        this.service = service;
    }

    @GetMapping("/api/v1/virtual-servers")
    PageResponse<VirtualServerResponse> listAll(@RequestParam(required = false) String cluster,
            @PageableDefault(size = 50, sort = "id", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(cluster, Paging.check(pageable));
    }

    @GetMapping("/api/v1/clusters/{cluster}/virtual-servers")
    PageResponse<VirtualServerResponse> list(@PathVariable String cluster,
            @PageableDefault(size = 50, sort = "id", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(cluster, Paging.check(pageable));
    }

    @GetMapping("/api/v1/clusters/{cluster}/virtual-servers/{id}")
    ResponseEntity<VirtualServerResponse> get(@PathVariable String cluster, @PathVariable long id) {
        VirtualServerResponse v = service.get(cluster, id);
        return ResponseEntity.ok().eTag(Versions.etag(v.version())).body(v);
    }

    @PostMapping("/api/v1/clusters/{cluster}/virtual-servers")
    ResponseEntity<VirtualServerResponse> create(@PathVariable String cluster, @RequestBody VirtualServerRequest request) {
        VirtualServerResponse v = service.create(cluster, request);
        return ResponseEntity.created(URI.create("/api/v1/clusters/" + cluster + "/virtual-servers/" + v.id()))
                .eTag(Versions.etag(v.version())).body(v);
    }

    @PutMapping("/api/v1/clusters/{cluster}/virtual-servers/{id}")
    ResponseEntity<VirtualServerResponse> put(@PathVariable String cluster, @PathVariable long id,
            @RequestBody VirtualServerRequest request, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        VirtualServerResponse v = service.update(cluster, id, request, ifMatch, true);
        return ResponseEntity.ok().eTag(Versions.etag(v.version())).body(v);
    }

    @PatchMapping(path = "/api/v1/clusters/{cluster}/virtual-servers/{id}",
            consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<VirtualServerResponse> patch(@PathVariable String cluster, @PathVariable long id,
            @RequestBody Map<String, Object> patch, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        VirtualServerResponse v = service.patch(cluster, id, patch, ifMatch);
        return ResponseEntity.ok().eTag(Versions.etag(v.version())).body(v);
    }

    @DeleteMapping("/api/v1/clusters/{cluster}/virtual-servers/{id}")
    ResponseEntity<Void> delete(@PathVariable String cluster, @PathVariable long id) {
        service.delete(cluster, id);
        return ResponseEntity.noContent().build();
    }
}
