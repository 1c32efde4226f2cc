package io.lvscp.dataplane;

import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import java.util.List;

/** What programs a director: reads what it holds, and brings it to a desired state. */
public interface DataPlane {

    /** What programs the host: the kernel's IPVS (and VRRP on raw sockets), or nothing (dry-run). */
    enum Mode {
        KERNEL("kernel"), DRY_RUN("dry-run");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        /** "kernel" or "dry-run": as the API, the actuator health and the heartbeats show it. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String wireName() {
            return wireName;
        }

        @Override
        public String toString() {
            return wireName;
        }
    }

    Mode mode();

    /** The IPVS connection-synchronisation daemons it runs (the kernel's, read now; the dry-run's in memory). */
    default List<io.lvscp.ipvs.SyncDaemon> syncDaemons() {
        return List.of();
    }

    /** What the data plane holds now (for the kernel: the whole IPVS table, including services it does not manage). */
    DataPlaneTable read();

    /** The steps {@link #reconcile} would carry out now, without carrying them out. */
    List<Change> preview(DesiredState desired);

    /**
     * Brings the data plane to the desired state with the fewest steps. A step the data
     * plane refuses does not stop the others; it is reported in the result, and the
     * next round tries it again.
     */
    Result reconcile(DesiredState desired);

    /** One step that was refused, with the reason (for the kernel: the errno and its meaning). */
    record Refused(Change change, String reason) {
    }

    /** What one round did: the steps carried out, those refused, and the drains its removals ended (kernel data plane). */
    record Result(List<Change> applied, List<Refused> refused, List<io.lvscp.ipvs.DrainProgress.Finished> drains) {

        public static final Result NOTHING = new Result(List.of(), List.of());

        public Result {
            applied = List.copyOf(applied);
            refused = List.copyOf(refused);
            drains = List.copyOf(drains);
        }

        public Result(List<Change> applied, List<Refused> refused) {
            this(applied, refused, List.of());
        }

        public boolean ok() {
            return refused.isEmpty();
        }
    }
}
