package io.lvscp.splitbrain;

import io.lvscp.LvsProperties;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.node.VrrpNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The database as the second channel a restarting VRRP instance asks before it keeps the VIPs it found
 * ({@link RestartVips}): the other directors of this node's cluster that report, in a fresh row of
 * director_vrrp_state (written with their heartbeats), being the instance's master. With the database down, or
 * {@code lvs.split-brain.enabled=false} (the rows are not written), the answer is "unknown" and VRRP alone decides.
 */
@Component
class DatabaseOtherMasters implements VrrpNode.OtherMasters {

    private static final Logger log = LoggerFactory.getLogger(DatabaseOtherMasters.class);

    private final String node;
    private final SplitBrainProperties settings;
    private final VrrpStateStore store;
    private final DatabaseStatus database;

    DatabaseOtherMasters(LvsProperties props, SplitBrainProperties settings, VrrpStateStore store, DatabaseStatus database) {
        this.node = props.nodeName();
        this.settings = settings;
        this.store = store;
        this.database = database;
    }

    @Override
    public Map<String, RestartVips.OtherMasters> find(Set<String> instances) {
        Map<String, RestartVips.OtherMasters> result = new HashMap<>();
        if (!settings.enabled() || !database.ready()) {
            instances.forEach(i -> result.put(i, RestartVips.OtherMasters.unknown()));
            return result;
        }
        try {
            Map<String, List<String>> masters = store.otherMasters(node, instances, settings.staleAfter());
            instances.forEach(i -> result.put(i, RestartVips.OtherMasters.of(masters.getOrDefault(i, List.of()))));
        } catch (RuntimeException e) {
            log.warn("Node {}: cannot read the other directors' VRRP states: {}", node, e.toString());
            instances.forEach(i -> result.put(i, RestartVips.OtherMasters.unknown()));
        }
        return result;
    }
}
