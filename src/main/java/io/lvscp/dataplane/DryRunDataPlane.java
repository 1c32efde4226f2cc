package io.lvscp.dataplane;

import io.lvscp.ipvs.InMemoryIpvsTable;
import io.lvscp.ipvs.IpvsOp;
import io.lvscp.ipvs.Reconciler;
import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.VrrpInstanceSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data plane that touches nothing on the host: the kernel data plane's {@link Reconciler} against an
 * {@link InMemoryIpvsTable} (so it takes the same steps, in the same order, as the kernel would with no traffic:
 * a draining real server has no connections and goes at once), plus the VRRP instances it would run. It records the
 * steps it would have carried out (the last {@value #HISTORY}).
 */
public class DryRunDataPlane implements DataPlane {

    static final int HISTORY = 200;
    private static final Logger log = LoggerFactory.getLogger(DryRunDataPlane.class);

    /** One step it would have carried out. */
    public record Applied(Instant at, long generation, Change.Op op, String description) {
    }

    private final Clock clock;
    private final Reconciler reconciler;
    private final InMemoryIpvsTable ipvs = new InMemoryIpvsTable();
    private List<VrrpInstanceSpec> vrrp = List.of();
    /** The sync daemons it would run (it manages every one: nothing else starts them here). */
    private List<io.lvscp.ipvs.SyncDaemon> daemons = List.of();
    private final Deque<Applied> history = new ArrayDeque<>();

    public DryRunDataPlane(Clock clock, Reconciler reconciler) {
        this.clock = clock;
        this.reconciler = reconciler;
    }

    @Override
    public Mode mode() {
        return Mode.DRY_RUN;
    }

    @Override
    public synchronized DataPlaneTable read() {
        return new DataPlaneTable(ipvs.read(), vrrp);
    }

    @Override
    public synchronized List<Change> preview(DesiredState desired) {
        List<Change> steps = new ArrayList<>();
        ops(desired).forEach(op -> steps.add(Change.of(op)));
        steps.addAll(Change.vrrpSteps(vrrp, desired.vrrpInstances()));
        syncSteps(desired).forEach(s -> steps.add(s.toChange()));
        return steps;
    }

    @Override
    public synchronized Result reconcile(DesiredState desired) {
        List<Change> applied = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (IpvsOp op : ops(desired)) {
            try {
                ipvs.apply(op);
                applied.add(Change.of(op));
            } catch (IllegalStateException e) {
                refused.add(new Refused(Change.of(op), e.getMessage()));
            }
        }
        applied.addAll(Change.vrrpSteps(vrrp, desired.vrrpInstances()));
        vrrp = desired.vrrpInstances();
        try {
            List<io.lvscp.ipvs.SyncDaemon> want = io.lvscp.plan.SyncDaemonPlan.desired(desired.connectionSync());
            syncSteps(desired).forEach(s -> applied.add(s.toChange()));
            daemons = want;
        } catch (IllegalArgumentException e) {
            refused.add(new Refused(new Change(Change.Op.START_SYNC_DAEMON, "sync daemon", "start the sync daemons"), e.getMessage()));
        }
        record(applied, desired.generation());
        return new Result(applied, refused);
    }

    @Override
    public synchronized List<io.lvscp.ipvs.SyncDaemon> syncDaemons() {
        return daemons;
    }

    private List<io.lvscp.plan.SyncDaemonPlan.Step> syncSteps(DesiredState desired) {
        java.util.EnumSet<io.lvscp.ipvs.SyncDaemon.Role> all = java.util.EnumSet.allOf(io.lvscp.ipvs.SyncDaemon.Role.class);
        return io.lvscp.plan.SyncDaemonPlan.steps(io.lvscp.plan.SyncDaemonPlan.desired(desired.connectionSync()), daemons, all);
    }

    /** The reconciler's writes: it owns every service it holds (nothing else writes to its table). */
    private List<IpvsOp> ops(DesiredState desired) {
        return reconciler.reconcile(desired.services(), ipvs.read(), ipvs.ids(), clock.instant());
    }

    private void record(List<Change> changes, long generation) {
        Instant now = clock.instant();
        for (Change c : changes) {
            log.info("dry-run (generation {}): would {}", generation, c.description());
            history.addLast(new Applied(now, generation, c.op(), c.description()));
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
    }

    /** The last steps it would have carried out, newest first. */
    public synchronized List<Applied> recent(int limit) {
        List<Applied> out = new ArrayList<>(Math.min(limit, history.size()));
        java.util.Iterator<Applied> it = history.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }
}
