package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.common.Addresses;
import io.lvscp.common.ExpositionBuffer;
import io.lvscp.common.StreamedFamilies;
import io.lvscp.common.StreamedMetrics;
import io.lvscp.common.TextFamily;
import io.lvscp.plan.PlanInput;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code lvs_virtual_server_quorum_up{cluster, virtual_server, node}}: 1 while a virtual server of this
 * node has its quorum (keepalived's quorum and hysteresis, see io.lvscp.plan.Quorum), 0 while it runs
 * below it (the sorry server, if any, takes the traffic). From this node's last plan compile; plans
 * compiled for other nodes (an API node answering {@code /plan}) are not exported. A {@link StreamedFamilies}
 * (no Micrometer meter per virtual server): each compile replaces the rows, so a virtual server gone from
 * the plan leaves the family at once.
 */
@Component
public class QuorumMetrics implements StreamedFamilies {

    static final TextFamily FAMILY = TextFamily.gauge("lvs_virtual_server_quorum_up",
            "1 while the virtual server's live weight meets its quorum (with hysteresis), 0 below it");

    /** One series: its labels, their encoded block, its value. */
    private record Row(Labels labels, byte[] block, int value) {
    }

    private final String node;
    private volatile Row[] rows = new Row[0];

    @Autowired
    QuorumMetrics(LvsProperties props, StreamedMetrics streamed) {
        this(props.nodeName(), streamed);
    }

    QuorumMetrics(String node, StreamedMetrics streamed) {
        this.node = node;
        streamed.add(this);
    }

    /** After a compile: the node's virtual servers and their quorum states. */
    void update(PlanInput input, Map<Long, Boolean> quorumUp) {
        if (!node.equals(input.node())) {
            return;
        }
        List<Row> next = new ArrayList<>(input.virtualServers().size());
        for (PlanInput.VirtualServer vs : input.virtualServers()) {
            Boolean up = quorumUp.get(vs.id());
            if (up != null) {
                Labels l = Labels.of("cluster", input.cluster() == null ? "" : input.cluster(), "virtual_server", label(vs), "node", node);
                next.add(new Row(l, TextFamily.block(l), up ? 1 : 0));
            }
        }
        next.sort((a, b) -> a.labels().compareTo(b.labels()));
        List<Row> unique = new ArrayList<>(next.size());
        for (Row r : next) {
            if (unique.isEmpty() || !unique.get(unique.size() - 1).labels().equals(r.labels())) {
                unique.add(r); // one series per label set (the first), as the registry kept one gauge per tag set
            }
        }
        rows = unique.toArray(new Row[0]);
    }

    @Override
    public void write(Format format, @Nullable Predicate<String> include, ExpositionBuffer out) {
        Row[] r = rows;
        if (r.length == 0 || !FAMILY.accepts(include)) {
            return;
        }
        FAMILY.header(format, out);
        for (Row row : r) {
            FAMILY.sample(out, row.block(), row.value());
        }
    }

    @Override
    public List<MetricSnapshot> snapshots(@Nullable Predicate<String> include) {
        Row[] r = rows;
        if (r.length == 0 || !FAMILY.accepts(include)) {
            return List.of();
        }
        List<GaugeSnapshot.GaugeDataPointSnapshot> points = new ArrayList<>(r.length);
        for (Row row : r) {
            points.add(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(row.labels()).value(row.value()).build());
        }
        return List.of(new GaugeSnapshot(FAMILY.metadata(), points));
    }

    /** As the other meters label it: "vip:port/proto", or "fwmark:N/ipv4". */
    static String label(PlanInput.VirtualServer vs) {
        if (vs.fwmark() != null) {
            return "fwmark:" + vs.fwmark() + "/" + vs.family().name().toLowerCase(Locale.ROOT);
        }
        return Addresses.hostPort(vs.vip(), vs.port()) + "/" + vs.protocol().wireName().toLowerCase(Locale.ROOT);
    }
}
