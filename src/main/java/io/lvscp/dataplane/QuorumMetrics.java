package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.common.Addresses;
import io.lvscp.plan.PlanInput;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
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
    private final MultiGauge gauge;

    QuorumMetrics(LvsProperties props, MeterRegistry meters) {
        this.node = props.nodeName();
        this.gauge = MultiGauge.builder("lvs.virtual.server.quorum.up")
                .description("1 while the virtual server's live weight meets its quorum (with hysteresis), 0 below it").register(meters);
    }

    /** After a compile: the node's virtual servers and their quorum states. */
    void update(PlanInput input, Map<Long, Boolean> quorumUp) {
        if (!node.equals(input.node())) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (PlanInput.VirtualServer vs : input.virtualServers()) {
            Boolean up = quorumUp.get(vs.id());
            if (up != null) {
                rows.add(MultiGauge.Row.of(Tags.of("cluster", input.cluster() == null ? "" : input.cluster(), "virtual_server", label(vs),
                        "node", node), up ? 1 : 0));
            }
        }
        gauge.register(rows, true);
    }

    /** As the other meters label it: "vip:port/proto", or "fwmark:N/ipv4". */
    static String label(PlanInput.VirtualServer vs) {
        if (vs.fwmark() != null) {
            return "fwmark:" + vs.fwmark() + "/" + vs.family().name().toLowerCase(Locale.ROOT);
        }
        return Addresses.hostPort(vs.vip(), vs.port()) + "/" + vs.protocol().wireName().toLowerCase(Locale.ROOT);
    }
}
