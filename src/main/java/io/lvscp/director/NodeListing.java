package io.lvscp.director;

import io.lvscp.LvsProperties;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.Director;
import io.lvscp.model.DirectorRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Every node the database knows (Director records and heartbeats), with what each has applied. */
@Service
public class NodeListing {

    /**
     * One node. {@code state}: {@code in-sync} (its heartbeat is fresh and it applied the current generation),
     * {@code behind} (fresh, an older generation), {@code offline} (no heartbeat for lvs.directors.offline-after),
     * {@code never-seen} (a Director record names it, no process ever sent a heartbeat).
     */
    public record NodeView(String nodeName, String cluster, String state, boolean offline, boolean stale, Long appliedGeneration,
            Instant appliedAt, Instant lastSeen, Double heartbeatAgeSeconds, Instant startedAt, String buildVersion, String dataPlaneMode,
            Double clockOffsetSeconds, Boolean clockSkewed, Boolean startedFromLocalState) {
    }

    /** The listing: the current generation and the database's time, by which ages are measured. */
    public record Nodes(long generation, Instant databaseTime, Duration offlineAfter, Duration maxClockOffset, List<NodeView> nodes) {
    }

    private final DirectorRepository directors;
    private final HeartbeatStore heartbeats;
    private final ConfigGeneration generation;
    private final LvsProperties.Directors settings;

    NodeListing(DirectorRepository directors, HeartbeatStore heartbeats, ConfigGeneration generation, LvsProperties props) {
        this.directors = directors;
        this.heartbeats = heartbeats;
        this.generation = generation;
        this.settings = props.directors();
    }

    /** All nodes, or those of one cluster (Director records of that cluster only). */
    @Transactional(readOnly = true)
    public Nodes list(String cluster) {
        long gen = generation.current();
        Map<String, HeartbeatStore.Row> beats = new HashMap<>();
        Instant now = null;
        for (HeartbeatStore.Row r : heartbeats.all()) {
            beats.put(r.nodeName(), r);
            now = r.databaseNow();
        }
        if (now == null) {
            now = heartbeats.databaseNow();
        }
        List<NodeView> out = new ArrayList<>();
        for (Director d : directors.findAll(org.springframework.data.domain.Sort.by("nodeName"))) {
            if (cluster == null || cluster.equals(d.getCluster().getName())) {
                out.add(view(d.getNodeName(), d.getCluster().getName(), beats.remove(d.getNodeName()), gen, now));
            } else {
                beats.remove(d.getNodeName());
            }
        }
        if (cluster == null) {
            for (HeartbeatStore.Row r : beats.values().stream().sorted(java.util.Comparator.comparing(HeartbeatStore.Row::nodeName)).toList()) {
                out.add(view(r.nodeName(), null, r, gen, now));
            }
        }
        return new Nodes(gen, now, settings.offlineAfter(), settings.maxClockOffset(), out);
    }

    private NodeView view(String node, String cluster, HeartbeatStore.Row r, long gen, Instant now) {
        if (r == null) {
            return new NodeView(node, cluster, "never-seen", true, true, null, null, null, null, null, null, null, null, null, null);
        }
        double age = Duration.between(r.lastSeen(), now).toMillis() / 1000.0;
        boolean offline = age * 1000 > settings.offlineAfter().toMillis();
        boolean stale = r.appliedGeneration() < gen;
        String state = offline ? "offline" : stale ? "behind" : "in-sync";
        return new NodeView(node, cluster, state, offline, stale, r.appliedGeneration(), r.appliedAt(), r.lastSeen(), age, r.startedAt(),
                r.buildVersion(), r.dataPlaneMode(), r.clockOffsetMs() / 1000.0, Math.abs(r.clockOffsetMs()) > settings.maxClockOffset().toMillis(),
                r.startedFromLocalState());
    }
}
