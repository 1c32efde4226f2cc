package io.lvscp.dataplane;

import io.lvscp.database.DatabaseStatus;
import io.lvscp.database.DrainProgressStore;
import io.lvscp.ipvs.DrainProgress;
import io.lvscp.plan.DesiredState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each round of the node agent: where each draining real server's drain stands on this director (what its
 * table still holds for it: {@link DrainProgress#report}), written to director_drain_progress so that the API
 * ({@code GET} of a real server) and the console show every director's progress. Writes nothing while nothing
 * drains and nothing was written before. Never throws: a report that cannot be written waits for the next round.
 */
final class DrainReporter {

    private static final Logger log = LoggerFactory.getLogger(DrainReporter.class);

    private final String node;
    private final DataPlane dataPlane;
    private final DrainProgressStore store;
    private final Duration defaultTimeout;
    private final Clock clock;
    private boolean wroteSome = true; // rows of a previous run may be there: clear them at the first round
    private String lastError;

    DrainReporter(String node, DataPlane dataPlane, DrainProgressStore store, Duration defaultTimeout, Clock clock) {
        this.node = node;
        this.dataPlane = dataPlane;
        this.store = store;
        this.defaultTimeout = defaultTimeout;
        this.clock = clock;
    }

    /** The rows this director reports for {@code desired}, as its table holds the draining real servers now. */
    List<DrainProgressStore.Row> rows(DesiredState desired) {
        if (desired.drainingTargets().isEmpty()) {
            return List.of();
        }
        List<DrainProgressStore.Row> rows = new ArrayList<>();
        for (DrainProgress.Report r : DrainProgress.report(desired.services(), dataPlane.read().services(), defaultTimeout, clock.instant())) {
            if (r.realServerId() == null) {
                continue;
            }
            DrainProgress p = r.progress();
            rows.add(new DrainProgressStore.Row(node, r.realServerId(), p.phase().name(), p.active(), p.inactive(), p.persistent(),
                    r.inTable(), p.deadline(), null));
        }
        return rows;
    }

    void afterRound(DesiredState desired) {
        try {
            List<DrainProgressStore.Row> rows = rows(desired);
            if (rows.isEmpty() && !wroteSome) {
                return;
            }
            store.write(node, rows);
            wroteSome = !rows.isEmpty();
            lastError = null;
        } catch (RuntimeException e) {
            if (!DatabaseStatus.isConnectionFailure(e) && !e.toString().equals(lastError)) {
                lastError = e.toString();
                log.warn("Node {}: cannot report the drains' progress: {}", node, e.toString());
            }
        }
    }
}
