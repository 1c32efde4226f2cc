package io.lvscp.plan;

import io.lvscp.common.Addresses.Family;
import java.util.List;

/**
 * A VRRP instance as one director must run it: its own priority, and the VIPs to
 * hold while master. The PASS password is not part of the plan (it is shown to
 * operators); the engine reads it from the database. {@code advertInterval} is in
 * whole seconds for VRRPv2 and in centiseconds for VRRPv3, as stored.
 */
public record VrrpInstanceSpec(String name, int vrid, String interfaceName, Family family, int vrrpVersion, int advertInterval,
        int priority, boolean preempt, int preemptDelay, boolean authPass, String multicastGroup, List<String> unicastPeers,
        String syncGroup, List<PlanInput.Vip> vips) {

    public VrrpInstanceSpec {
        unicastPeers = List.copyOf(unicastPeers);
        vips = List.copyOf(vips);
    }
}
