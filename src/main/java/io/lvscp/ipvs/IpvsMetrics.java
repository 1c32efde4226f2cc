package io.lvscp.ipvs;

import io.lvscp.common.Addresses;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
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

    /** One conversion without reuse (tests, benchmarks); a collector keeps a {@link Series} instead. */
    public static MetricSnapshots snapshots(List<TableEntry> table, String node, String cluster) {
        return new Series(node).snapshots(table, cluster);
    }

    private static final MetricMetadata VS_CONN = new MetricMetadata("lvs_ipvs_virtual_server_connections",
            "Connections the kernel scheduled for a virtual server");
    private static final MetricMetadata VS_PACKETS = new MetricMetadata("lvs_ipvs_virtual_server_packets",
            "Packets through a virtual server, by direction");
    private static final MetricMetadata VS_BYTES = new MetricMetadata("lvs_ipvs_virtual_server_bytes",
            "Bytes through a virtual server, by direction", Unit.BYTES);
    private static final MetricMetadata RS_CONN = new MetricMetadata("lvs_ipvs_real_server_connections",
            "Connections the kernel scheduled to a real server");
    private static final MetricMetadata RS_PACKETS = new MetricMetadata("lvs_ipvs_real_server_packets",
            "Packets to and from a real server, by direction");
    private static final MetricMetadata RS_BYTES = new MetricMetadata("lvs_ipvs_real_server_bytes",
            "Bytes to and from a real server, by direction", Unit.BYTES);
    private static final MetricMetadata ACTIVE = new MetricMetadata("lvs_ipvs_real_server_active_connections",
            "Active (established) connections of a real server");
    private static final MetricMetadata INACTIVE = new MetricMetadata("lvs_ipvs_real_server_inactive_connections",
            "Inactive connections of a real server");
    private static final MetricMetadata PERSISTENT = new MetricMetadata("lvs_ipvs_real_server_persistent_connections",
            "Persistence templates of a real server");
    private static final MetricMetadata WEIGHT = new MetricMetadata("lvs_ipvs_real_server_weight",
            "The real server's weight in the kernel (0: no new connections)");

    /**
     * The conversion of one director's table, scrape after scrape: the label sets of each virtual and real
     * server are kept by an {@link IpvsSeries} while that service or destination stays in the table, and the
     * series are emitted in its label order, so the snapshots' own sort by labels has nothing to do.
     * A scrape of 1,000 x 10 then allocates one data point per series and little else. Not thread-safe.
     */
    public static final class Series {

        /** Each label set's direction="out" twin (the label set itself and its direction="in" twin are the series'). */
        private final IpvsSeries<Labels> series;

        public Series(String node) {
            this.series = new IpvsSeries<>(node, labels -> labels.add("direction", "out"));
        }

        public MetricSnapshots snapshots(List<TableEntry> table, String cluster) {
            series.update(table, cluster);
            return emit();
        }

        private MetricSnapshots emit() {
            IpvsSeries.Service<Labels>[] vsOrder = series.services();
            IpvsSeries.Real<Labels>[] rsOrder = series.reals();
            int nv = vsOrder.length;
            int nr = rsOrder.length;
            List<CounterDataPointSnapshot> vsConn = new ArrayList<>(nv);
            List<CounterDataPointSnapshot> vsPackets = new ArrayList<>(2 * nv);
            List<CounterDataPointSnapshot> vsBytes = new ArrayList<>(2 * nv);
            for (IpvsSeries.Service<Labels> v : vsOrder) {
                vsConn.add(counter(v.stats().connections(), v.labels));
            }
            for (IpvsSeries.Service<Labels> v : vsOrder) {
                vsPackets.add(counter(v.stats().packetsIn(), v.in));
                vsBytes.add(counter(v.stats().bytesIn(), v.in));
            }
            for (IpvsSeries.Service<Labels> v : vsOrder) {
                vsPackets.add(counter(v.stats().packetsOut(), v.made));
                vsBytes.add(counter(v.stats().bytesOut(), v.made));
            }
            List<CounterDataPointSnapshot> rsConn = new ArrayList<>(nr);
            List<CounterDataPointSnapshot> rsPackets = new ArrayList<>(2 * nr);
            List<CounterDataPointSnapshot> rsBytes = new ArrayList<>(2 * nr);
            List<GaugeDataPointSnapshot> active = new ArrayList<>(nr);
            List<GaugeDataPointSnapshot> inactive = new ArrayList<>(nr);
            List<GaugeDataPointSnapshot> persistent = new ArrayList<>(nr);
            List<GaugeDataPointSnapshot> weight = new ArrayList<>(nr);
            for (IpvsSeries.Real<Labels> r : rsOrder) {
                Destination d = r.destination();
                Stats ds = r.stats();
                rsConn.add(counter(ds.connections(), r.labels));
                rsPackets.add(counter(ds.packetsIn(), r.in));
                rsBytes.add(counter(ds.bytesIn(), r.in));
                active.add(new GaugeDataPointSnapshot(d.activeConnections(), r.labels, null));
                inactive.add(new GaugeDataPointSnapshot(d.inactiveConnections(), r.labels, null));
                persistent.add(new GaugeDataPointSnapshot(d.persistentConnections(), r.labels, null));
                weight.add(new GaugeDataPointSnapshot(d.weight(), r.labels, null));
            }
            for (IpvsSeries.Real<Labels> r : rsOrder) {
                Stats ds = r.stats();
                rsPackets.add(counter(ds.packetsOut(), r.made));
                rsBytes.add(counter(ds.bytesOut(), r.made));
            }
            return MetricSnapshots.of(new CounterSnapshot(VS_CONN, vsConn), new CounterSnapshot(VS_PACKETS, vsPackets),
                    new CounterSnapshot(VS_BYTES, vsBytes), new CounterSnapshot(RS_CONN, rsConn), new CounterSnapshot(RS_PACKETS, rsPackets),
                    new CounterSnapshot(RS_BYTES, rsBytes), new GaugeSnapshot(ACTIVE, active), new GaugeSnapshot(INACTIVE, inactive),
                    new GaugeSnapshot(PERSISTENT, persistent), new GaugeSnapshot(WEIGHT, weight));
        }

        private static CounterDataPointSnapshot counter(long value, Labels labels) {
            return new CounterDataPointSnapshot(unsigned(value), labels, null, 0L);
        }
    }

    /** The kernel's counters are unsigned 64-bit. */
    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
