package io.lvscp.dataplane;

import io.lvscp.common.Addresses;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.plan.DataPlaneTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * What this node's data plane holds for each real server now, for the web console: whether it is in
 * the table, its weight there, and (kernel data plane) its active and inactive connections, read over
 * netlink. One read serves every caller for {@link #MAX_AGE}, so many open consoles cost one read; in the kernel
 * data plane that read is shared with the IPVS metrics ({@link SharedTableRead}).
 * The dry-run data plane has no connections: they are null there.
 */
@Component
public class LocalConnections {

    static final Duration MAX_AGE = Duration.ofMillis(500);

    /** One destination: weight in the table, connections (null in dry-run). */
    public record Entry(int weight, Integer active, Integer inactive) {
    }

    /** One read of the table; {@code error} is set (and the map empty) when it failed. */
    public record Reading(DataPlane.Mode mode, Map<String, Entry> byDestination, String error) {

        /** The destination of a real server in a service (named by its {@link io.lvscp.ipvs.VirtualService#id()}), when the table holds it. */
        public Optional<Entry> find(String service, String address, int port) {
            return Optional.ofNullable(byDestination.get(key(service, address, port)));
        }
    }

    private final DataPlane dataPlane;
    private Reading last;
    private long lastAt;

    LocalConnections(DataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    static String key(String service, String address, int port) {
        return service + "|" + Addresses.hostPort(Addresses.canonical(address), port);
    }

    /**
     * The table, from a read started at most {@link #MAX_AGE} ago; in the kernel data plane perhaps the read the IPVS
     * metrics made ({@link KernelDataPlane#recentEntries}). Never throws.
     */
    public synchronized Reading read() {
        long now = System.nanoTime();
        if (last != null && now - lastAt <= MAX_AGE.toNanos()) {
            return last;
        }
        Reading r;
        long readAt = now;
        try {
            DataPlane ipvs = ipvs();
            if (ipvs instanceof KernelDataPlane kernel) {
                SharedTableRead.Stamped s = kernel.recentEntries(now, MAX_AGE);
                readAt = s.startedAt();
                r = new Reading(dataPlane.mode(), byDestination(s.entries(), true), null);
            } else {
                r = new Reading(dataPlane.mode(), byDestination(ipvs.read().services(), false), null);
            }
        } catch (RuntimeException e) {
            r = new Reading(dataPlane.mode(), Map.of(), e.toString());
        }
        last = r;
        lastAt = readAt;
        return r;
    }

    /**
     * The connection entries of this node's table (active + inactive of every destination), from a read started at
     * most {@link #MAX_AGE} ago; null in dry-run (no connections there: nothing is read) or when the read failed.
     * Counts straight from the table, without the per-destination map {@link #read} builds for the console.
     */
    public Long connectionCount() {
        if (!(ipvs() instanceof KernelDataPlane kernel)) {
            return null;
        }
        try {
            long sum = 0;
            for (TableEntry e : kernel.recentEntries(System.nanoTime(), MAX_AGE).entries()) {
                for (Destination d : e.destinations()) {
                    sum += d.activeConnections() + d.inactiveConnections();
                }
            }
            return sum;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The IPVS data plane (the kernel's or the dry-run's), under the VRRP wrapper when there is one. */
    private DataPlane ipvs() {
        return dataPlane instanceof VrrpDataPlane v ? v.inner() : dataPlane;
    }

    static Map<String, Entry> byDestination(List<TableEntry> table, boolean kernel) {
        Map<String, Entry> out = new HashMap<>();
        for (TableEntry e : table) {
            for (Destination d : e.destinations()) {
                out.put(key(e.service().id(), Addresses.format(d.address()), d.port()),
                        kernel ? new Entry(d.weight(), d.activeConnections(), d.inactiveConnections()) : new Entry(d.weight(), null, null));
            }
        }
        return out;
    }
}
