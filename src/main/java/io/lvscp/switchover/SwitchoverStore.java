package io.lvscp.switchover;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** The vrrp_switchover table and the columns of director_heartbeat and director_vrrp_state a switch-over reads (V7, V9). */
@Repository
public class SwitchoverStore {

    /**
     * One director as the database shows it for one instance.
     *
     * @param state        the instance's state it reported (null: it reports no such instance)
     * @param connections  the connection entries in its IPVS table (null: dry-run, or never written)
     */
    public record NodeView(String node, Instant lastSeen, String state, Integer priority, Instant reportedAt, Long connections,
            Instant connectionsAt) {
    }

    /** The directors of one instance's cluster, read at one database time. */
    public record View(Instant databaseNow, Map<String, NodeView> nodes) {
    }

    private static final String COLUMNS = "id, vrrp_instance_id, instance_name, from_node, target_node, status, priority, requested_by, "
            + "requested_at, handover_at, target_ready_at, released_at, ended_at, master_connections, target_connections, detail";

    private final JdbcTemplate jdbc;

    SwitchoverStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ---- the directors' side ----------------------------------------------------------------------------

    /** This node's connection count, next to its heartbeat (no row yet: nothing written; the heartbeat inserts it). */
    public void writeConnections(String node, Long connections) {
        jdbc.update("UPDATE director_heartbeat SET ipvs_connections = ?, ipvs_connections_at = CURRENT_TIMESTAMP WHERE node_name = ?",
                connections, node);
    }

    /** The rows that name {@code node} as target or old master and still matter to it (HANDING_OVER, COMPLETED). */
    public List<SwitchoverRow> rowsFor(String node) {
        return jdbc.query("SELECT " + COLUMNS + " FROM vrrp_switchover WHERE (target_node = ? OR from_node = ?) "
                + "AND status IN ('HANDING_OVER', 'COMPLETED') ORDER BY id", SwitchoverStore::row, node, node);
    }

    /** The target runs at the row's priority: the old master may release now. */
    public boolean acknowledge(long id) {
        return jdbc.update("UPDATE vrrp_switchover SET target_ready_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'HANDING_OVER' "
                + "AND target_ready_at IS NULL", id) == 1;
    }

    /** The one-shot guard of a release: true for the one caller that set released_at. */
    public boolean claimRelease(long id) {
        return jdbc.update("UPDATE vrrp_switchover SET released_at = CURRENT_TIMESTAMP WHERE id = ? AND status = 'HANDING_OVER' "
                + "AND target_ready_at IS NOT NULL AND released_at IS NULL", id) == 1;
    }

    // ---- the API's side ---------------------------------------------------------------------------------

    /** Locks the instance's row until the caller's transaction ends: one request at a time per instance. */
    public void lockInstance(long instanceId) {
        jdbc.queryForList("SELECT id FROM vrrp_instance WHERE id = ? FOR UPDATE", Long.class, instanceId);
    }

    public Optional<SwitchoverRow> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM vrrp_switchover WHERE id = ?", SwitchoverStore::row, id).stream().findFirst();
    }

    /** The newest row of the instance. */
    public Optional<SwitchoverRow> latest(long instanceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM vrrp_switchover WHERE vrrp_instance_id = ? ORDER BY id DESC",
                SwitchoverStore::row, instanceId).stream().findFirst();
    }

    /** The instance's rows in CATCHING_UP, HANDING_OVER or COMPLETED, oldest first. */
    public List<SwitchoverRow> active(long instanceId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM vrrp_switchover WHERE vrrp_instance_id = ? "
                + "AND status IN ('CATCHING_UP', 'HANDING_OVER', 'COMPLETED') ORDER BY id", SwitchoverStore::row, instanceId);
    }

    public long insert(long instanceId, String instanceName, String fromNode, String targetNode, int priority, String requestedBy,
            Long masterConnections, Long targetConnections) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(c -> {
            var ps = c.prepareStatement("INSERT INTO vrrp_switchover (vrrp_instance_id, instance_name, from_node, target_node, status, "
                    + "priority, requested_by, requested_at, master_connections, target_connections) "
                    + "VALUES (?, ?, ?, ?, 'CATCHING_UP', ?, ?, CURRENT_TIMESTAMP, ?, ?)", new String[] {"id"});
            ps.setLong(1, instanceId);
            ps.setString(2, instanceName);
            ps.setString(3, fromNode);
            ps.setString(4, targetNode);
            ps.setInt(5, priority);
            ps.setString(6, requestedBy);
            ps.setObject(7, masterConnections);
            ps.setObject(8, targetConnections);
            return ps;
        }, keys);
        return keys.getKey().longValue();
    }

    /** The last counts seen while catching up. */
    public void counts(long id, long master, long target) {
        jdbc.update("UPDATE vrrp_switchover SET master_connections = ?, target_connections = ? WHERE id = ?", master, target, id);
    }

    /** CATCHING_UP to HANDING_OVER with the counts at the hand-over; false when the row was no longer catching up. */
    public boolean handOver(long id, long master, long target) {
        return jdbc.update("UPDATE vrrp_switchover SET status = 'HANDING_OVER', handover_at = CURRENT_TIMESTAMP, master_connections = ?, "
                + "target_connections = ? WHERE id = ? AND status = 'CATCHING_UP'", master, target, id) == 1;
    }

    /** Ends the holds of the instance's earlier COMPLETED rows: a newer switch-over replaces them. */
    public int supersede(long instanceId, long exceptId) {
        return jdbc.update("UPDATE vrrp_switchover SET status = 'SUPERSEDED', ended_at = CURRENT_TIMESTAMP WHERE vrrp_instance_id = ? "
                + "AND status = 'COMPLETED' AND id <> ?", instanceId, exceptId);
    }

    /** Moves a row from {@code from} to {@code to} (COMPLETED keeps ended_at null: it holds). */
    public boolean end(long id, SwitchoverRow.Status from, SwitchoverRow.Status to, String detail) {
        String ended = to == SwitchoverRow.Status.COMPLETED ? "NULL" : "CURRENT_TIMESTAMP";
        return jdbc.update("UPDATE vrrp_switchover SET status = ?, ended_at = " + ended + ", detail = ? WHERE id = ? AND status = ?",
                to.name(), detail, id, from.name()) == 1;
    }

    /** What the directors of {@code nodes} report of {@code instance}, at one database time. */
    public View view(String instance, List<String> nodes) {
        Instant now = jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", (rs, i) -> instant(rs, 1));
        Map<String, NodeView> out = new LinkedHashMap<>();
        for (String node : nodes) {
            List<NodeView> v = jdbc.query("SELECT h.node_name, h.last_seen, h.ipvs_connections, h.ipvs_connections_at, s.state, s.priority, "
                    + "s.reported_at FROM director_heartbeat h LEFT JOIN director_vrrp_state s ON s.node_name = h.node_name "
                    + "AND s.instance_name = ? WHERE h.node_name = ?", (rs, i) -> new NodeView(rs.getString("node_name"),
                            instant(rs, "last_seen"), rs.getString("state"), (Integer) rs.getObject("priority", Integer.class),
                            instant(rs, "reported_at"), (Long) rs.getObject("ipvs_connections", Long.class),
                            instant(rs, "ipvs_connections_at")), instance, node);
            out.put(node, v.isEmpty() ? new NodeView(node, null, null, null, null, null, null) : v.get(0));
        }
        return new View(now, out);
    }

    private static SwitchoverRow row(ResultSet rs, int i) throws SQLException {
        return new SwitchoverRow(rs.getLong("id"), rs.getLong("vrrp_instance_id"), rs.getString("instance_name"), rs.getString("from_node"),
                rs.getString("target_node"), SwitchoverRow.Status.valueOf(rs.getString("status")), rs.getInt("priority"),
                rs.getString("requested_by"), instant(rs, "requested_at"), instant(rs, "handover_at"), instant(rs, "target_ready_at"),
                instant(rs, "released_at"), instant(rs, "ended_at"), rs.getObject("master_connections", Long.class),
                rs.getObject("target_connections", Long.class), rs.getString("detail"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
