package io.lvscp.ipvs;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * An IPVS table in memory, for the dry-run data plane: the same {@link IpvsOp}s the kernel gets, applied as the
 * kernel applies them (a service or destination added twice, or edited or deleted while absent, is refused), with
 * no traffic (no connections, no counters). Not thread-safe.
 */
public final class InMemoryIpvsTable {

    private final TreeMap<String, TableEntry> services = new TreeMap<>();

    /** A table holding these rows as they are (with their connection counts): what a test starts from. */
    public static InMemoryIpvsTable holding(List<TableEntry> rows) {
        InMemoryIpvsTable t = new InMemoryIpvsTable();
        rows.forEach(e -> t.services.put(e.service().id(), e));
        return t;
    }

    /** The table, services by id, destinations in the order they were added. */
    public List<TableEntry> read() {
        return List.copyOf(services.values());
    }

    /** The ids of the services it holds (every one was put there by the dry-run data plane, so it owns them all). */
    public java.util.Set<String> ids() {
        return java.util.Set.copyOf(services.keySet());
    }

    /** Carries out one write; an {@link IllegalStateException} names the kernel's answer when it would refuse it. */
    public void apply(IpvsOp op) {
        String id = op.service().id();
        TableEntry have = services.get(id);
        switch (op.kind()) {
            case NEW_SERVICE -> {
                require(have == null, "EEXIST: service " + id + " exists");
                services.put(id, new TableEntry(op.service(), List.of()));
            }
            case SET_SERVICE -> {
                require(have != null, "ESRCH: no service " + id);
                services.put(id, new TableEntry(op.service(), have.destinations()));
            }
            case DEL_SERVICE -> {
                require(have != null, "ESRCH: no service " + id);
                services.remove(id);
            }
            case NEW_DEST, SET_DEST, DEL_DEST -> {
                require(have != null, "ESRCH: no service " + id);
                List<Destination> dests = new ArrayList<>(have.destinations());
                int at = -1;
                for (int i = 0; i < dests.size(); i++) {
                    if (dests.get(i).sameEndpoint(op.destination())) {
                        at = i;
                    }
                }
                switch (op.kind()) {
                    case NEW_DEST -> {
                        require(at < 0, "EEXIST: " + op + " exists");
                        dests.add(op.destination());
                    }
                    case SET_DEST -> {
                        require(at >= 0, "ENOENT: " + op + " does not exist");
                        // an edit keeps what the kernel counts: connections and counters
                        Destination h = dests.get(at);
                        Destination w = op.destination();
                        dests.set(at, new Destination(w.family(), w.address(), w.port(), w.forward(), w.weight(), w.upperThreshold(),
                                w.lowerThreshold(), w.tunnelType(), w.tunnelPort(), w.tunnelFlags(), h.activeConnections(),
                                h.inactiveConnections(), h.persistentConnections(), h.stats()));
                    }
                    default -> {
                        require(at >= 0, "ENOENT: " + op + " does not exist");
                        dests.remove(at);
                    }
                }
                services.put(id, new TableEntry(have.service(), dests));
            }
        }
    }

    private static void require(boolean ok, String refusal) {
        if (!ok) {
            throw new IllegalStateException(refusal);
        }
    }
}
