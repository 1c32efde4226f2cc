package io.lvscp.realserver;

import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterLookup;
import io.lvscp.model.RealServer;
import io.lvscp.model.RealServerRepository;
import io.lvscp.model.VirtualServer;
import io.lvscp.common.Forwarding;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The setup script of a real server: every VIP it serves by direct routing in its
 * cluster (it is one host, so all of them, not only this virtual server's).
 */
@RestController
@Tag(name = "real servers")
class SetupScriptController {

    private final ClusterLookup lookup;
    private final RealServerRepository realServers;
    private final Clock clock;

    SetupScriptController(ClusterLookup lookup, RealServerRepository realServers, Clock clock) {
        this.lookup = lookup;
        this.realServers = realServers;
        this.clock = clock;
    }

    @GetMapping(value = "/api/v1/clusters/{cluster}/virtual-servers/{vs}/real-servers/{id}/setup.sh")
    @Operation(summary = "An idempotent script that prepares this real server for LVS direct routing (bash setup.sh; --undo reverts)")
    @Transactional(readOnly = true)
    ResponseEntity<String> setup(@PathVariable String cluster, @PathVariable long vs, @PathVariable long id) {
        Cluster c = lookup.require(cluster);
        RealServer r = lookup.realServer(lookup.virtualServer(c, vs), id);
        Map<String, List<String>> vips = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        realServers.findByClusterId(c.getId(), Pageable.unpaged()).stream().filter(o -> o.getAddress().equals(r.getAddress()))
                .map(RealServer::getVirtualServer).distinct().forEach(v -> {
                    if (v.getForwarding() == Forwarding.NAT) {
                        notes.add(v.label() + " uses NAT: no VIP on the real server; its default route must go through the director");
                    } else if (v.getFwmark() != null) {
                        notes.add(v.label() + ": a firewall-mark service has no single VIP; add the addresses its mark matches"
                                + " to lo yourself (or list them as virtual servers)");
                    } else {
                        vips.computeIfAbsent(v.getVip(), k -> new ArrayList<>()).add(v.label());
                        if (v.getForwarding() == Forwarding.TUN) {
                            notes.add(v.label() + " uses TUN: also `modprobe ipip; ip link set tunl0 up` and rp_filter=0 on tunl0");
                        }
                    }
                });
        List<SetupScript.Vip> list = vips.entrySet().stream().map(e -> new SetupScript.Vip(e.getKey(), e.getValue())).toList();
        String script = SetupScript.generate(new SetupScript.Input(c.getName(), r.getAddress(), list, notes, clock.instant()));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/x-shellscript; charset=utf-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"setup.sh\"").body(script);
    }
}
