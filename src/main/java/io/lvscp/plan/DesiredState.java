package io.lvscp.plan;

import io.lvscp.ipvs.DesiredDestination;
import io.lvscp.ipvs.DesiredService;
import java.util.List;

/**
 * What one director must hold at one configuration generation: the IPVS table in the reconciler's own model (the
 * one every data plane diffs and writes), and the VRRP instances it runs.
 *
 * <p>A real server an operator put in {@code draining} is a {@link DesiredDestination.Status#DRAINING} destination
 * (weight 0, with the time it began); the kernel data plane removes it once its active connections reach 0 or the
 * drain timeout has passed.
 *
 * @param connectionSync the IPVS sync daemons' settings (null: this director runs no sync daemon)
 */
public record DesiredState(String node, String cluster, long generation, List<DesiredService> services, List<VrrpInstanceSpec> vrrpInstances,
        SyncDaemonSpec connectionSync) {

    public DesiredState(String node, String cluster, long generation, List<DesiredService> services, List<VrrpInstanceSpec> vrrpInstances) {
        this(node, cluster, generation, services, vrrpInstances, null);
    }


    public DesiredState {
        services = List.copyOf(services);
        vrrpInstances = List.copyOf(vrrpInstances);
    }

    /** The draining destinations' steps targets, as {@code IpvsOp#target()} names them ("TCP 172.18.42.42:80 -> 10.0.0.1:80"). */
    public java.util.Set<String> drainingTargets() {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (DesiredService s : services) {
            for (DesiredDestination d : s.destinations()) {
                if (d.status() == DesiredDestination.Status.DRAINING) {
                    out.add(new io.lvscp.ipvs.IpvsOp(io.lvscp.ipvs.IpvsOp.Kind.DEL_DEST, s.service(), d.destination()).target());
                }
            }
        }
        return out;
    }
}
