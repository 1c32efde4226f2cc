package io.lvscp.dataplane;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The IPVS services a node's kernel data plane has programmed or adopted, kept in the
 * database (table ipvs_owned_service) so that after a restart the agent still knows
 * which services in the kernel are its own to change or delete, and which an operator
 * added by hand.
 */
@Repository
public class OwnedServiceStore {

    private final JdbcTemplate jdbc;

    OwnedServiceStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The ids ("TCP 172.18.42.42:80", "FWM 7") this node owns. */
    @Transactional(readOnly = true)
    public Set<String> load(String node) {
        return new HashSet<>(jdbc.queryForList("SELECT service_id FROM ipvs_owned_service WHERE node_name = ?", String.class, node));
    }

    /** Records ownership of these services (those already owned are left as they are). */
    @Transactional
    public void add(String node, Collection<String> serviceIds, Instant now) {
        Set<String> have = load(node);
        for (String id : serviceIds) {
            if (have.add(id)) {
                jdbc.update("INSERT INTO ipvs_owned_service (node_name, service_id, owned_since) VALUES (?, ?, ?)", node, id,
                        Timestamp.from(now));
            }
        }
    }

    /** Forgets these services (deleted from the kernel, or gone from it). */
    @Transactional
    public void remove(String node, Collection<String> serviceIds) {
        for (String id : serviceIds) {
            jdbc.update("DELETE FROM ipvs_owned_service WHERE node_name = ? AND service_id = ?", node, id);
        }
    }
}
