package io.lvscp.plan;

import java.util.List;

/** What a data plane holds (or must hold): IPVS services and VRRP instances. */
public record DataPlaneTable(List<IpvsService> services, List<VrrpInstanceSpec> vrrpInstances) {

    public static final DataPlaneTable EMPTY = new DataPlaneTable(List.of(), List.of());

    public DataPlaneTable {
        services = List.copyOf(services);
        vrrpInstances = List.copyOf(vrrpInstances);
    }
}
