package io.lvscp.database;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The director_drain_progress table (V10): where each draining real server's drain stands on each director, as
 * that director last reported it. Written by the node agents, read by the API (GET of a real server) and the console.
 */
@Repository
public class DrainProgressStore {

    /**
     * One director's report of one draining real server.
     *
     * @param phase    WAITING, DRAINED or TIMED_OUT (as {@code io.lvscp.ipvs.DrainProgress.Phase})
     * @param inTable  whether the real server is still in this director's IPVS table
     * @param deadline when the director removes it whatever is left (null: no start time known)
     */
    public record Row(String node, long realServerId, String phase, int active, int inactive, int persistent, boolean inTable,
            Instant deadline, Instant reportedAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    DrainProgressStore(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    /** Replaces this node's rows with {@code rows} (their node and reportedAt are ignored), in one transaction. */
    public void write(String node, List<Row> rows) {
        tx.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM director_drain_progress WHERE node_name = ?", node);
            for (Row r : rows) {
                jdbc.update("INSERT INTO director_drain_progress (node_name, real_server_id, phase, active, inactive, persistent, in_table, "
                        + "deadline, reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)", node, r.realServerId(), r.phase(),
                        r.active(), r.inactive(), r.persistent(), r.inTable(), r.deadline() == null ? null : Timestamp.from(r.deadline()));
            }
        });
    }

    /** Every director's last report of one real server, by node name. */
    public List<Row> read(long realServerId) {
        return jdbc.query("SELECT node_name, real_server_id, phase, active, inactive, persistent, in_table, deadline, reported_at "
                + "FROM director_drain_progress WHERE real_server_id = ? ORDER BY node_name", (rs, i) -> new Row(rs.getString(1),
                        rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getInt(6), rs.getBoolean(7), instant(rs, 8),
                        instant(rs, 9)), realServerId);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
