package io.lvscp.plan;

import io.lvscp.ipvs.TableEntry;
import java.util.List;

/** What a data plane holds: its IPVS table (the reconciler's model, as read back) and its VRRP instances. */
public record DataPlaneTable(List<TableEntry> services, List<VrrpInstanceSpec> vrrpInstances) {

    public static final DataPlaneTable EMPTY = new DataPlaneTable(List.of(), List.of());

    public DataPlaneTable {
        services = List.copyOf(services);
        vrrpInstances = List.copyOf(vrrpInstances);
    }
}
