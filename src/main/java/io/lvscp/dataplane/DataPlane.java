package io.lvscp.dataplane;

import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import java.util.List;

/** What programs a director: reads what it holds, carries out steps. */
public interface DataPlane {

    /** "dry-run" or "kernel". */
    String mode();

    /** What the data plane holds now. */
    DataPlaneTable read();

    /**
     * Carries out the steps, in order.
     *
     * @param generation the configuration generation they come from
     */
    void apply(List<Change> changes, long generation);
}
