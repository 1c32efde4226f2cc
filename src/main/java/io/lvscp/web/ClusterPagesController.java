package io.lvscp.web;

import io.lvscp.api.PageResponse;
import io.lvscp.cluster.ClusterResponse;
import io.lvscp.cluster.ClusterService;
import io.lvscp.director.DirectorService;
import io.lvscp.model.RealServer;
import io.lvscp.realserver.RealServerHealthSource;
import io.lvscp.model.RealServerRepository;
import io.lvscp.virtualserver.VirtualServerResponse;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.vrrpinstance.VrrpInstanceResponse;
import io.lvscp.vrrpinstance.VrrpInstanceService;
import io.lvscp.director.DirectorResponse;
import io.lvscp.common.Addresses;
import io.lvscp.common.Protocol;
import io.lvscp.common.WireNamed;
import io.lvscp.dataplane.LocalConnections;
import io.lvscp.director.NodeListing;
import io.lvscp.ipvs.VirtualService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import io.lvscp.dataplane.VrrpNodeRecords;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The read-only pages: the list of clusters and one cluster with everything in it. */
@Controller
class ClusterPagesController {

    /** Virtual servers per page of a cluster (a cluster may have a thousand). */
    static final int PAGE_SIZE = 50;

    private final ClusterService clusters;
    private final DirectorService directors;
    private final VrrpInstanceService instances;
    private final VirtualServerService virtualServers;
    private final RealServerRepository realServers;
    private final ObjectProvider<VrrpNodeHandle> vrrpNode;
    private final ObjectProvider<VrrpNodeRecords> vrrpRecords;

    private final ObjectProvider<RealServerHealthSource> health;
    private final ObjectProvider<NodeListing> nodes;
    private final ObjectProvider<LocalConnections> connections;
    private final ObjectProvider<VrrpStatesFromEvents> vrrpEvents;
    private final Clock clock;

    private final ObjectProvider<io.lvscp.database.DrainProgressStore> drainProgress;

    ClusterPagesController(ClusterService clusters, DirectorService directors, VrrpInstanceService instances,
            VirtualServerService virtualServers, RealServerRepository realServers, ObjectProvider<RealServerHealthSource> health,
            ObjectProvider<VrrpNodeHandle> vrrpNode, ObjectProvider<VrrpNodeRecords> vrrpRecords, ObjectProvider<NodeListing> nodes,
            ObjectProvider<LocalConnections> connections, ObjectProvider<VrrpStatesFromEvents> vrrpEvents, ObjectProvider<Clock> clock,
            ObjectProvider<io.lvscp.database.DrainProgressStore> drainProgress) {
        this.drainProgress = drainProgress;
        this.health = health;
        this.nodes = nodes;
        this.connections = connections;
        this.vrrpEvents = vrrpEvents;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.clusters = clusters;
        this.directors = directors;
        this.instances = instances;
        this.virtualServers = virtualServers;
        this.realServers = realServers;
        this.vrrpNode = vrrpNode;
        this.vrrpRecords = vrrpRecords;
    }

    @GetMapping("/")
    String home() {
        return "redirect:/ui/clusters";
    }

    @GetMapping("/ui/clusters")
    String clusters(Model model) {
        model.addAttribute("clusters", clusters.all());
        return "ui/clusters";
    }

    /**
     * One cluster: its directors, VRRP instances and one page of virtual servers, each
     * with its real servers.
     *
     * @param page the page of virtual servers, counted from 1; past the end shows the last
     */
    @GetMapping("/ui/clusters/{cluster}")
    String cluster(@PathVariable String cluster, @RequestParam(defaultValue = "1") int page, Model model) {
        live(cluster, page, model);
        return "ui/cluster";
    }

    /** The live part of a cluster's page alone (directors, VRRP, virtual servers), which the page polls every second. */
    @GetMapping("/ui/clusters/{cluster}/live")
    String clusterLive(@PathVariable String cluster, @RequestParam(defaultValue = "1") int page, Model model) {
        live(cluster, page, model);
        return "ui/cluster :: live";
    }

    /**
     * One cluster: its directors with their heartbeats, VRRP instances with each director's state, and
     * one page of virtual servers, each with its real servers, their health and this node's IPVS entry.
     *
     * @param page the page of virtual servers, counted from 1; past the end shows the last
     */
    private void live(String cluster, int page, Model model) {
        ClusterResponse c = clusters.get(cluster);
        int number = Math.max(page, 1);
        PageResponse<VirtualServerResponse> vss = virtualServers.list(c.name(), pageRequest(number));
        if (vss.content().isEmpty() && vss.totalPages() > 0 && number > vss.totalPages()) {
            number = vss.totalPages();
            vss = virtualServers.list(c.name(), pageRequest(number));
        }
        List<DirectorResponse> ds = directors.all(c.name());
        VrrpNodeHandle node = vrrpNode.getIfAvailable();
        boolean nodeIsDirector = node != null && ds.stream().anyMatch(d -> d.nodeName().equals(node.nodeName()));
        LocalConnections.Reading table = nodeIsDirector && connections.getIfAvailable() != null ? connections.getObject().read() : null;
        model.addAttribute("cluster", c);
        model.addAttribute("directors", ds);
        model.addAttribute("heartbeats", heartbeats(c.name()));
        List<VrrpInstanceResponse> is = instances.all(c.name());
        model.addAttribute("instances", is);
        model.addAttribute("vrrpNode", node == null ? null : node.nodeName());
        model.addAttribute("nodeIsDirector", nodeIsDirector);
        model.addAttribute("dataPlaneMode", table == null ? null : table.mode());
        model.addAttribute("tableError", table == null ? null : table.error());
        Map<String, String> local = vrrpStates(node, c.name());
        model.addAttribute("vrrpStates", local);
        model.addAttribute("vrrpByDirector", vrrpByDirector(c, ds, is, node, local));
        model.addAttribute("virtualServers", withRealServers(vss.content(), table));
        model.addAttribute("page", new Pagination(number, Math.max(vss.totalPages(), 1), vss.totalElements(), PAGE_SIZE));
        java.time.Instant now = clock.instant();
        model.addAttribute("updatedAt", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        model.addAttribute("updatedAtText", hms(now));
    }

    private static final java.time.format.DateTimeFormatter HMS = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(java.time.ZoneOffset.UTC);

    /** A time of day in UTC, "23:40:09". */
    static String hms(java.time.Instant t) {
        return HMS.format(t);
    }

    /** Each director's heartbeat by node name (empty when the listing is not available). */
    private Map<String, NodeListing.NodeView> heartbeats(String cluster) {
        NodeListing listing = nodes.getIfAvailable();
        if (listing == null) {
            return Map.of();
        }
        Map<String, NodeListing.NodeView> out = new java.util.HashMap<>();
        listing.list(cluster).nodes().forEach(n -> out.put(n.nodeName(), n));
        return out;
    }

    /**
     * Per instance, per director: this node's state read live from its VRRP engine; another director's from
     * the last transition it recorded as an event (unknown when none, or when its heartbeat is offline).
     */
    private Map<String, List<VrrpStatesFromEvents.DirectorState>> vrrpByDirector(ClusterResponse c, List<DirectorResponse> ds,
            List<VrrpInstanceResponse> is, VrrpNodeHandle node, Map<String, String> local) {
        VrrpStatesFromEvents fromEvents = vrrpEvents.getIfAvailable();
        Map<String, NodeListing.NodeView> beats = heartbeats(c.name());
        Map<String, VrrpStatesFromEvents.Recorded> recorded = fromEvents == null ? Map.of() : fromEvents.latest(c.id());
        Map<String, List<VrrpStatesFromEvents.DirectorState>> out = new java.util.HashMap<>();
        for (VrrpInstanceResponse i : is) {
            List<VrrpStatesFromEvents.DirectorState> states = new ArrayList<>();
            for (var p : i.priorities()) {
                String d = p.director();
                if (node != null && d.equals(node.nodeName()) && !local.isEmpty()) {
                    states.add(new VrrpStatesFromEvents.DirectorState(d, local.getOrDefault(i.name(), "not running"), "live", null));
                    continue;
                }
                VrrpStatesFromEvents.Recorded r = recorded.get(d + "|" + i.name());
                NodeListing.NodeView beat = beats.get(d);
                boolean offline = beat == null || beat.offline();
                if (r == null) {
                    states.add(new VrrpStatesFromEvents.DirectorState(d, offline ? "unknown" : "no transition recorded",
                            offline ? "offline" : "event", null));
                } else if (offline) {
                    states.add(new VrrpStatesFromEvents.DirectorState(d, "unknown", "offline", r.at()));
                } else {
                    states.add(new VrrpStatesFromEvents.DirectorState(d, r.state(), "event", r.at()));
                }
            }
            out.put(i.name(), states);
        }
        return out;
    }

    /** This process's VRRP state of each instance ("MASTER", ...), when this node is a director of the cluster. */
    private Map<String, String> vrrpStates(VrrpNodeHandle node, String cluster) {
        VrrpNodeRecords records = vrrpRecords.getIfAvailable();
        if (node == null || records == null || records.find(node.nodeName()).filter(r -> r.clusterName().equals(cluster)).isEmpty()) {
            return Map.of();
        }
        Map<String, String> states = new java.util.HashMap<>();
        node.instances().forEach(s -> states.put(s.name(), s.state().name()));
        return states;
    }

    private static PageRequest pageRequest(int number) {
        return PageRequest.of(number - 1, PAGE_SIZE, Sort.by("id"));
    }

    private RealServerView view(RealServer r) {
        RealServerHealthSource source = health.getIfAvailable();
        RealServerView v = RealServerView.of(r);
        io.lvscp.database.DrainProgressStore drains = drainProgress.getIfAvailable();
        if (drains != null && r.getState() == io.lvscp.common.RealServerState.DRAINING) {
            v = v.withDrains(drains.read(r.getId()));
        }
        return source == null ? v : v.withHealth(source.health(r.getId()).orElse(null));
    }

    /** How IPVS names a virtual server's service ("TCP 172.18.42.42:80", "FWM 7"). */
    static String serviceId(VirtualServerResponse vs) {
        return VirtualService.of(Addresses.Family.valueOf(vs.ipFamily()), vs.fwmark(),
                vs.fwmark() != null ? null : WireNamed.parse(Protocol.class, vs.protocol()), vs.vip(), vs.port(), vs.scheduler()).id();
    }

    /** The real servers of a whole page of virtual servers, in one query, with this node's table entries when known. */
    private List<VirtualServerView> withRealServers(List<VirtualServerResponse> page, LocalConnections.Reading table) {
        if (page.isEmpty()) {
            return List.of();
        }
        boolean known = table != null && table.error() == null;
        Map<Long, String> keys = new java.util.HashMap<>();
        if (known) {
            page.forEach(vs -> keys.put(vs.id(), serviceId(vs)));
        }
        Map<Long, List<RealServerView>> byVirtualServer = realServers
                .findByVirtualServerIdIn(page.stream().map(VirtualServerResponse::id).toList()).stream()
                .sorted(Comparator.comparing(RealServer::getId))
                .collect(Collectors.groupingBy(RealServer::getVirtualServerId, Collectors.mapping(r -> {
                    RealServerView v = view(r);
                    return known ? v.withTable(RealServerView.Table.of(
                            table.find(keys.get(r.getVirtualServerId()), r.getAddress(), r.getPort()).orElse(null))) : v;
                }, Collectors.toList())));
        List<VirtualServerView> views = new ArrayList<>(page.size());
        for (VirtualServerResponse vs : page) {
            views.add(new VirtualServerView(vs, byVirtualServer.getOrDefault(vs.id(), List.of())));
        }
        return views;
    }

    /** Where a page of virtual servers sits among all of them; pages count from 1. */
    record Pagination(int number, int totalPages, long totalElements, int size) {

        public boolean hasPrevious() {
            return number > 1;
        }

        public boolean hasNext() {
            return number < totalPages;
        }

        public long first() {
            return totalElements == 0 ? 0 : (long) (number - 1) * size + 1;
        }

        public long last() {
            return Math.min((long) number * size, totalElements);
        }
    }
}
