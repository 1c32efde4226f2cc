package io.lvscp.dataplane;

import io.lvscp.model.Director;
import io.lvscp.model.DirectorRepository;
import io.lvscp.model.RealServer;
import io.lvscp.model.RealServerRepository;
import io.lvscp.model.VirtualServer;
import io.lvscp.model.VirtualServerRepository;
import io.lvscp.model.VrrpInstance;
import io.lvscp.model.VrrpInstanceRepository;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The rows one node runs: its Director record, the VRRP instances it is in, their virtual
 * servers and those servers' real servers. The one query behind both the plan
 * ({@link PlanService}) and the health checks' targets ({@code health.HealthRegistry}),
 * so the two never disagree about which real servers a node has.
 */
@Component
public class NodeRows {

    /** What {@link #read} found; the lists are empty when the director is in no instance. */
    public record Rows(Director director, List<VrrpInstance> instances, List<VirtualServer> virtualServers,
            List<RealServer> realServers) {
    }

    private final DirectorRepository directors;
    private final VrrpInstanceRepository instances;
    private final VirtualServerRepository virtualServers;
    private final RealServerRepository realServers;

    NodeRows(DirectorRepository directors, VrrpInstanceRepository instances, VirtualServerRepository virtualServers,
            RealServerRepository realServers) {
        this.directors = directors;
        this.instances = instances;
        this.virtualServers = virtualServers;
        this.realServers = realServers;
    }

    /** The rows of the director with this node name, or empty when there is none. */
    @Transactional(readOnly = true)
    public Optional<Rows> read(String node) {
        Optional<Director> director = directors.findByNodeName(node);
        if (director.isEmpty()) {
            return Optional.empty();
        }
        Director d = director.get();
        List<VrrpInstance> mine = instances.findByDirector(d.getId());
        List<VirtualServer> vss = mine.isEmpty() ? List.of()
                : virtualServers.findByVrrpInstanceIdIn(mine.stream().map(VrrpInstance::getId).toList());
        List<RealServer> rss = vss.isEmpty() ? List.of()
                : realServers.findByVirtualServerIdIn(vss.stream().map(VirtualServer::getId).toList());
        return Optional.of(new Rows(d, mine, vss, rss));
    }
}
