package io.lvscp.dataplane;

import io.lvscp.model.Director;
import io.lvscp.model.DirectorRepository;
import io.lvscp.model.VrrpInstance;
import io.lvscp.model.VrrpInstanceRepository;
import io.lvscp.common.AuthType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the VRRP node reads from the database besides the plan: the PASS passwords (the plan
 * leaves them out), and the cluster and ids its events and metrics name.
 */
@Service
public class VrrpNodeRecords {

    /** One instance of a director as stored. */
    public record StoredInstance(long id, String name, int vrid, String interfaceName, int vrrpVersion, int priority) {
    }

    /** A director's record: its cluster and the instances it has a priority in, by name. */
    public record NodeRecord(String node, long directorId, long clusterId, String clusterName, Map<String, StoredInstance> instances) {
    }

    private final DirectorRepository directors;
    private final VrrpInstanceRepository instances;

    public VrrpNodeRecords(DirectorRepository directors, VrrpInstanceRepository instances) {
        this.directors = directors;
        this.instances = instances;
    }

    /**
     * The v2 PASS passwords of the instances the director of {@code node} runs, by instance name:
     * pass them to {@link VrrpNode#configure}. Empty when no director has that node name.
     */
    @Transactional(readOnly = true)
    public Map<String, String> passwords(String node) {
        Map<String, String> map = new LinkedHashMap<>();
        directors.findByNodeName(node).ifPresent(d -> {
            for (VrrpInstance i : instances.findByDirector(d.getId())) {
                if (i.getAuthType() == AuthType.PASS && i.getAuthPassword() != null) {
                    map.put(i.getName(), i.getAuthPassword());
                }
            }
        });
        return map;
    }

    @Transactional(readOnly = true)
    public Optional<NodeRecord> find(String node) {
        return directors.findByNodeName(node).map(this::record);
    }

    private NodeRecord record(Director d) {
        Map<String, StoredInstance> map = new LinkedHashMap<>();
        List<VrrpInstance> list = instances.findByDirector(d.getId());
        for (VrrpInstance i : list) {
            int priority = i.getPriorities().stream().filter(p -> p.getDirectorId().equals(d.getId())).mapToInt(VrrpInstance.Priority::getPriority)
                    .findFirst().orElse(0);
            map.put(i.getName(), new StoredInstance(i.getId(), i.getName(), i.getVrid(), i.getInterfaceName(), i.getVrrpVersion(), priority));
        }
        return new NodeRecord(d.getNodeName(), d.getId(), d.getCluster().getId(), d.getCluster().getName(), map);
    }
}
