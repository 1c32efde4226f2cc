package io.lvscp.dataplane;

import io.lvscp.ipvs.linux.IpvsClient;
import io.lvscp.ipvs.linux.KernelIpvsTable;
import io.lvscp.ipvs.DesiredService;
import io.lvscp.ipvs.IpvsOp;
import io.lvscp.ipvs.Reconciler;
import io.lvscp.ipvs.SyncDaemon;
import io.lvscp.plan.SyncDaemonPlan;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.netlink.NetlinkErrorException;
import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The `kernel` data plane's IPVS part. Each round reads the kernel's table over netlink,
 * runs the (pure) {@link Reconciler} against the desired table and the set of services
 * this node owns, and writes the resulting ops as one batch.
 *
 * <ul>
 * <li>Only owned services are changed or deleted: ownership is recorded (in the
 * database, through {@link Ownership}) before a service is created or when a desired
 * service is found already in the kernel (adoption: no flush, no delete and re-add).</li>
 * <li>A write the kernel refuses is reported with the kernel's reason; the others are
 * still applied; the next round tries again.</li>
 * <li>A socket-level failure (ENOBUFS on a huge dump, a closed socket) drops the socket;
 * the next call opens a fresh one.</li>
 * <li>Connection-synchronisation daemons follow the desired state's {@code connectionSync} after the
 * IPVS writes ({@link SyncDaemonPlan}): a daemon already running as wanted is adopted, not restarted.</li>
 * </ul>
 * VRRP instances are not handled here.
 */
public final class KernelDataPlane implements DataPlane, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KernelDataPlane.class);

    /** Where a node's owned service ids (and the ids of the sync daemons it manages, {@link SyncDaemonPlan#ownershipId}) are kept. */
    public interface Ownership {
        Set<String> load();

        void add(Set<String> ids, Instant now);

        void remove(Set<String> ids);
    }

    /** Opens a netlink socket to IPVS ({@code IpvsClient::open}). */
    public interface Opener {
        IpvsClient open() throws IOException;
    }

    private final Opener opener;
    private final Ownership ownership;
    private final Reconciler reconciler;
    private final Clock clock;
    private IpvsClient client;
    /** The sync daemon roles this process started or adopted (it stops no other). */
    private final java.util.EnumSet<SyncDaemon.Role> managedDaemons = java.util.EnumSet.noneOf(SyncDaemon.Role.class);
    /** The last read of the table, shared by the connection counts and the metrics (not by the reconciler: it reads afresh). */
    private final SharedTableRead recent = new SharedTableRead(this::entries, System::nanoTime);

    public KernelDataPlane(Opener opener, Ownership ownership, Reconciler reconciler, Clock clock) {
        this.opener = opener;
        this.ownership = ownership;
        this.reconciler = reconciler;
        this.clock = clock;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public Mode mode() {
        return Mode.KERNEL;
    }

    /** The kernel's whole table with stats and connection counts (one read, retried once on a fresh socket). */
    public synchronized List<TableEntry> entries() {
        try {
            return table().read();
        } catch (NetlinkErrorException e) {
            throw new UncheckedIOException("reading the IPVS table: " + e.getMessage(), e);
        } catch (IOException e) {
            close();
            log.warn("Reading the IPVS table failed ({}); retrying on a new netlink socket", e.getMessage());
            try {
                return table().read();
            } catch (IOException again) {
                close();
                throw new UncheckedIOException("reading the IPVS table: " + again.getMessage(), again);
            }
        }
    }

    /**
     * The table as {@link #entries()} lists it, from a read started at most {@code maxAge} before {@code freshAt}
     * ({@code System.nanoTime()}): one read serves the connection counts and the metrics ({@link SharedTableRead}).
     */
    SharedTableRead.Stamped recentEntries(long freshAt, java.time.Duration maxAge) {
        return recent.read(freshAt, maxAge);
    }

    @Override
    public DataPlaneTable read() {
        return new DataPlaneTable(entries(), List.of());
    }

    @Override
    public synchronized List<Change> preview(DesiredState desired) {
        Set<String> owned = ownership.load();
        List<Change> steps = new ArrayList<>(ops(desired, entries(), owned).stream().map(Change::of).toList());
        syncSteps(desired, owned).forEach(s -> steps.add(s.toChange()));
        return steps;
    }

    /** The kernel's running sync daemons (GET_DAEMON, retried once on a fresh socket). */
    @Override
    public synchronized List<SyncDaemon> syncDaemons() {
        try {
            return client().daemons();
        } catch (NetlinkErrorException e) {
            throw new UncheckedIOException("reading the sync daemons: " + e.getMessage(), e);
        } catch (IOException e) {
            close();
            try {
                return client().daemons();
            } catch (IOException again) {
                close();
                throw new UncheckedIOException("reading the sync daemons: " + again.getMessage(), again);
            }
        }
    }

    /** The roles this node manages: started or adopted by this process, or recorded as its own by an earlier one. */
    private java.util.EnumSet<SyncDaemon.Role> managed(Set<String> owned) {
        java.util.EnumSet<SyncDaemon.Role> m = java.util.EnumSet.copyOf(SyncDaemonPlan.ownedRoles(owned));
        m.addAll(managedDaemons);
        return m;
    }

    /** The sync daemon steps now: none to read or write while sync is off and no daemon is managed. */
    private List<SyncDaemonPlan.Step> syncSteps(DesiredState desired, Set<String> owned) {
        return syncSteps(SyncDaemonPlan.desired(desired.connectionSync()), managed(owned), null);
    }

    private List<SyncDaemonPlan.Step> syncSteps(List<SyncDaemon> want, Set<SyncDaemon.Role> managed, List<SyncDaemon> running) {
        if (want.isEmpty() && managed.isEmpty()) {
            return List.of();
        }
        return SyncDaemonPlan.steps(want, running != null ? running : syncDaemons(), managed);
    }

    /**
     * Carries out the sync daemon steps; a refused one (no such interface: ENODEV) is reported and tried again next round.
     * A daemon is recorded as this node's (with its owned services) before it is started or when it is adopted, and
     * forgotten once it is not wanted and no longer runs.
     */
    private void reconcileSyncDaemons(DesiredState desired, Set<String> owned, List<Change> applied, List<Refused> refused) {
        List<SyncDaemon> want;
        try {
            want = SyncDaemonPlan.desired(desired.connectionSync());
        } catch (IllegalArgumentException e) {
            refused.add(new Refused(new Change(Change.Op.START_SYNC_DAEMON, "sync daemon", "start the sync daemons"), e.getMessage()));
            return;
        }
        java.util.EnumSet<SyncDaemon.Role> managed = managed(owned);
        if (want.isEmpty() && managed.isEmpty()) {
            return;
        }
        List<SyncDaemon> running = syncDaemons();
        List<SyncDaemonPlan.Step> steps = syncSteps(want, managed, running);
        java.util.EnumSet<SyncDaemon.Role> wanted = SyncDaemonPlan.managedAfter(want);
        Set<String> toOwn = new HashSet<>(SyncDaemonPlan.ownershipIds(wanted));
        toOwn.removeAll(owned);
        if (!toOwn.isEmpty()) {
            ownership.add(toOwn, clock.instant()); // before the start: a crash after it must not leave the daemon unowned
        }
        java.util.EnumSet<SyncDaemon.Role> runningAfter = java.util.EnumSet.noneOf(SyncDaemon.Role.class);
        running.forEach(d -> runningAfter.add(d.role()));
        boolean failed = false;
        for (SyncDaemonPlan.Step s : steps) {
            try {
                if (s.op() == Change.Op.STOP_SYNC_DAEMON) {
                    client().stopDaemon(s.daemon().role());
                    runningAfter.remove(s.daemon().role());
                } else {
                    client().startDaemon(s.daemon());
                    runningAfter.add(s.daemon().role());
                }
                applied.add(s.toChange());
            } catch (NetlinkErrorException e) {
                if (s.op() == Change.Op.STOP_SYNC_DAEMON && e.errno() == io.lvscp.netlink.Errno.ESRCH) {
                    runningAfter.remove(s.daemon().role());
                    continue; // stopped by someone else first
                }
                failed = true;
                refused.add(new Refused(s.toChange(), e.getMessage()));
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("sync daemons: " + e.getMessage(), e);
            }
        }
        managedDaemons.clear();
        managedDaemons.addAll(wanted);
        // forget the daemons recorded as ours that are not wanted and no longer run (stopped now, or by someone else)
        java.util.EnumSet<SyncDaemon.Role> forget = SyncDaemonPlan.ownedRoles(owned);
        forget.removeAll(wanted);
        forget.removeAll(runningAfter);
        if (!forget.isEmpty()) {
            ownership.remove(SyncDaemonPlan.ownershipIds(forget));
        }
        if (failed) {
            log.warn("Sync daemon steps refused; the next round tries again");
        }
    }

    @Override
    public synchronized Result reconcile(DesiredState desired) {
        List<TableEntry> kernel = entries();
        Set<String> owned = ownership.load();
        List<DesiredService> want = desired.services();
        Instant now = clock.instant();
        // own every desired service before touching it: a crash after the write must not leave an orphan
        Set<String> wanted = new HashSet<>();
        want.forEach(d -> wanted.add(d.service().id()));
        Set<String> newlyOwned = new HashSet<>(wanted);
        newlyOwned.removeAll(owned);
        if (!newlyOwned.isEmpty()) {
            ownership.add(newlyOwned, now);
            owned.addAll(newlyOwned);
        }
        List<IpvsOp> ops = reconciler.reconcile(want, kernel, owned, now);
        List<Change> applied = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        Set<Integer> failed = new HashSet<>();
        if (!ops.isEmpty()) {
            List<io.lvscp.ipvs.netlink.Request> requests = ops.stream().map(IpvsOp::toRequest).toList();
            IpvsClient.BatchResult r;
            try {
                r = client().apply(requests);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("writing " + ops.size() + " IPVS op(s): " + e.getMessage(), e);
            }
            for (int k = 0; k < r.failedIndexes().size(); k++) {
                int i = r.failedIndexes().get(k);
                if (alreadyGone(ops.get(i), r.errors().get(k))) {
                    continue; // a delete of what someone else deleted first: the goal is reached
                }
                failed.add(i);
                refused.add(new Refused(Change.of(ops.get(i)), r.errors().get(k).getMessage()));
            }
            for (int i = 0; i < ops.size(); i++) {
                if (!failed.contains(i)) {
                    applied.add(Change.of(ops.get(i)));
                }
            }
        }
        // forget owned services that are gone: deleted by us now, or by someone else
        Set<String> inKernel = new HashSet<>();
        kernel.forEach(e -> inKernel.add(e.service().id()));
        Set<String> gone = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).kind() == IpvsOp.Kind.DEL_SERVICE && !failed.contains(i)) {
                gone.add(ops.get(i).service().id());
            }
        }
        for (String id : owned) {
            if (!SyncDaemonPlan.isOwnershipId(id) && !wanted.contains(id) && !inKernel.contains(id)) {
                gone.add(id);
            }
        }
        if (!gone.isEmpty()) {
            ownership.remove(gone);
        }
        List<IpvsOp> removed = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            if (ops.get(i).kind() == IpvsOp.Kind.DEL_DEST && !failed.contains(i)) {
                removed.add(ops.get(i));
            }
        }
        reconcileSyncDaemons(desired, owned, applied, refused);
        return new Result(applied, refused, io.lvscp.ipvs.DrainProgress.finished(want, removed, reconciler.drainTimeout(), now));
    }

    /** DEL_SERVICE answered ESRCH (no such service), DEL_DEST answered ENOENT (no such destination). */
    static boolean alreadyGone(IpvsOp op, NetlinkErrorException e) {
        return (op.kind() == IpvsOp.Kind.DEL_SERVICE && e.errno() == io.lvscp.netlink.Errno.ESRCH)
                || (op.kind() == IpvsOp.Kind.DEL_DEST && (e.errno() == io.lvscp.netlink.Errno.ENOENT
                        || e.errno() == io.lvscp.netlink.Errno.ESRCH));
    }

    private List<IpvsOp> ops(DesiredState desired, List<TableEntry> kernel, Set<String> owned) {
        return reconciler.reconcile(desired.services(), kernel, owned, clock.instant());
    }

    private IpvsClient client() throws IOException {
        if (client == null) {
            client = opener.open();
        }
        return client;
    }

    private KernelIpvsTable table() throws IOException {
        return new KernelIpvsTable(client());
    }
}
