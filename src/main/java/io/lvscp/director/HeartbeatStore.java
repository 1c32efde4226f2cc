package io.lvscp.director;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The director_heartbeat table (V5). */
@Repository
public class HeartbeatStore {

    /** One director's row, with the database's clock at the time of the read. */
    public record Row(String nodeName, Instant startedAt, Instant lastSeen, String buildVersion, String dataPlaneMode, long clockOffsetMs,
            long appliedGeneration, Instant appliedAt, boolean startedFromLocalState, Instant databaseNow) {
    }

    /** What a director writes. */
    public record Beat(String nodeName, Instant startedAt, String buildVersion, String dataPlaneMode, long clockOffsetMs,
            long appliedGeneration, Instant appliedAt, boolean startedFromLocalState) {
    }

    private final JdbcTemplate jdbc;

    HeartbeatStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The database's clock now. */
    public Instant databaseNow() {
        return jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", (rs, i) -> instant(rs, 1));
    }

    /** Inserts or refreshes a row; last_seen is the database's clock. */
    public void beat(Beat b) {
        Timestamp applied = b.appliedAt() == null ? null : Timestamp.from(b.appliedAt());
        int n = jdbc.update("UPDATE director_heartbeat SET started_at = ?, last_seen = CURRENT_TIMESTAMP, build_version = ?, "
                + "dataplane_mode = ?, clock_offset_ms = ?, applied_generation = ?, applied_at = ?, started_from_local_state = ? "
                + "WHERE node_name = ?", Timestamp.from(b.startedAt()), b.buildVersion(), b.dataPlaneMode(), b.clockOffsetMs(),
                b.appliedGeneration(), applied, b.startedFromLocalState(), b.nodeName());
        if (n == 0) {
            jdbc.update("INSERT INTO director_heartbeat (node_name, started_at, last_seen, build_version, dataplane_mode, clock_offset_ms, "
                    + "applied_generation, applied_at, started_from_local_state) VALUES (?, ?, CURRENT_TIMESTAMP, ?, ?, ?, ?, ?, ?)",
                    b.nodeName(), Timestamp.from(b.startedAt()), b.buildVersion(), b.dataPlaneMode(), b.clockOffsetMs(),
                    b.appliedGeneration(), applied, b.startedFromLocalState());
        }
    }

    public List<Row> all() {
        return jdbc.query("SELECT h.*, CURRENT_TIMESTAMP AS db_now FROM director_heartbeat h ORDER BY node_name", HeartbeatStore::row);
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        return new Row(rs.getString("node_name"), instant(rs, "started_at"), instant(rs, "last_seen"), rs.getString("build_version"),
                rs.getString("dataplane_mode"), rs.getLong("clock_offset_ms"), rs.getLong("applied_generation"), instant(rs, "applied_at"),
                rs.getBoolean("started_from_local_state"), instant(rs, "db_now"));
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
