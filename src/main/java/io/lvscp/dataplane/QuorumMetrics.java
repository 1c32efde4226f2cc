package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.common.Addresses;
import io.lvscp.common.SteadyMultiGauge;
import io.lvscp.plan.PlanInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code lvs_virtual_server_quorum_up{cluster, virtual_server, node}}: 1 while a virtual server of this
 * node has its quorum (keepalived's quorum and hysteresis, see io.lvscp.plan.Quorum), 0 while it runs
 * below it (the sorry server, if any, takes the traffic). From this node's last plan compile; plans
 * compiled for other nodes (an API node answering {@code /plan}) are not exported.
 */
@Component
public class QuorumMetrics {

    private final String node;
    private final SteadyMultiGauge gauge;

    QuorumMetrics(LvsProperties props, MeterRegistry meters) {
        this.node = props.nodeName();
        this.gauge = new SteadyMultiGauge("lvs.virtual.server.quorum.up",
                "1 while the virtual server's live weight meets its quorum (with hysteresis), 0 below it", meters);
    }

    /** After a compile: the node's virtual servers and their quorum states. */
    void update(PlanInput input, Map<Long, Boolean> quorumUp) {
        if (!node.equals(input.node())) {
            return;
        }
        Map<Tags, Integer> rows = new LinkedHashMap<>();
        for (PlanInput.VirtualServer vs : input.virtualServers()) {
            Boolean up = quorumUp.get(vs.id());
            if (up != null) {
                rows.put(Tags.of("cluster", input.cluster() == null ? "" : input.cluster(), "virtual_server", label(vs), "node", node),
                        up ? 1 : 0);
            }
        }
        gauge.set(rows);
    }

    /** As the other meters label it: "vip:port/proto", or "fwmark:N/ipv4". */
    static String label(PlanInput.VirtualServer vs) {
        if (vs.fwmark() != null) {
            return "fwmark:" + vs.fwmark() + "/" + vs.family().name().toLowerCase(Locale.ROOT);
        }
        return Addresses.hostPort(vs.vip(), vs.port()) + "/" + vs.protocol().wireName().toLowerCase(Locale.ROOT);
    }
}
