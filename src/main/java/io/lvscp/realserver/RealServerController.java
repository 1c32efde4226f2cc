package io.lvscp.realserver;

import io.lvscp.api.Paging;
import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
import io.lvscp.common.RealServerState;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "real-servers", description = "Real servers (IPVS destinations) of a virtual server")
public class RealServerController {

    private static final String BASE = "/api/v1/clusters/{cluster}/virtual-servers/{vs}/real-servers";

    private final RealServerService service;

    RealServerController(RealServerService service) {
        this.service = service;
    }

    @GetMapping("/api/v1/real-servers")
    PageResponse<RealServerResponse> listAll(@RequestParam(required = false) String cluster,
            @PageableDefault(size = 50, sort = "id", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(cluster, null, Paging.check(pageable));
    }

    @GetMapping(BASE)
    PageResponse<RealServerResponse> list(@PathVariable String cluster, @PathVariable long vs,
            @PageableDefault(size = 50, sort = "id", direction = Sort.Direction.ASC) Pageable pageable) {
        return service.list(cluster, vs, Paging.check(pageable));
    }

    @GetMapping(BASE + "/{id}")
    ResponseEntity<RealServerResponse> get(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id) {
        return ok(service.get(cluster, vs, id));
    }

    @PostMapping(BASE)
    ResponseEntity<RealServerResponse> create(@PathVariable String cluster, @PathVariable long vs, @RequestBody RealServerRequest request) {
        RealServerResponse r = service.create(cluster, vs, request);
        return ResponseEntity.created(URI.create("/api/v1/clusters/" + cluster + "/virtual-servers/" + vs + "/real-servers/" + r.id()))
                .eTag(Versions.etag(r.version())).body(r);
    }

    @PutMapping(BASE + "/{id}")
    ResponseEntity<RealServerResponse> put(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestBody RealServerRequest request, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return ok(service.update(cluster, vs, id, request, ifMatch, true));
    }

    @PatchMapping(path = BASE + "/{id}", consumes = {"application/merge-patch+json", "application/json"})
    ResponseEntity<RealServerResponse> patch(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestBody Map<String, Object> patch, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return ok(service.patch(cluster, vs, id, patch, ifMatch));
    }

    @PostMapping(BASE + "/{id}/enable")
    @Operation(summary = "Put the real server back in service with its weight")
    ResponseEntity<RealServerResponse> enable(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return ok(service.setState(cluster, vs, id, RealServerState.ENABLED, ifMatch));
    }

    @PostMapping(BASE + "/{id}/disable")
    @Operation(summary = "Take the real server out of the IPVS table")
    ResponseEntity<RealServerResponse> disable(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return ok(service.setState(cluster, vs, id, RealServerState.DISABLED, ifMatch));
    }

    /** Body of POST .../drain (optional): {@code timeout} in seconds becomes the real server's own drain timeout. */
    public record DrainRequest(Integer timeout) {
    }

    @PostMapping(BASE + "/{id}/drain")
    @Operation(summary = "Weight 0: no new connections, existing ones finish; it leaves when nothing is left or at its drain timeout")
    ResponseEntity<RealServerResponse> drain(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id,
            @RequestBody(required = false) DrainRequest body, @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        return ok(service.setState(cluster, vs, id, RealServerState.DRAINING, body == null ? null : body.timeout(), ifMatch));
    }

    @DeleteMapping(BASE + "/{id}")
    ResponseEntity<Void> delete(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id) {
        service.delete(cluster, vs, id);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<RealServerResponse> ok(RealServerResponse r) {
        return ResponseEntity.ok().eTag(Versions.etag(r.version())).body(r);
    }
}
