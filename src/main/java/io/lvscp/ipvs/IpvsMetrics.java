package io.lvscp.ipvs;

import io.lvscp.common.Addresses;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;

/**
 * The kernel's IPVS table as Prometheus series (pure: a table read in, snapshots out).
 * Counters are the kernel's own 64-bit counters, so they only reset when a service or
 * destination is deleted and added again. Labels: node, cluster, virtual_server
 * ("172.18.42.42:80/tcp", "[2001:db8::1]:53/udp", "fwmark:7", "fwmark:8/ipv6") and, for
 * destinations, real_server ("172.18.42.221:80").
 */
public final class IpvsMetrics {

    /** Every series name this produces (as exposed, without the _total suffix of counters). */
    public static final List<String> NAMES = List.of("lvs_ipvs_virtual_server_connections", "lvs_ipvs_virtual_server_packets",
            "lvs_ipvs_virtual_server_bytes", "lvs_ipvs_real_server_connections", "lvs_ipvs_real_server_packets",
            "lvs_ipvs_real_server_bytes", "lvs_ipvs_real_server_active_connections", "lvs_ipvs_real_server_inactive_connections",
            "lvs_ipvs_real_server_persistent_connections", "lvs_ipvs_real_server_weight");

    private IpvsMetrics() {
    }

    /** "172.18.42.42:80/tcp", "fwmark:7" (the metrics' virtual_server label). */
    public static String label(VirtualService s) {
        if (s.byMark()) {
            return "fwmark:" + Integer.toUnsignedString(s.fwmark()) + (s.family() == VirtualService.AF_INET6 ? "/ipv6" : "");
        }
        String proto = switch (s.protocol()) {
            case VirtualService.TCP -> "tcp";
            case VirtualService.UDP -> "udp";
            case VirtualService.SCTP -> "sctp";
            default -> "proto" + s.protocol();
        };
        return Addresses.hostPort(Addresses.format(s.address()), s.port()) + "/" + proto;
    }

    public static MetricSnapshots snapshots(List<TableEntry> table, String node, String cluster) {
        String c = cluster == null ? "" : cluster;
        CounterSnapshot.Builder vsConn = counter("lvs_ipvs_virtual_server_connections", "Connections the kernel scheduled for a virtual server", null);
        CounterSnapshot.Builder vsPackets = counter("lvs_ipvs_virtual_server_packets", "Packets through a virtual server, by direction", null);
        CounterSnapshot.Builder vsBytes = counter("lvs_ipvs_virtual_server_bytes", "Bytes through a virtual server, by direction", Unit.BYTES);
        CounterSnapshot.Builder rsConn = counter("lvs_ipvs_real_server_connections", "Connections the kernel scheduled to a real server", null);
        CounterSnapshot.Builder rsPackets = counter("lvs_ipvs_real_server_packets", "Packets to and from a real server, by direction", null);
        CounterSnapshot.Builder rsBytes = counter("lvs_ipvs_real_server_bytes", "Bytes to and from a real server, by direction", Unit.BYTES);
        GaugeSnapshot.Builder active = gauge("lvs_ipvs_real_server_active_connections", "Active (established) connections of a real server");
        GaugeSnapshot.Builder inactive = gauge("lvs_ipvs_real_server_inactive_connections", "Inactive connections of a real server");
        GaugeSnapshot.Builder persistent = gauge("lvs_ipvs_real_server_persistent_connections", "Persistence templates of a real server");
        GaugeSnapshot.Builder weight = gauge("lvs_ipvs_real_server_weight", "The real server's weight in the kernel (0: no new connections)");
        for (TableEntry e : table) {
            String vs = label(e.service());
            Labels l = Labels.of("cluster", c, "node", node, "virtual_server", vs);
            Stats st = e.service().stats() == null ? Stats.ZERO : e.service().stats();
            vsConn.dataPoint(CounterDataPointSnapshot.builder().labels(l).value(st.connections()).build());
            inOut(vsPackets, l, st.packetsIn(), st.packetsOut());
            inOut(vsBytes, l, st.bytesIn(), st.bytesOut());
            for (Destination d : e.destinations()) {
                Labels dl = Labels.of("cluster", c, "node", node, "real_server", Addresses.hostPort(Addresses.format(d.address()), d.port()),
                        "virtual_server", vs);
                Stats ds = d.stats() == null ? Stats.ZERO : d.stats();
                rsConn.dataPoint(CounterDataPointSnapshot.builder().labels(dl).value(ds.connections()).build());
                inOut(rsPackets, dl, ds.packetsIn(), ds.packetsOut());
                inOut(rsBytes, dl, ds.bytesIn(), ds.bytesOut());
                active.dataPoint(GaugeDataPointSnapshot.builder().labels(dl).value(d.activeConnections()).build());
                inactive.dataPoint(GaugeDataPointSnapshot.builder().labels(dl).value(d.inactiveConnections()).build());
                persistent.dataPoint(GaugeDataPointSnapshot.builder().labels(dl).value(d.persistentConnections()).build());
                weight.dataPoint(GaugeDataPointSnapshot.builder().labels(dl).value(d.weight()).build());
            }
        }
        return MetricSnapshots.of(vsConn.build(), vsPackets.build(), vsBytes.build(), rsConn.build(), rsPackets.build(), rsBytes.build(),
                active.build(), inactive.build(), persistent.build(), weight.build());
    }

    private static void inOut(CounterSnapshot.Builder b, Labels l, long in, long out) {
        b.dataPoint(CounterDataPointSnapshot.builder().labels(l.add("direction", "in")).value(unsigned(in)).build());
        b.dataPoint(CounterDataPointSnapshot.builder().labels(l.add("direction", "out")).value(unsigned(out)).build());
    }

    /** The kernel's counters are unsigned 64-bit. */
    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static CounterSnapshot.Builder counter(String name, String help, Unit unit) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        return unit == null ? b : b.unit(unit);
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }
}
