package io.lvscp.director;

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
@Tag(name = "directors", description = "Director nodes of a cluster")
class DirectorController {

    private final DirectorService service;

    DirectorController(DirectorService service) {
        this.service = service;
    }

    @GetMapping("/api/v1/directors")
    PageResponse<DirectorResponse> listAll(@RequestParam(required = false) String cluster,
            @PageableDefault(size = 50, sort = "nodeName", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(cluster, Paging.check(pageable));
    }

    @GetMapping("/api/v1/clusters/{cluster}/directors")
    PageResponse<DirectorResponse> list(@PathVariable String cluster,
            @PageableDefault(size = 50, sort = "nodeName", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(cluster, Paging.check(pageable));
    }

    @GetMapping("/api/v1/clusters/{cluster}/directors/{director}")
    ResponseEntity<DirectorResponse> get(@PathVariable String cluster, @PathVariable String director) {
        DirectorResponse d = service.get(cluster, director);
        return ResponseEntity.ok().eTag(Versions.etag(d.version())).body(d);
    }

    @PostMapping("/api/v1/clusters/{cluster}/directors")
    ResponseEntity<DirectorResponse> create(@PathVariable String cluster, @RequestBody DirectorRequest request) {
        DirectorResponse d = service.create(cluster, request);
        return ResponseEntity.created(URI.create("/api/v1/clusters/" + cluster + "/directors/" + d.id()))
                .eTag(Versions.etag(d.version())).body(d);
    }

    @PutMapping("/api/v1/clusters/{cluster}/directors/{director}")
    ResponseEntity<DirectorResponse> put(@PathVariable String cluster, @PathVariable String director,
            @RequestBody DirectorRequest request, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        DirectorResponse d = service.update(cluster, director, request, ifMatch, true);
        return ResponseEntity.ok().eTag(Versions.etag(d.version())).body(d);
    }

    @PatchMapping(path = "/api/v1/clusters/{cluster}/directors/{director}", consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<DirectorResponse> patch(@PathVariable String cluster, @PathVariable String director,
            @RequestBody Map<String, Object> patch, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        DirectorResponse d = service.patch(cluster, director, patch, ifMatch);
        return ResponseEntity.ok().eTag(Versions.etag(d.version())).body(d);
    }

    @DeleteMapping("/api/v1/clusters/{cluster}/directors/{director}")
    ResponseEntity<Void> delete(@PathVariable String cluster, @PathVariable String director) {
        service.delete(cluster, director);
        return ResponseEntity.noContent().build();
    }
}
