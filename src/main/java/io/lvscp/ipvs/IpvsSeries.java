package io.lvscp.ipvs;

import io.lvscp.common.Addresses;
import io.prometheus.metrics.model.snapshots.Labels;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One director's IPVS series, read after read: the label sets of each virtual server (cluster, node,
 * virtual_server) and real server (cluster, node, real_server, virtual_server) are made once and kept while
 * that service or destination stays in the table, and both are kept in label order, sorted again only when a
 * read adds or removes one. What a caller needs per label set besides (the direction="out" {@link Labels} for
 * {@link IpvsMetrics}' snapshots, the encoded label text for the direct exposition) is made once, by the
 * function given here, and kept with it. A read that changes nothing allocates a map per service and nothing
 * per series. Pure; not thread-safe.
 *
 * @param <T> what the caller makes of a label set
 */
public final class IpvsSeries<T> {

    private record ServiceKey(int family, int protocol, InetAddress address, int port, int fwmark) {
        static ServiceKey of(VirtualService s) {
            return new ServiceKey(s.family(), s.protocol(), s.address(), s.port(), s.fwmark());
        }
    }

    private record DestKey(InetAddress address, int port) {
    }

    /** A virtual or real server's label set; {@code seen} is the read that last found it in the table. */
    public abstract static class Entry<T> {
        /** cluster, node, virtual_server; for a real server also real_server. */
        public final Labels labels;
        /** {@link #labels} with direction="in", the series' order. */
        public final Labels in;
        /** What the caller made of {@link #labels}. */
        public final T made;
        long seen;

        Entry(Labels labels, Function<Labels, T> make) {
            this.labels = labels;
            this.in = labels.add("direction", "in");
            this.made = make.apply(labels);
        }
    }

    /** A virtual server. */
    public static final class Service<T> extends Entry<T> {
        final String label;
        Map<DestKey, Real<T>> dests = new HashMap<>();
        Stats stats;

        Service(Labels labels, String label, Function<Labels, T> make) {
            super(labels, make);
            this.label = label;
        }

        /** The service's counters in the last read (zero when the kernel gave none). */
        public Stats stats() {
            return stats;
        }
    }

    /** A real server. */
    public static final class Real<T> extends Entry<T> {
        Destination dest;

        Real(Labels labels, Function<Labels, T> make) {
            super(labels, make);
        }

        /** The destination as in the last read. */
        public Destination destination() {
            return dest;
        }

        /** The destination's counters in the last read (zero when the kernel gave none). */
        public Stats stats() {
            return dest.stats() == null ? Stats.ZERO : dest.stats();
        }
    }

    private static final Comparator<Entry<?>> ORDER = Comparator.comparing(e -> e.in);

    private final String node;
    private final Function<Labels, T> make;
    private String cluster;
    private Map<ServiceKey, Service<T>> services = new HashMap<>();
    private Service<T>[] serviceOrder = services(0);
    private Real<T>[] realOrder = reals(0);
    private long read;

    /** {@code make}: what to keep with each label set, made once when the set is. */
    public IpvsSeries(String node, Function<Labels, T> make) {
        this.node = node;
        this.make = make;
    }

    /** Takes a new read of the table: new services and destinations get their series made, the others are kept. */
    public void update(List<TableEntry> table, String cluster) {
        String c = cluster == null ? "" : cluster;
        if (!c.equals(this.cluster)) {
            this.cluster = c;
            services = new HashMap<>();
        }
        long now = ++read;
        boolean changed = false;
        int rsCount = 0;
        Map<ServiceKey, Service<T>> next = new HashMap<>(table.size() * 2);
        for (TableEntry e : table) {
            ServiceKey key = ServiceKey.of(e.service());
            Service<T> v = services.get(key);
            if (v == null || v.seen == now) { // new, or listed twice (never from the kernel): fresh labels
                String label = IpvsMetrics.label(e.service());
                v = new Service<>(Labels.of("cluster", c, "node", node, "virtual_server", label), label, make);
                changed = true;
            }
            v.seen = now;
            v.stats = e.service().stats() == null ? Stats.ZERO : e.service().stats();
            Map<DestKey, Real<T>> dests = new HashMap<>(e.destinations().size() * 2);
            for (Destination d : e.destinations()) {
                DestKey dk = new DestKey(d.address(), d.port());
                Real<T> r = v.dests.get(dk);
                if (r == null || r.seen == now) {
                    r = new Real<>(Labels.of("cluster", c, "node", node, "real_server", Addresses.hostPort(Addresses.format(d.address()), d.port()),
                            "virtual_server", v.label), make);
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
            Service<T>[] vs = services.values().toArray(services(0));
            Arrays.sort(vs, ORDER);
            List<Real<T>> rs = new ArrayList<>(rsCount);
            services.values().forEach(v -> rs.addAll(v.dests.values()));
            Real<T>[] ra = rs.toArray(reals(0));
            Arrays.sort(ra, ORDER);
            serviceOrder = vs;
            realOrder = ra;
        }
    }

    /** The virtual servers of the last read in label order (this object's own array, to read, not to change: a scrape copies nothing). */
    public Service<T>[] services() {
        return serviceOrder;
    }

    /** The real servers of the last read in label order (this object's own array, to read, not to change). */
    public Real<T>[] reals() {
        return realOrder;
    }

    @SuppressWarnings("unchecked")
    private static <T> Service<T>[] services(int n) {
        return new Service[n];
    }

    @SuppressWarnings("unchecked")
    private static <T> Real<T>[] reals(int n) {
        return new Real[n];
    }
}
