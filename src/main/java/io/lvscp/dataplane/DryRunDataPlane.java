package io.lvscp.dataplane;

import io.lvscp.common.Addresses;
import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.IpvsService;
import io.lvscp.plan.PlanDiff;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data plane that touches nothing on the host: it keeps the table it would hold in
 * memory and records the steps it would have carried out (the last {@value #HISTORY}).
 */
public class DryRunDataPlane implements DataPlane {

    static final int HISTORY = 200;
    private static final Logger log = LoggerFactory.getLogger(DryRunDataPlane.class);

    /** One step it would have carried out. */
    public record Applied(Instant at, long generation, Change.Op op, String description) {
    }

    private final Clock clock;
    private DataPlaneTable table = DataPlaneTable.EMPTY;
    private final Deque<Applied> history = new ArrayDeque<>();

    public DryRunDataPlane(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String mode() {
        return "dry-run";
    }

    @Override
    public synchronized DataPlaneTable read() {
        return table;
    }

    @Override
    public synchronized List<Change> preview(DesiredState desired) {
        return PlanDiff.between(table, target(desired));
    }

    @Override
    public synchronized Result reconcile(DesiredState desired) {
        List<Change> changes = PlanDiff.between(table, target(desired));
        apply(changes, desired.generation());
        return new Result(changes, List.of());
    }

    /**
     * What it would hold: the desired table less the draining real servers. The kernel data plane
     * removes a draining real server once it has no active connection; a dry run has no traffic, so
     * it has none, and leaves as it would in the kernel (at the first round after the drain).
     */
    static DataPlaneTable target(DesiredState desired) {
        if (desired.draining().isEmpty()) {
            return desired.table();
        }
        Set<String> drained = new HashSet<>();
        desired.draining().forEach(d -> drained.add(d.service() + "|" + Addresses.hostPort(d.address(), d.port())));
        List<IpvsService> services = desired.table().services().stream()
                .map(s -> s.withDestinations(s.destinations().stream().filter(d -> !drained.contains(s.key() + "|" + d.endpoint())).toList()))
                .toList();
        return new DataPlaneTable(services, desired.table().vrrpInstances());
    }

    private void apply(List<Change> changes, long generation) {
        table = PlanDiff.apply(table, changes);
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
        List<Applied> out = new java.util.ArrayList<>(Math.min(limit, history.size()));
        java.util.Iterator<Applied> it = history.descendingIterator();
        while (it.hasNext() && out.size() < limit) {
            out.add(it.next());
        }
        return out;
    }
}
