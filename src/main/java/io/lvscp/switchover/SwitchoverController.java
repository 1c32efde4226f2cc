package io.lvscp.switchover;

import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Planned switch-over of a VRRP instance to a named director (operator); see {@link SwitchoverService}. */
@RestController
@Tag(name = "vrrp-instances", description = "VRRP instances (virtual routers) and their VIPs")
class SwitchoverController {

    static final String PATH = "/api/v1/clusters/{cluster}/vrrp-instances/{instance}/switchover";

    private final SwitchoverService service;

    SwitchoverController(SwitchoverService service) {
        this.service = service;
    }

    /** Synchronous: answers 200 when the switch-over completed (or a problem when it failed), after a bounded wait. */
    @PostMapping(PATH)
    ResponseEntity<SwitchoverResponse> switchover(@PathVariable String cluster, @PathVariable String instance,
            @RequestBody(required = false) SwitchoverRequest request) {
        SwitchoverResponse r = service.switchover(cluster, instance, request);
        return ResponseEntity.ok().location(location(cluster, instance)).body(r);
    }

    /** The newest switch-over of the instance (in progress, completed and holding, failed, cleared). */
    @GetMapping(PATH)
    SwitchoverResponse latest(@PathVariable String cluster, @PathVariable String instance) {
        return service.latest(cluster, instance);
    }

    /** Ends the hold: the new master runs at its configured priority again (preempt decides). */
    @DeleteMapping(PATH)
    SwitchoverResponse clear(@PathVariable String cluster, @PathVariable String instance) {
        return service.clear(cluster, instance);
    }

    private static URI location(String cluster, String instance) {
        return URI.create("/api/v1/clusters/" + cluster + "/vrrp-instances/" + instance + "/switchover");
    }
}
