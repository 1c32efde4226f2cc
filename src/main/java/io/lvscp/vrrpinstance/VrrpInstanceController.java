package io.lvscp.vrrpinstance;

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
@Tag(name = "vrrp-instances", description = "VRRP instances (virtual routers) and their VIPs")
class VrrpInstanceController {

    private final VrrpInstanceService service;

    VrrpInstanceController(VrrpInstanceService service) {
        this.service = service;
    }

    @GetMapping("/api/v1/vrrp-instances")
    PageResponse<VrrpInstanceResponse> listAll(@RequestParam(required = false) String cluster,
            @PageableDefault(size = 50, sort = "name", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(cluster, Paging.check(pageable));
    }

    @GetMapping("/api/v1/clusters/{cluster}/vrrp-instances")
    PageResponse<VrrpInstanceResponse> list(@PathVariable String cluster,
            @PageableDefault(size = 50, sort = "name", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(cluster, Paging.check(pageable));
    }

    @GetMapping("/api/v1/clusters/{cluster}/vrrp-instances/{instance}")
    ResponseEntity<VrrpInstanceResponse> get(@PathVariable String cluster, @PathVariable String instance) {
        VrrpInstanceResponse i = service.get(cluster, instance);
        return ResponseEntity.ok().eTag(Versions.etag(i.version())).body(i);
    }

    @PostMapping("/api/v1/clusters/{cluster}/vrrp-instances")
    ResponseEntity<VrrpInstanceResponse> create(@PathVariable String cluster, @RequestBody VrrpInstanceRequest request) {
        VrrpInstanceResponse i = service.create(cluster, request);
        return ResponseEntity.created(URI.create("/api/v1/clusters/" + cluster + "/vrrp-instances/" + i.id()))
                .eTag(Versions.etag(i.version())).body(i);
    }

    @PutMapping("/api/v1/clusters/{cluster}/vrrp-instances/{instance}")
    ResponseEntity<VrrpInstanceResponse> put(@PathVariable String cluster, @PathVariable String instance,
            @RequestBody VrrpInstanceRequest request, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        VrrpInstanceResponse i = service.update(cluster, instance, request, ifMatch, true);
        return ResponseEntity.ok().eTag(Versions.etag(i.version())).body(i);
    }

    @PatchMapping(path = "/api/v1/clusters/{cluster}/vrrp-instances/{instance}",
            consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<VrrpInstanceResponse> patch(@PathVariable String cluster, @PathVariable String instance,
            @RequestBody Map<String, Object> patch, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        VrrpInstanceResponse i = service.patch(cluster, instance, patch, ifMatch);
        return ResponseEntity.ok().eTag(Versions.etag(i.version())).body(i);
    }

    @DeleteMapping("/api/v1/clusters/{cluster}/vrrp-instances/{instance}")
    ResponseEntity<Void> delete(@PathVariable String cluster, @PathVariable String instance) {
        service.delete(cluster, instance);
        return ResponseEntity.noContent().build();
    }
}
