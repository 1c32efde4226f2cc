package io.lvscp.database;

import io.lvscp.LvsProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Whether this process can reach the database, as the heartbeat (every
 * {@code lvs.directors.heartbeat-interval}) and the schema migration last found it. Engines
 * that would otherwise wait on a connection read {@link #up()} first and work from their last
 * good state while it is false. Flips are logged once each.
 */
@Component
public class DatabaseStatus {

    private static final Logger log = LoggerFactory.getLogger(DatabaseStatus.class);

    /** One reading, for health and the API. */
    public record Snapshot(boolean up, boolean schemaReady, Instant since, Instant lastCheckedAt, String lastError) {
    }

    private final Clock clock;
    private volatile Snapshot snapshot;

    public DatabaseStatus(Clock clock, MeterRegistry meters, LvsProperties props) {
        this.clock = clock;
        // optimistic until a check says otherwise: the migration runs first at start-up and reports
        this.snapshot = new Snapshot(true, false, clock.instant(), null, null);
        Gauge.builder("lvs.database.up", this, s -> s.up() ? 1 : 0)
                .description("1 while this director reaches the database (heartbeat), 0 during an outage").tag("node", props.nodeName())
                .register(meters);
    }

    public boolean up() {
        return snapshot.up();
    }

    /** Up and migrated: what writes need. */
    public boolean ready() {
        Snapshot s = snapshot;
        return s.up() && s.schemaReady();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public synchronized void reachable() {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        if (!s.up()) {
            log.warn("Database reachable again (unreachable since {}); converging from it", s.since());
        }
        snapshot = new Snapshot(true, s.schemaReady(), s.up() ? s.since() : now, now, null);
    }

    public synchronized void unreachable(Throwable cause) {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        String error = describe(cause);
        if (s.up()) {
            log.warn("Database unreachable ({}): VRRP, health checks and IPVS keep the last good desired state; API writes get 503 "
                    + "until it returns", error);
        }
        snapshot = new Snapshot(false, s.schemaReady(), s.up() ? now : s.since(), now, error);
    }

    public synchronized void schemaReady() {
        Snapshot s = snapshot;
        snapshot = new Snapshot(true, true, s.up() ? s.since() : clock.instant(), clock.instant(), null);
    }

    /** Whether a failure means "cannot reach the database" (rather than, say, a constraint). */
    public static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof QueryTimeoutException || t instanceof TransientDataAccessResourceException
                    || t instanceof SQLTransientConnectionException || t instanceof java.net.ConnectException
                    || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().equals("57P01") || sql.getSQLState().equals("57014"))) {
                return true; // connection exception, admin shutdown, query cancelled (statement timeout)
            }
        }
        return false;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return root.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
