package io.lvscp.ipvs;

import io.lvscp.common.Addresses;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.IpvsDestination;
import io.lvscp.plan.IpvsService;
import io.lvscp.plan.ServiceKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * From the plan's desired state (the compiler's output: what {@code /plan} shows as "desired" and the local state
 * file keeps) to the reconciler's model of the IPVS table, the only one any data plane diffs and writes; and, for
 * display only, a table's row as the plan shows "current" (pure).
 */
public final class PlanMapping {

    private PlanMapping() {
    }

    public static VirtualService toKernel(ServiceKey k, String scheduler, int timeout, Integer netmask) {
        int family = k.family() == Addresses.Family.IPV6 ? VirtualService.AF_INET6 : VirtualService.AF_INET;
        VirtualService s = k.byMark()
                ? VirtualService.fwmark(family, (int) k.fwmark(), scheduler)
                : VirtualService.of(k.protocol().number(), Addresses.parse(k.address()), k.port(), scheduler);
        int prefix = netmask != null ? netmask : family == VirtualService.AF_INET6 ? 128 : 32;
        return timeout > 0 ? s.persistent(timeout, prefix) : s;
    }

    public static VirtualService toKernel(IpvsService s) {
        return toKernel(s.key(), s.scheduler(), s.persistenceTimeout(), s.persistenceNetmask());
    }

    public static Destination toKernel(IpvsDestination d) {
        Forward f = switch (d.forwarding()) {
            case DR -> Forward.DIRECT_ROUTE;
            case NAT -> Forward.NAT;
            case TUN -> Forward.TUNNEL;
        };
        return Destination.of(Addresses.parse(d.address()), d.port(), f, d.weight()).withThresholds(d.upperThreshold(), d.lowerThreshold());
    }

    public static ServiceKey key(VirtualService s) {
        Addresses.Family family = s.family() == VirtualService.AF_INET6 ? Addresses.Family.IPV6 : Addresses.Family.IPV4;
        if (s.byMark()) {
            return ServiceKey.fwmark(family, Integer.toUnsignedLong(s.fwmark()));
        }
        Protocol p = switch (s.protocol()) {
            case VirtualService.TCP -> Protocol.TCP;
            case VirtualService.UDP -> Protocol.UDP;
            case VirtualService.SCTP -> Protocol.SCTP;
            default -> throw new IllegalArgumentException("protocol " + s.protocol());
        };
        return ServiceKey.of(p, Addresses.format(s.address()), s.port());
    }

    /** A table's row as {@code /plan} shows it under "current" (display only); null for a protocol the plan does not model. */
    public static IpvsService fromKernel(TableEntry e) {
        VirtualService s = e.service();
        if (!s.byMark() && s.protocol() != VirtualService.TCP && s.protocol() != VirtualService.UDP && s.protocol() != VirtualService.SCTP) {
            return null;
        }
        int defaultPrefix = s.family() == VirtualService.AF_INET6 ? 128 : 32;
        Integer netmask = s.timeout() > 0 && s.netmask() != defaultPrefix ? s.netmask() : null;
        List<IpvsDestination> dests = new ArrayList<>();
        for (Destination d : e.destinations()) {
            Forwarding f = switch (d.forward()) {
                case DIRECT_ROUTE -> Forwarding.DR;
                case NAT, LOCAL -> Forwarding.NAT;
                case TUNNEL -> Forwarding.TUN;
            };
            dests.add(new IpvsDestination(Addresses.format(d.address()), d.port(), f, d.weight(), d.upperThreshold(), d.lowerThreshold()));
        }
        dests.sort(null);
        return new IpvsService(key(s), s.scheduler(), s.timeout(), netmask, dests);
    }

    /**
     * The plan's services as the reconciler's desired table: each destination UP at its
     * planned weight, or DRAINING (weight 0, removed once idle or timed out) when an
     * operator put it in draining. Real servers that health checks took out are already
     * left out of the plan (or at weight 0 with inhibit_on_failure).
     */
    public static List<DesiredService> desired(DesiredState state) {
        Map<String, DesiredState.Draining> draining = new HashMap<>();
        state.draining().forEach(d -> draining.put(drainKey(d.service(), d.address(), d.port()), d));
        List<DesiredService> out = new ArrayList<>(state.services().size());
        for (IpvsService s : state.services()) {
            List<DesiredDestination> dests = new ArrayList<>(s.destinations().size());
            for (IpvsDestination d : s.destinations()) {
                Destination k = toKernel(d);
                DesiredState.Draining dr = draining.get(drainKey(s.key(), d.address(), d.port()));
                dests.add(dr != null ? DesiredDestination.draining(k, dr.since()) : DesiredDestination.up(k));
            }
            out.add(new DesiredService(toKernel(s), dests));
        }
        return out;
    }

    private static String drainKey(ServiceKey k, String address, int port) {
        return k + "|" + Addresses.hostPort(address, port);
    }
}
