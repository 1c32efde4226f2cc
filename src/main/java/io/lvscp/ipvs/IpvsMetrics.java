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
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
     * server are built once and kept while that service or destination stays in the table, and the series are
     * emitted in label order (kept between scrapes), so the snapshots' own sort by labels has nothing to do.
     * A scrape of 1,000 x 10 then allocates one data point per series and little else. Not thread-safe.
     */
    public static final class Series {

        private record ServiceKey(int family, int protocol, InetAddress address, int port, int fwmark) {
            static ServiceKey of(VirtualService s) {
                return new ServiceKey(s.family(), s.protocol(), s.address(), s.port(), s.fwmark());
            }
        }

        private record DestKey(InetAddress address, int port) {
        }

        /** A virtual server's label sets; {@code seen} is the conversion that last found it in the table. */
        private static final class Vs {
            final Labels labels;
            final Labels in;
            final Labels out;
            final String label;
            Map<DestKey, Rs> dests = new HashMap<>();
            Stats stats;
            long seen;

            Vs(Labels labels, String label) {
                this.labels = labels;
                this.in = labels.add("direction", "in");
                this.out = labels.add("direction", "out");
                this.label = label;
            }
        }

        private static final class Rs {
            final Labels labels;
            final Labels in;
            final Labels out;
            Destination dest;
            long seen;

            Rs(Labels labels) {
                this.labels = labels;
                this.in = labels.add("direction", "in");
                this.out = labels.add("direction", "out");
            }
        }

        private final String node;
        private String cluster;
        private Map<ServiceKey, Vs> services = new HashMap<>();
        private List<Vs> vsOrder = List.of();
        private List<Rs> rsOrder = List.of();
        private long conversion;

        public Series(String node) {
            this.node = node;
        }

        public MetricSnapshots snapshots(List<TableEntry> table, String cluster) {
            String c = cluster == null ? "" : cluster;
            if (!c.equals(this.cluster)) {
                this.cluster = c;
                services = new HashMap<>();
            }
            long now = ++conversion;
            boolean changed = false;
            int rsCount = 0;
            Map<ServiceKey, Vs> next = new HashMap<>(table.size() * 2);
            for (TableEntry e : table) {
                ServiceKey key = ServiceKey.of(e.service());
                Vs v = services.get(key);
                if (v == null || v.seen == now) { // new, or listed twice (never from the kernel): fresh labels
                    String label = label(e.service());
                    v = new Vs(Labels.of("cluster", c, "node", node, "virtual_server", label), label);
                    changed = true;
                }
                v.seen = now;
                v.stats = e.service().stats() == null ? Stats.ZERO : e.service().stats();
                Map<DestKey, Rs> dests = new HashMap<>(e.destinations().size() * 2);
                for (Destination d : e.destinations()) {
                    DestKey dk = new DestKey(d.address(), d.port());
                    Rs r = v.dests.get(dk);
                    if (r == null || r.seen == now) {
                        r = new Rs(Labels.of("cluster", c, "node", node, "real_server", Addresses.hostPort(Addresses.format(d.address()), d.port()),
                                "virtual_server", v.label));
                        changed = true;
                    }
                    r.seen = now;
                    r.dest = d;
                    dests.put(dk, r);
                }
                changed |= dests.size() != v.dests.size() || dests.size() != e.destinations().size();
                v.dests = dests;
                rsCount += e.destinations().size();
                next.put(key, v);
            }
            changed |= next.size() != services.size() || next.size() != table.size();
            services = next;
            if (changed) {
                vsOrder = new ArrayList<>(services.values());
                vsOrder.sort(Comparator.comparing(v -> v.in));
                List<Rs> rs = new ArrayList<>(rsCount);
                services.values().forEach(v -> rs.addAll(v.dests.values()));
                rs.sort(Comparator.comparing(r -> r.in));
                rsOrder = rs;
            }
            return emit();
        }

        private MetricSnapshots emit() {
            int nv = vsOrder.size();
            int nr = rsOrder.size();
            List<CounterDataPointSnapshot> vsConn = new ArrayList<>(nv);
            List<CounterDataPointSnapshot> vsPackets = new ArrayList<>(2 * nv);
            List<CounterDataPointSnapshot> vsBytes = new ArrayList<>(2 * nv);
            for (Vs v : vsOrder) {
                vsConn.add(counter(v.stats.connections(), v.labels));
            }
            for (Vs v : vsOrder) {
                vsPackets.add(counter(v.stats.packetsIn(), v.in));
                vsBytes.add(counter(v.stats.bytesIn(), v.in));
            }
            for (Vs v : vsOrder) {
                vsPackets.add(counter(v.stats.packetsOut(), v.out));
                vsBytes.add(counter(v.stats.bytesOut(), v.out));
            }
            List<CounterDataPointSnapshot> rsConn = new ArrayList<>(nr);
            List<CounterDataPointSnapshot> rsPackets = new ArrayList<>(2 * nr);
            List<CounterDataPointSnapshot> rsBytes = new ArrayList<>(2 * nr);
            List<GaugeDataPointSnapshot> active = new ArrayList<>(nr);
            List<GaugeDataPointSnapshot> inactive = new ArrayList<>(nr);
            List<GaugeDataPointSnapshot> persistent = new ArrayList<>(nr);
            List<GaugeDataPointSnapshot> weight = new ArrayList<>(nr);
            for (Rs r : rsOrder) {
                Destination d = r.dest;
                Stats ds = d.stats() == null ? Stats.ZERO : d.stats();
                rsConn.add(counter(ds.connections(), r.labels));
                rsPackets.add(counter(ds.packetsIn(), r.in));
                rsBytes.add(counter(ds.bytesIn(), r.in));
                active.add(new GaugeDataPointSnapshot(d.activeConnections(), r.labels, null));
                inactive.add(new GaugeDataPointSnapshot(d.inactiveConnections(), r.labels, null));
                persistent.add(new GaugeDataPointSnapshot(d.persistentConnections(), r.labels, null));
                weight.add(new GaugeDataPointSnapshot(d.weight(), r.labels, null));
            }
            for (Rs r : rsOrder) {
                Stats ds = r.dest.stats() == null ? Stats.ZERO : r.dest.stats();
                rsPackets.add(counter(ds.packetsOut(), r.out));
                rsBytes.add(counter(ds.bytesOut(), r.out));
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
