package io.lvscp.vrrp.node;

import io.lvscp.vrrp.VrrpCounter;
import io.lvscp.vrrp.VrrpState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's VRRP instances as Micrometer meters (Prometheus names in docs/metrics.md), tagged
 * cluster, instance, vrid, interface, node. Every meter reads the node's latest snapshot at scrape
 * time; meters of an instance are registered when it starts and removed when it stops. Counters
 * restart from zero when an instance is restarted by a configuration change (Prometheus's rate()
 * handles the reset).
 */
public class VrrpMetrics implements VrrpNode.Listener {

    private final MeterRegistry registry;
    private final Supplier<String> cluster;
    private final Map<String, List<Meter>> meters = new HashMap<>();

    /** @param cluster this node's cluster name, read when an instance's meters are registered */
    public VrrpMetrics(MeterRegistry registry, Supplier<String> cluster) {
        this.registry = registry;
        this.cluster = cluster;
    }

    /** 0 init, 1 backup, 2 master, 3 fault (keepalived's SNMP order). */
    static double stateValue(VrrpState s) {
        return switch (s) {
            case INITIALIZE -> 0;
            case BACKUP -> 1;
            case MASTER -> 2;
            case FAULT -> 3;
        };
    }

    @Override
    public synchronized void instancesChanged(VrrpNodeHandle node, List<VrrpNode.InstanceSnapshot> instances) {
        Set<String> names = new HashSet<>();
        for (VrrpNode.InstanceSnapshot s : instances) {
            String key = s.name() + "/" + s.vrid() + "/" + s.interfaceName();
            names.add(key);
            if (!meters.containsKey(key)) {
                meters.put(key, register(node, s));
            }
        }
        for (String key : List.copyOf(meters.keySet())) {
            if (!names.contains(key)) {
                meters.remove(key).forEach(registry::remove);
            }
        }
    }

    private List<Meter> register(VrrpNodeHandle node, VrrpNode.InstanceSnapshot first) {
        String name = first.name();
        String c;
        try {
            c = cluster.get();
        } catch (RuntimeException e) {
            c = null;
        }
        Tags tags = Tags.of("cluster", c == null ? "" : c, "instance", name, "vrid", Integer.toString(first.vrid()), "interface",
                first.interfaceName(), "node", node.nodeName());
        List<Meter> list = new ArrayList<>();
        list.add(gauge("lvs.vrrp.state", "VRRP state: 0 init, 1 backup, 2 master, 3 fault", node, name, tags, null,
                s -> stateValue(s.state())));
        list.add(gauge("lvs.vrrp.priority", "The priority this node runs the instance with", node, name, tags, null,
                VrrpNode.InstanceSnapshot::priority));
        list.add(gauge("lvs.vrrp.last.failover", "Last takeover: from the last advert heard to becoming master", node, name, tags,
                "seconds", s -> s.lastFailover() == null ? Double.NaN : s.lastFailover().toNanos() / 1e9));
        list.add(FunctionCounter.builder("lvs.vrrp.transitions", node, n -> read(n, name, s -> s.transitions()))
                .description("State changes of the instance").tags(tags).register(registry));
        for (VrrpCounter counter : VrrpCounter.values()) {
            list.add(FunctionCounter.builder("lvs.vrrp." + counter.keepalivedName().replace('_', '.'), node,
                            n -> read(n, name, s -> s.counters().getOrDefault(counter, 0L)))
                    .description("keepalived's " + counter.keepalivedName() + " counter").tags(tags).register(registry));
        }
        return list;
    }

    private Meter gauge(String meterName, String description, VrrpNodeHandle node, String instance, Tags tags, String unit,
            ToDoubleFunction<VrrpNode.InstanceSnapshot> f) {
        return Gauge.builder(meterName, node, n -> read(n, instance, f)).description(description).tags(tags).baseUnit(unit)
                .register(registry);
    }

    private static double read(VrrpNodeHandle node, String instance, ToDoubleFunction<VrrpNode.InstanceSnapshot> f) {
        return node.instance(instance).map(f::applyAsDouble).orElse(Double.NaN);
    }
}
