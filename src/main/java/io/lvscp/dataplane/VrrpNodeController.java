package io.lvscp.dataplane;

import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import io.lvscp.LvsProperties;
import io.lvscp.api.ApiException;
import io.lvscp.vrrp.VrrpCounter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "vrrp", description = "VRRP state of a director")
class VrrpNodeController {

    private final VrrpNodeHandle node;
    private final VrrpNodeRecords records;
    private final LvsProperties props;

    VrrpNodeController(VrrpNodeHandle node, VrrpNodeRecords records, LvsProperties props) {
        this.node = node;
        this.records = records;
        this.props = props;
    }

    /**
     * One instance. {@code state} is INITIALIZE, BACKUP, MASTER or FAULT as this process runs it;
     * UNKNOWN for another node (only its process knows) or an instance this node does not run yet.
     */
    record InstanceView(String name, Long id, int vrid, String interfaceName, Integer version, String state, int priority,
            String masterAddress, Instant lastTransition, String lastTransitionReason, Long transitions, Double lastFailoverSeconds,
            Map<String, Long> counters) {
    }

    record NodeVrrpResponse(String node, String cluster, boolean local, boolean dryRun, String source, List<InstanceView> instances) {
    }

    @GetMapping("/api/v1/nodes/{node}/vrrp")
    @Operation(summary = "The VRRP instances of a director: state, priority, master address, last transition, counters")
    NodeVrrpResponse vrrp(@PathVariable("node") String name) {
        VrrpNodeRecords.NodeRecord record = records.find(name).orElse(null);
        boolean local = name.equals(props.nodeName());
        if (record == null && !(local && !node.instances().isEmpty())) {
            throw ApiException.notFound("node '" + name + "'", "no director has this node name");
        }
        List<InstanceView> views = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        if (local) {
            for (VrrpNode.InstanceSnapshot s : node.instances()) {
                seen.add(s.name());
                VrrpNodeRecords.StoredInstance stored = record == null ? null : record.instances().get(s.name());
                Map<String, Long> counters = new LinkedHashMap<>();
                for (VrrpCounter c : VrrpCounter.values()) {
                    counters.put(c.keepalivedName(), s.counters().getOrDefault(c, 0L));
                }
                views.add(new InstanceView(s.name(), stored == null ? null : stored.id(), s.vrid(), s.interfaceName(), s.version(),
                        s.state().name(), s.priority(), s.masterAddress() == null ? null : s.masterAddress().getHostAddress(),
                        s.lastTransition(), s.lastTransitionReason(), s.transitions(),
                        s.lastFailover() == null ? null : s.lastFailover().toNanos() / 1e9, counters));
            }
        }
        if (record != null) {
            for (VrrpNodeRecords.StoredInstance i : record.instances().values()) {
                if (seen.add(i.name())) {
                    views.add(new InstanceView(i.name(), i.id(), i.vrid(), i.interfaceName(), i.vrrpVersion(), "UNKNOWN", i.priority(), null,
                            null, null, null, null, null));
                }
            }
        }
        String source = local ? (node.dryRun() ? "this process (dry-run: nothing is sent, instances stay in INITIALIZE)" : "this process")
                : "database only: '" + name + "' is not this process's node ('" + props.nodeName() + "')";
        return new NodeVrrpResponse(name, record == null ? null : record.clusterName(), local, local && node.dryRun(), source, views);
    }
}
