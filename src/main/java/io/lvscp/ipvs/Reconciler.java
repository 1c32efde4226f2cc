package io.lvscp.ipvs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Desired table against the kernel's table -> the minimal ordered list of writes (pure).
 *
 * <ul>
 * <li>Only managed services are touched: those desired now and those in {@code owned}
 * (what this control plane programmed before and may have to remove). Anything else in
 * the kernel (an operator's `ipvsadm -A`) is left alone.</li>
 * <li>Adoption: a desired service already in the kernel is kept as it is (no flush, no
 * delete and re-add, so no connection is dropped); only differing attributes are SET.</li>
 * <li>Drift (a managed service or destination changed by hand) shows up as writes.</li>
 * <li>DOWN real servers are removed, or kept at weight 0 with inhibit_on_failure.
 * DRAINING ones get weight 0 and are removed once nothing is left of them in the kernel (no
 * active or inactive connection, no persistence template: {@link DrainProgress}) or the drain
 * timeout has passed.</li>
 * </ul>
 * <p>Order, the one order of every data plane (the kernel's, the dry-run's, and the steps {@code /plan}
 * shows): it keeps capacity, adding before removing. Per service, sorted by id: NEW_SERVICE or
 * SET_SERVICE, then NEW_DEST, then SET_DEST (weights, thresholds, forwarding method), then DEL_DEST;
 * services no longer desired are deleted last, after every other service has its new destinations.
 * No step has to make room first: IPVS keys a destination by its address and port within its
 * service and a service by protocol, address and port (or firewall mark and family), so anything
 * else about them is edited in place, and a removal is only ever of something no longer wanted.
 */
public final class Reconciler {

    private static final int IGNORED_FLAGS = ServiceFlags.HASHED;

    private final Duration drainTimeout;

    public Reconciler(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    /** How long a drain may last (lvs.reconcile.drain-timeout). */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    public List<IpvsOp> reconcile(List<DesiredService> desired, List<TableEntry> actual, Set<String> owned, Instant now) {
        Map<String, TableEntry> current = new LinkedHashMap<>();
        actual.forEach(e -> current.put(e.service().id(), e));
        List<IpvsOp> ops = new ArrayList<>();
        List<DesiredService> sorted = new ArrayList<>(desired);
        sorted.sort(Comparator.comparing(d -> d.service().id()));
        for (DesiredService want : sorted) {
            VirtualService svc = want.service();
            TableEntry have = current.get(svc.id());
            List<Destination> haveDests = have == null ? List.of() : have.destinations();
            if (have == null) {
                ops.add(new IpvsOp(IpvsOp.Kind.NEW_SERVICE, svc, null));
            } else if (!sameAttributes(svc, have.service())) {
                ops.add(new IpvsOp(IpvsOp.Kind.SET_SERVICE, svc, null));
            }
            Map<String, Destination> target = new LinkedHashMap<>();
            for (DesiredDestination dd : want.destinations()) {
                Destination d = effective(dd, find(haveDests, dd.destination()), now);
                if (d != null) {
                    target.put(endpoint(d), d);
                }
            }
            List<IpvsOp> edits = new ArrayList<>();
            for (Destination t : target.values()) {
                Destination h = find(haveDests, t);
                if (h == null) {
                    ops.add(new IpvsOp(IpvsOp.Kind.NEW_DEST, svc, t));
                } else if (!sameDestination(t, h)) {
                    edits.add(new IpvsOp(IpvsOp.Kind.SET_DEST, svc, t));
                }
            }
            ops.addAll(edits);
            for (Destination h : haveDests) {
                if (!target.containsKey(endpoint(h))) {
                    ops.add(new IpvsOp(IpvsOp.Kind.DEL_DEST, svc, h));
                }
            }
        }
        Set<String> wanted = new java.util.HashSet<>();
        desired.forEach(d -> wanted.add(d.service().id()));
        current.values().stream()
                .filter(e -> !wanted.contains(e.service().id()) && owned.contains(e.service().id()))
                .sorted(Comparator.comparing(e -> e.service().id()))
                .forEach(e -> ops.add(new IpvsOp(IpvsOp.Kind.DEL_SERVICE, e.service(), null)));
        return ops;
    }

    /** What the kernel should hold for this real server now, or null for nothing. */
    private Destination effective(DesiredDestination dd, Destination have, Instant now) {
        Destination d = dd.destination();
        return switch (dd.status()) {
            case UP -> d;
            case DOWN -> dd.inhibitOnFailure() ? d.withWeight(0) : null;
            case DRAINING -> DrainProgress.of(have, dd.drainingSince(), dd.drainTimeout(drainTimeout), now).phase().done() ? null : d.withWeight(0);
        };
    }

    private static Destination find(List<Destination> in, Destination d) {
        for (Destination h : in) {
            if (h.sameEndpoint(d)) {
                return h;
            }
        }
        return null;
    }

    private static String endpoint(Destination d) {
        return d.address().getHostAddress() + "#" + d.port();
    }

    static boolean sameAttributes(VirtualService want, VirtualService have) {
        return want.scheduler().equals(have.scheduler())
                && (want.flags() & ~IGNORED_FLAGS) == (have.flags() & ~IGNORED_FLAGS)
                && want.timeout() == have.timeout()
                && (want.timeout() == 0 || want.netmask() == have.netmask())
                && Objects.equals(want.peName(), have.peName());
    }

    static boolean sameDestination(Destination want, Destination have) {
        return want.forward() == have.forward() && want.weight() == have.weight()
                && want.upperThreshold() == have.upperThreshold() && want.lowerThreshold() == have.lowerThreshold()
                && (want.forward() != Forward.TUNNEL
                        || (Objects.equals(want.tunnelType() == null ? TunnelType.IPIP : want.tunnelType(), have.tunnelType())
                                && want.tunnelPort() == have.tunnelPort()));
    }
}
