package io.lvscp.dataplane;

import io.lvscp.common.Addresses;
import io.lvscp.common.Protocol;
import io.lvscp.ipvs.DesiredDestination;
import io.lvscp.ipvs.DesiredService;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanCompiler;
import io.lvscp.plan.VrrpInstanceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The IPVS model as {@code /plan} shows it and the local state file keeps it for people to read (pure, one way):
 * the JSON shape of {@code desired} and {@code current} that API clients know, built from the reconciler's model
 * ({@link DesiredService}, {@link TableEntry}); nothing is converted back from it. The records are named for the
 * OpenAPI schema (one name each across the API).
 */
public final class PlanView {

    private PlanView() {
    }

    /** How IPVS identifies a service: protocol + address + port, or a firewall mark with its family. */
    public record IpvsKeyView(Addresses.Family family, Protocol protocol, String address, int port, long fwmark) {
    }

    /**
     * @param forwarding DR, NAT, TUN, or LOCAL (only when the kernel holds a destination someone else wrote so)
     */
    public record IpvsDestinationView(String address, int port, String forwarding, int weight, int upperThreshold, int lowerThreshold) {
    }

    /**
     * @param persistenceTimeout seconds, 0 when not persistent
     * @param persistenceNetmask prefix length of the persistence granularity; null when not persistent or the
     *                           kernel's default (/32, /128)
     */
    public record IpvsServiceView(IpvsKeyView key, String scheduler, int persistenceTimeout, Integer persistenceNetmask,
            List<IpvsDestinationView> destinations) {
    }

    /** A draining real server of one service. */
    public record DrainingView(IpvsKeyView service, String address, int port, Instant since) {
    }

    /** The desired state: {@code draining} lists the destinations an operator put in draining (weight 0 in {@code services}). */
    public record DesiredView(String node, String cluster, long generation, List<IpvsServiceView> services, List<VrrpInstanceSpec> vrrpInstances,
            List<DrainingView> draining, io.lvscp.plan.SyncDaemonSpec connectionSync) {
    }

    /** What a data plane holds; services of a protocol IPVS has but the API does not name are left out. */
    public record DataPlaneTableView(List<IpvsServiceView> services, List<VrrpInstanceSpec> vrrpInstances) {
    }

    public static DesiredView of(DesiredState d) {
        List<IpvsServiceView> services = new ArrayList<>();
        List<DrainingView> draining = new ArrayList<>();
        for (DesiredService s : d.services()) {
            IpvsKeyView key = key(s.service());
            List<io.lvscp.ipvs.Destination> dests = new ArrayList<>();
            for (DesiredDestination dd : s.destinations()) {
                dests.add(dd.destination());
                if (dd.status() == DesiredDestination.Status.DRAINING) {
                    draining.add(new DrainingView(key, Addresses.format(dd.destination().address()), dd.destination().port(), dd.drainingSince()));
                }
            }
            services.add(service(s.service(), key, dests));
        }
        return new DesiredView(d.node(), d.cluster(), d.generation(), services, d.vrrpInstances(), draining, d.connectionSync());
    }

    public static DataPlaneTableView of(DataPlaneTable t) {
        List<TableEntry> entries = new ArrayList<>(t.services());
        entries.sort(Comparator.comparing(TableEntry::service, PlanCompiler.SERVICE_ORDER));
        List<IpvsServiceView> services = new ArrayList<>();
        for (TableEntry e : entries) {
            IpvsKeyView key = key(e.service());
            if (key != null) {
                List<io.lvscp.ipvs.Destination> dests = new ArrayList<>(e.destinations());
                dests.sort(Comparator.comparing((io.lvscp.ipvs.Destination x) -> Addresses.format(x.address())).thenComparingInt(x -> x.port()));
                services.add(service(e.service(), key, dests));
            }
        }
        return new DataPlaneTableView(services, t.vrrpInstances());
    }

    private static IpvsServiceView service(VirtualService s, IpvsKeyView key, List<io.lvscp.ipvs.Destination> dests) {
        int defaultPrefix = s.family() == VirtualService.AF_INET6 ? 128 : 32;
        Integer netmask = s.timeout() > 0 && s.netmask() != defaultPrefix ? s.netmask() : null;
        List<IpvsDestinationView> out = new ArrayList<>(dests.size());
        for (io.lvscp.ipvs.Destination d : dests) {
            out.add(new IpvsDestinationView(Addresses.format(d.address()), d.port(), d.forward().apiName(), d.weight(), d.upperThreshold(),
                    d.lowerThreshold()));
        }
        return new IpvsServiceView(key, s.scheduler(), s.timeout(), netmask, out);
    }

    /** The API's key of a service; null for a protocol the API does not name. */
    static IpvsKeyView key(VirtualService s) {
        Addresses.Family family = s.family() == VirtualService.AF_INET6 ? Addresses.Family.IPV6 : Addresses.Family.IPV4;
        if (s.byMark()) {
            return new IpvsKeyView(family, null, null, 0, Integer.toUnsignedLong(s.fwmark()));
        }
        for (Protocol p : Protocol.values()) {
            if (p.number() == s.protocol()) {
                return new IpvsKeyView(family, p, Addresses.format(s.address()), s.port(), 0);
            }
        }
        return null;
    }
}
