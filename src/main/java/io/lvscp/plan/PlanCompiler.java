package io.lvscp.plan;

import io.lvscp.common.Addresses;
import io.lvscp.common.RealServerState;
import io.lvscp.ipvs.DesiredDestination;
import io.lvscp.ipvs.DesiredService;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.VirtualService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The desired-state compiler: database rows in, what one director must hold out.
 * Pure and deterministic (sorted output), so it is tested as tables. Its output is the reconciler's model of the
 * IPVS table ({@link DesiredService}), so what {@code /plan} shows, what the dry-run and the kernel data planes
 * reconcile are one value.
 *
 * <p>Rules:
 * <ul>
 *   <li>A director runs the VRRP instances it has a priority in, and holds in IPVS the
 *       virtual servers of those instances, whatever its VRRP state (as keepalived does:
 *       the backup's table is ready when the VIP moves).</li>
 *   <li>A real server that is {@code enabled} has its weight; {@code draining} has weight 0
 *       (existing connections go on, no new ones); {@code disabled} is left out.</li>
 *   <li>A real server health checks report down is left out, or kept at weight 0 with
 *       {@code inhibitOnFailure}.</li>
 *   <li>When the virtual server's quorum is down, the sorry server, if any, is added with
 *       weight 1. The quorum is its live weight (the sum of the weights of destinations that
 *       take new connections) against quorum and hysteresis as keepalived has it
 *       ({@link Quorum}): up at quorum + hysteresis, down below quorum - hysteresis, so the
 *       state before counts ({@link PlanInput#quorumUp()}, returned by {@link #compileWithQuorum}).</li>
 *   <li>Connection synchronisation comes from the director's instances that have it set; the kernel runs one
 *       master and one backup daemon per network namespace, so the API lets only one instance of a director
 *       have it, and should two (rows written otherwise) the first by name wins.</li>
 * </ul>
 */
public final class PlanCompiler {

    /** Services by family, firewall mark, protocol (TCP, UDP, SCTP: by number), address (as text) and port. */
    public static final Comparator<VirtualService> SERVICE_ORDER = Comparator.comparingInt(VirtualService::family)
            .thenComparingLong(s -> Integer.toUnsignedLong(s.fwmark()))
            .thenComparingInt(VirtualService::protocol)
            .thenComparing(s -> s.address() == null ? "" : Addresses.format(s.address()))
            .thenComparingInt(VirtualService::port);

    /** Destinations by address (as text), then port. */
    static final Comparator<DesiredDestination> DESTINATION_ORDER = Comparator
            .comparing((DesiredDestination d) -> Addresses.format(d.destination().address()))
            .thenComparingInt(d -> d.destination().port());

    private PlanCompiler() {
    }

    /** What the node must hold, and each virtual server's quorum state (the caller keeps it for the next compile). */
    public record Compiled(DesiredState desired, Map<Long, Boolean> quorumUp) {
    }

    public static DesiredState compile(PlanInput in) {
        return compileWithQuorum(in).desired();
    }

    public static Compiled compileWithQuorum(PlanInput in) {
        Map<Long, Boolean> quorumUp = new HashMap<>();
        Map<Long, PlanInput.Instance> mine = new HashMap<>();
        List<VrrpInstanceSpec> vrrp = new ArrayList<>();
        for (PlanInput.Instance i : in.instances()) {
            Integer priority = i.priorityByDirector().get(in.directorId());
            if (priority == null) {
                continue;
            }
            mine.put(i.id(), i);
            vrrp.add(new VrrpInstanceSpec(i.name(), i.vrid(), i.interfaceName(), i.family(), i.vrrpVersion(), i.advertInterval(), priority,
                    i.preempt(), i.preemptDelay(), i.authPass(), i.multicastGroup(), i.unicastPeers(), i.syncGroup(), i.vips()));
        }
        vrrp.sort(Comparator.comparing(VrrpInstanceSpec::name));

        Map<Long, List<PlanInput.RealServer>> byVs = new HashMap<>();
        for (PlanInput.RealServer r : in.realServers()) {
            byVs.computeIfAbsent(r.virtualServerId(), k -> new ArrayList<>()).add(r);
        }
        List<DesiredService> services = new ArrayList<>();
        for (PlanInput.VirtualServer vs : in.virtualServers()) {
            if (!mine.containsKey(vs.instanceId())) {
                continue;
            }
            VirtualService svc = VirtualService.of(vs.family(), vs.fwmark(), vs.protocol(), vs.vip(), vs.port(), vs.scheduler().wireName());
            if (vs.persistenceTimeout() != null && vs.persistenceTimeout() > 0) {
                int prefix = vs.persistenceNetmask() != null ? vs.persistenceNetmask() : svc.family() == VirtualService.AF_INET6 ? 128 : 32;
                svc = svc.persistent(vs.persistenceTimeout(), prefix);
            }
            Forward forward = Forward.of(vs.forwarding());
            List<DesiredDestination> dests = new ArrayList<>();
            long liveWeight = 0;
            for (PlanInput.RealServer r : byVs.getOrDefault(vs.id(), List.of())) {
                if (r.state() == RealServerState.DISABLED) {
                    continue;
                }
                boolean down = in.downRealServers().contains(r.id());
                if (down && !r.inhibitOnFailure()) {
                    continue;
                }
                int weight = r.state() == RealServerState.DRAINING || down ? 0 : r.weight();
                liveWeight += weight;
                Destination d = Destination.of(Addresses.parse(r.address()), r.port(), forward, weight)
                        .withThresholds(r.upperThreshold() == null ? 0 : r.upperThreshold(), r.lowerThreshold() == null ? 0 : r.lowerThreshold());
                dests.add(r.state() == RealServerState.DRAINING && !down ? DesiredDestination.draining(d, r.stateChangedAt(),
                        r.drainTimeoutSeconds() == null ? null : java.time.Duration.ofSeconds(r.drainTimeoutSeconds()), r.id()) : DesiredDestination.up(d));
            }
            boolean up = Quorum.up(in.quorumUp().get(vs.id()), liveWeight, vs.quorum(), vs.hysteresis());
            quorumUp.put(vs.id(), up);
            if (!up && vs.sorryAddress() != null) {
                Destination sorry = Destination.of(Addresses.parse(vs.sorryAddress()), vs.sorryPort() == null ? 0 : vs.sorryPort(), forward, 1);
                dests.removeIf(d -> d.destination().sameEndpoint(sorry));
                dests.add(DesiredDestination.up(sorry));
            }
            dests.sort(DESTINATION_ORDER);
            services.add(new DesiredService(svc, dests));
        }
        services.sort(Comparator.comparing(DesiredService::service, SERVICE_ORDER));
        SyncDaemonSpec sync = vrrp.stream().map(v -> mine.values().stream().filter(i -> i.name().equals(v.name())).findFirst().orElseThrow())
                .map(i -> in.connectionSync().get(i.id())).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        return new Compiled(new DesiredState(in.node(), in.cluster(), in.generation(), services, vrrp, sync), quorumUp);
    }
}
