package io.lvscp.ipvs;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the drain of one real server stands on one director (pure). A draining real server is at
 * weight 0: no new connection goes to it, and it leaves IPVS when nothing the kernel holds for it is
 * left: no active connection, no inactive one (FIN_WAIT, TIME_WAIT, SYN_RECV, and every UDP entry:
 * a UDP real server never has an active one, its entries leave by the kernel's UDP expiry) and no
 * persistence template (a client's affinity, which would send it back). It leaves at the drain
 * timeout anyway, cutting what is left.
 *
 * @param phase      waiting, drained (nothing left) or timed out (something left at the deadline)
 * @param active     established connections left
 * @param inactive   other connection entries left
 * @param persistent persistence templates left
 * @param deadline   when it leaves whatever is left (null: no start time known, it waits for zero)
 */
public record DrainProgress(Phase phase, int active, int inactive, int persistent, Instant deadline) {

    public enum Phase {
        WAITING, DRAINED, TIMED_OUT;

        /** The real server leaves IPVS now. */
        public boolean done() {
            return this != WAITING;
        }
    }

    /** What is left: the connections, active and inactive, and the persistence templates. */
    public int left() {
        return active + inactive + persistent;
    }

    /** A draining real server that left IPVS in a round: which, and how its drain ended. */
    public record Finished(String service, String realServer, DrainProgress progress) {
    }

    /**
     * The drains that the removals carried out in a round ended: each DEL_DEST of a real server that is
     * draining, judged on the counters the kernel reported before it ({@code op.destination()}).
     *
     * @param removed the DEL_DEST steps the kernel accepted
     */
    public static java.util.List<Finished> finished(java.util.List<DesiredService> desired, java.util.List<IpvsOp> removed, Duration timeout,
            Instant now) {
        java.util.List<Finished> out = new java.util.ArrayList<>();
        for (IpvsOp op : removed) {
            if (op.kind() != IpvsOp.Kind.DEL_DEST || op.destination() == null) {
                continue;
            }
            for (DesiredService want : desired) {
                if (!want.service().id().equals(op.service().id())) {
                    continue;
                }
                for (DesiredDestination dd : want.destinations()) {
                    if (dd.status() == DesiredDestination.Status.DRAINING && dd.destination().sameEndpoint(op.destination())) {
                        out.add(new Finished(op.service().id(), io.lvscp.common.Addresses.hostPort(
                                op.destination().address().getHostAddress(), op.destination().port()),
                                of(op.destination(), dd.drainingSince(), dd.drainTimeout(timeout), now)));
                    }
                }
            }
        }
        return out;
    }

    /** Where one draining real server of the plan stands on this director ({@code inTable} false: it has left IPVS here). */
    public record Report(Long realServerId, String service, String realServer, DrainProgress progress, boolean inTable) {
    }

    /**
     * Every draining real server of {@code desired} as this director's table {@code have} holds it now: what the node
     * reports to the database, so that the API and the console show each director's progress.
     *
     * @param timeout the drain timeout of real servers without their own
     */
    public static java.util.List<Report> report(java.util.List<DesiredService> desired, java.util.List<TableEntry> have, Duration timeout,
            Instant now) {
        java.util.Map<String, TableEntry> byId = new java.util.HashMap<>();
        have.forEach(e -> byId.put(e.service().id(), e));
        java.util.List<Report> out = new java.util.ArrayList<>();
        for (DesiredService want : desired) {
            TableEntry entry = byId.get(want.service().id());
            for (DesiredDestination dd : want.destinations()) {
                if (dd.status() != DesiredDestination.Status.DRAINING) {
                    continue;
                }
                Destination there = null;
                if (entry != null) {
                    for (Destination d : entry.destinations()) {
                        if (d.sameEndpoint(dd.destination())) {
                            there = d;
                        }
                    }
                }
                out.add(new Report(dd.realServerId(), want.service().id(), io.lvscp.common.Addresses.hostPort(
                        dd.destination().address().getHostAddress(), dd.destination().port()),
                        of(there, dd.drainingSince(), dd.drainTimeout(timeout), now), there != null));
            }
        }
        return out;
    }

    /**
     * @param have    the real server in the kernel's table now, with its counters; null when it is not there
     * @param since   when the drain started (null: unknown, no deadline)
     * @param timeout how long a drain may last
     */
    public static DrainProgress of(Destination have, Instant since, Duration timeout, Instant now) {
        Instant deadline = since == null ? null : since.plus(timeout);
        if (have == null) {
            return new DrainProgress(Phase.DRAINED, 0, 0, 0, deadline);
        }
        int a = Math.max(0, have.activeConnections());
        int i = Math.max(0, have.inactiveConnections());
        int p = Math.max(0, have.persistentConnections());
        Phase phase = a + i + p == 0 ? Phase.DRAINED : deadline != null && !now.isBefore(deadline) ? Phase.TIMED_OUT : Phase.WAITING;
        return new DrainProgress(phase, a, i, p, deadline);
    }
}
