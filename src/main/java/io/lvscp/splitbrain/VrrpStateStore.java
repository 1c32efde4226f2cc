package io.lvscp.splitbrain;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The director_vrrp_state table (V7): each director's VRRP instances and their states, next to its heartbeat. */
@Repository
public class VrrpStateStore {

    /** One instance as a director reports it. */
    public record State(String instance, String state, int priority) {
    }

    /**
     * Everything the detector needs, read at one database time: all directors' reports (with the
     * cluster of the reporting director's record) and every node's last heartbeat.
     */
    public record Snapshot(Instant databaseNow, List<SplitBrainDetector.Report> reports, Map<String, Instant> heartbeats) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    VrrpStateStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Replaces this node's rows with {@code states}, in one transaction; reported_at is the database's clock. */
    public void write(String node, List<State> states) {
        tx.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM director_vrrp_state WHERE node_name = ?", node);
            for (State s : states) {
                jdbc.update("INSERT INTO director_vrrp_state (node_name, instance_name, state, priority, reported_at) "
                        + "VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)", node, s.instance(), s.state(), s.priority());
            }
        });
    }

    /** All reports and heartbeats, in one read-only transaction (one snapshot of the database). */
    public Snapshot read() {
        TransactionTemplate ro = new TransactionTemplate(tx.getTransactionManager());
        ro.setReadOnly(true);
        return ro.execute(status -> {
            Instant now = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", (rs, i) -> instant(rs, 1));
            List<SplitBrainDetector.Report> reports = new ArrayList<>(jdbc.query(
                    "SELECT s.node_name, c.name AS cluster_name, s.instance_name, s.state, s.priority, s.reported_at "
                            + "FROM director_vrrp_state s LEFT JOIN director d ON d.node_name = s.node_name "
                            + "LEFT JOIN cluster c ON c.id = d.cluster_id ORDER BY s.node_name, s.instance_name",
                    (rs, i) -> new SplitBrainDetector.Report(rs.getString("node_name"), rs.getString("cluster_name"),
                            rs.getString("instance_name"), rs.getString("state"), rs.getInt("priority"), instant(rs, 6))));
            Map<String, Instant> beats = new LinkedHashMap<>();
            jdbc.query("SELECT node_name, last_seen FROM director_heartbeat ORDER BY node_name",
                    (ResultSet rs) -> {
                        beats.put(rs.getString(1), instant(rs, 2));
                    });
            return new Snapshot(now, reports, beats);
        });
    }

    /**
     * For each of {@code instances}: the other directors of {@code node}'s cluster whose report, at most
     * {@code staleAfter} old by the database's clock, says they are its MASTER (a restart asks before it keeps the
     * VIPs it found). Instances without one map to an empty list.
     */
    public Map<String, List<String>> otherMasters(String node, java.util.Collection<String> instances, java.time.Duration staleAfter) {
        TransactionTemplate ro = new TransactionTemplate(tx.getTransactionManager());
        ro.setReadOnly(true);
        return ro.execute(status -> {
            Instant now = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", (rs, i) -> instant(rs, 1));
            Map<String, List<String>> found = new LinkedHashMap<>();
            instances.forEach(i -> found.put(i, new ArrayList<>()));
            jdbc.query("SELECT s.node_name, s.instance_name, s.reported_at FROM director_vrrp_state s "
                    + "JOIN director d ON d.node_name = s.node_name "
                    + "WHERE s.state = 'MASTER' AND s.node_name <> ? "
                    + "AND d.cluster_id = (SELECT me.cluster_id FROM director me WHERE me.node_name = ?) ORDER BY s.node_name",
                    (ResultSet rs) -> {
                        List<String> masters = found.get(rs.getString(2));
                        Instant at = instant(rs, 3);
                        if (masters != null && at != null && !at.isBefore(now.minus(staleAfter))) {
                            masters.add(rs.getString(1));
                        }
                    }, node, node);
            return found;
        });
    }

    /** The id of a cluster by name, or null. */
    public Long clusterId(String name) {
        if (name == null) {
            return null;
        }
        List<Long> ids = jdbc.queryForList("SELECT id FROM cluster WHERE name = ?", Long.class, name);
        return ids.isEmpty() ? null : ids.get(0);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
