package io.lvscp.database;

import java.time.Instant;

/**
 * Published once per process, when the database answers and its schema is migrated: at start-up
 * when the database is there, else when it first comes back. Start-up work that writes to the
 * database (for example creating the first admin user) listens for this instead of running at boot,
 * so that a director can start while the database is down.
 *
 * @param at       when the schema was found ready
 * @param deferred true when the database was unreachable at start-up and the migration ran later
 */
public record DatabaseAvailable(Instant at, boolean deferred) {
}
