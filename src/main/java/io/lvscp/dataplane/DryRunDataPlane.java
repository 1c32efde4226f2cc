package io.lvscp.dataplane;

import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanDiff;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
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
        return PlanDiff.between(table, desired.table());
    }

    @Override
    public synchronized Result reconcile(DesiredState desired) {
        List<Change> changes = PlanDiff.between(table, desired.table());
        apply(changes, desired.generation());
        return new Result(changes, List.of());
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
