package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.director.NodeListing;
import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import io.lvscp.ipvs.Reconciler;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "plan", description = "What each director must hold, and the steps to get there")
class PlanController {

    /** How many of the dry-run data plane's last steps a plan shows. */
    static final int RECENT = 20;

    private final PlanService plans;
    private final DataPlane dataPlane;
    private final DataPlaneSelector.Selection selection;
    private final NodeAgent agent;
    private final LvsProperties props;
    private final LocalState local;
    private final DatabaseStatus database;
    private final NodeListing listing;
    private final Reconciler reconciler;
    private final java.time.Clock clock;

    PlanController(PlanService plans, DataPlane dataPlane, DataPlaneSelector.Selection selection, NodeAgent agent, LvsProperties props,
            LocalState local, DatabaseStatus database, NodeListing listing, Reconciler reconciler, java.time.Clock clock) {
        this.reconciler = reconciler;
        this.clock = clock;
        this.local = local;
        this.database = database;
        this.listing = listing;
        this.plans = plans;
        this.dataPlane = dataPlane;
        this.selection = selection;
        this.agent = agent;
        this.props = props;
    }

    /** One step, as shown to operators. */
    record Step(Change.Op op, String target, String command) {
        static Step of(Change c) {
            return new Step(c.op(), c.target(), c.description());
        }
    }

    record DataPlaneView(DataPlane.Mode mode, String reason, String node, long appliedGeneration, String lastError) {
    }

    /**
     * @param desiredSource "database", or "local-state" when the database cannot be read and this node's last good
     *                      state is shown (only for this process's own node)
     * @param directors     every director of the plan's cluster with the generation it has applied (from the
     *                      heartbeats); null when the database cannot be read
     * @param syncDaemons   the IPVS connection-synchronisation daemons this node's data plane runs now (the kernel's, read
     *                      with GET_DAEMON, with the kernel's defaults filled in); null for another node
     */
    record PlanResponse(String node, String cluster, long generation, DataPlaneView dataPlane, String currentSource, PlanView.DesiredView desired,
            PlanView.DataPlaneTableView current, List<Step> changes, boolean inSync, List<DryRunDataPlane.Applied> recentlyApplied, String desiredSource,
            List<NodeListing.NodeView> directors, List<SyncDaemonView> syncDaemons) {
    }

    /** A running sync daemon as the API shows it (group and settings as the kernel reports them; 0 / null: the kernel's default). */
    record SyncDaemonView(String role, String interfaceName, int syncId, int maxLength, String group, int port, int ttl, String description) {
        static SyncDaemonView of(io.lvscp.ipvs.SyncDaemon d) {
            return new SyncDaemonView(d.role().label(), d.interfaceName(), d.syncId(), d.maxLength(),
                    d.group() == null ? null : io.lvscp.common.Addresses.format(d.group()), d.port(), d.ttl(), d.toString());
        }
    }

    @GetMapping("/api/v1/nodes/{node}/plan")
    @Operation(summary = "The desired state of a director, the steps from what its data plane holds, and what each director of its "
            + "cluster has applied")
    PlanResponse plan(@PathVariable String node) {
        boolean local = node.equals(props.nodeName());
        DesiredState desired = null;
        String desiredSource = "database";
        if (local && !database.up()) {
            desired = this.local.peek().orElse(null);
            desiredSource = "local-state";
        }
        if (desired == null) {
            try {
                desired = plans.desired(node);
                desiredSource = "database";
            } catch (RuntimeException e) {
                if (!local || !DatabaseStatus.isConnectionFailure(e)) {
                    throw e;
                }
                desired = this.local.peek().orElseThrow(() -> e);
                desiredSource = "local-state";
            }
        }
        List<NodeListing.NodeView> directors = null;
        if (database.up() && desired.cluster() != null) {
            try {
                directors = listing.list(desired.cluster()).nodes();
            } catch (RuntimeException e) {
                if (!DatabaseStatus.isConnectionFailure(e)) {
                    throw e;
                }
            }
        }
        DataPlaneTable current = local ? dataPlane.read() : null;
        String source = local ? dataPlane.mode() + " data plane of this node"
                + (dataPlane.mode() == DataPlane.Mode.KERNEL ? " (the kernel's IPVS table, read over netlink; steps touch only services this node owns)" : "")
                : "none: '" + node + "' is not this process's node ('" + props.nodeName() + "'); steps start from an empty table";
        // another node: what an empty data plane (the dry-run's, which runs the kernel's reconciler) would do
        List<Step> steps = (local ? dataPlane.preview(desired) : new DryRunDataPlane(clock, reconciler).preview(desired)).stream()
                .map(Step::of).toList();
        NodeAgent.Status s = agent.status();
        DataPlaneView dp = new DataPlaneView(dataPlane.mode(), selection.reason(), s.node(), s.appliedGeneration(), s.lastError());
        DataPlane ipvs = dataPlane instanceof VrrpDataPlane v ? v.inner() : dataPlane;
        List<DryRunDataPlane.Applied> applied = local && ipvs instanceof DryRunDataPlane dry ? dry.recent(RECENT) : List.of();
        List<SyncDaemonView> daemons = local ? dataPlane.syncDaemons().stream().map(SyncDaemonView::of).toList() : null;
        return new PlanResponse(node, desired.cluster(), desired.generation(), dp, source, PlanView.of(desired),
                current == null ? null : PlanView.of(current), steps, local && steps.isEmpty(),
                applied, desiredSource, directors, daemons);
    }
}
