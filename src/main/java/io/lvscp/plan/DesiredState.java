package io.lvscp.plan;

import java.util.List;

/** What one director must hold at one configuration generation. */
public record DesiredState(String node, String cluster, long generation, List<IpvsService> services, List<VrrpInstanceSpec> vrrpInstances) {

    public DesiredState {
        services = List.copyOf(services);
        vrrpInstances = List.copyOf(vrrpInstances);
    }

    public DataPlaneTable table() {
        return new DataPlaneTable(services, vrrpInstances);
    }
}
