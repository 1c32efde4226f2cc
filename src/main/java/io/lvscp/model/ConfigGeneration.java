package io.lvscp.model;

import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The configuration generation: a counter bumped in the same transaction as every
 * change, so a director can tell "nothing changed" from one cheap read. The row
 * lock also orders concurrent writers.
 */
@Component
public class ConfigGeneration {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    ConfigGeneration(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Bumps the generation; on PostgreSQL also {@code NOTIFY lvscp_generation}, delivered at commit, which
     * wakes the other directors' node agents at once (the poll remains the fallback).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void bump() {
        jdbc.update("UPDATE config_state SET generation = generation + 1, updated_at = ? WHERE id = 1",
                Timestamp.from(clock.instant()));
        if (postgres()) {
            jdbc.execute("NOTIFY lvscp_generation");
        }
    }

    private volatile Boolean postgres;

    private boolean postgres() {
        Boolean p = postgres;
        if (p == null) {
            p = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) c -> "PostgreSQL".equals(c.getMetaData().getDatabaseProductName())));
            postgres = p;
        }
        return p;
    }

    public long current() {
        Long g = jdbc.queryForObject("SELECT generation FROM config_state WHERE id = 1", Long.class);
        return g == null ? 0 : g;
    }
}
