package io.lvscp.plan;

import java.time.Instant;
import java.util.List;

/**
 * What one director must hold at one configuration generation.
 *
 * @param draining the real servers an operator put in {@code draining}: they are in
 *                 {@code services} with weight 0, and the kernel data plane removes them
 *                 once their active connections reach 0 or the drain timeout has passed
 *                 since {@link Draining#since()}
 * @param connectionSync the IPVS sync daemons' settings (null: this director runs no sync daemon)
 */
public record DesiredState(String node, String cluster, long generation, List<IpvsService> services, List<VrrpInstanceSpec> vrrpInstances,
        List<Draining> draining, SyncDaemonSpec connectionSync) {

    /** A draining real server of one service. */
    public record Draining(ServiceKey service, String address, int port, Instant since) {
    }

    public DesiredState {
        services = List.copyOf(services);
        vrrpInstances = List.copyOf(vrrpInstances);
        draining = List.copyOf(draining);
    }

    public DesiredState(String node, String cluster, long generation, List<IpvsService> services, List<VrrpInstanceSpec> vrrpInstances,
            List<Draining> draining) {
        this(node, cluster, generation, services, vrrpInstances, draining, null);
    }

    public DesiredState(String node, String cluster, long generation, List<IpvsService> services, List<VrrpInstanceSpec> vrrpInstances) {
        this(node, cluster, generation, services, vrrpInstances, List.of());
    }

    public DataPlaneTable table() {
        return new DataPlaneTable(services, vrrpInstances);
    }
}
