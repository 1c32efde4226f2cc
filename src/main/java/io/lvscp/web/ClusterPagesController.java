package io.lvscp.web;

import io.lvscp.api.PageResponse;
import io.lvscp.cluster.ClusterResponse;
import io.lvscp.cluster.ClusterService;
import io.lvscp.cluster.DirectorService;
import io.lvscp.cluster.RealServer;
import io.lvscp.cluster.RealServerHealthSource;
import io.lvscp.cluster.RealServerRepository;
import io.lvscp.cluster.VirtualServerResponse;
import io.lvscp.cluster.VirtualServerService;
import io.lvscp.cluster.VrrpInstanceService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeRecords;
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
    private final ObjectProvider<VrrpNode> vrrpNode;
    private final ObjectProvider<VrrpNodeRecords> vrrpRecords;

    private final ObjectProvider<RealServerHealthSource> health;

    ClusterPagesController(ClusterService clusters, DirectorService directors, VrrpInstanceService instances,
            VirtualServerService virtualServers, RealServerRepository realServers, ObjectProvider<RealServerHealthSource> health,
            ObjectProvider<VrrpNode> vrrpNode, ObjectProvider<VrrpNodeRecords> vrrpRecords) {
        this.health = health;
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
        ClusterResponse c = clusters.get(cluster);
        int number = Math.max(page, 1);
        PageResponse<VirtualServerResponse> vss = virtualServers.list(c.name(), pageRequest(number));
        if (vss.content().isEmpty() && vss.totalPages() > 0 && number > vss.totalPages()) {
            number = vss.totalPages();
            vss = virtualServers.list(c.name(), pageRequest(number));
        }
        model.addAttribute("cluster", c);
        model.addAttribute("directors", directors.all(c.name()));
        model.addAttribute("instances", instances.all(c.name()));
        VrrpNode node = vrrpNode.getIfAvailable();
        model.addAttribute("vrrpNode", node == null ? null : node.nodeName());
        model.addAttribute("vrrpStates", vrrpStates(node, c.name()));
        model.addAttribute("virtualServers", withRealServers(vss.content()));
        model.addAttribute("page", new Pagination(number, Math.max(vss.totalPages(), 1), vss.totalElements(), PAGE_SIZE));
        return "ui/cluster";
    }

    /** This process's VRRP state of each instance ("MASTER", ...), when this node is a director of the cluster. */
    private Map<String, String> vrrpStates(VrrpNode node, String cluster) {
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
        return source == null ? v : v.withHealth(source.health(r.getId()).orElse(null));
    }

    /** The real servers of a whole page of virtual servers, in one query. */
    private List<VirtualServerView> withRealServers(List<VirtualServerResponse> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        Map<Long, List<RealServerView>> byVirtualServer = realServers
                .findByVirtualServerIdIn(page.stream().map(VirtualServerResponse::id).toList()).stream()
                .sorted(Comparator.comparing(RealServer::getId))
                .collect(Collectors.groupingBy(RealServer::getVirtualServerId, Collectors.mapping(this::view, Collectors.toList())));
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
