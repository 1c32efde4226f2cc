package io.lvscp.api;

import io.lvscp.support.TestPostgres;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The same API suite on a real PostgreSQL (Debian's 15, started by .ci/run), with the
 * "postgres" profile and the same Flyway migrations. The database is
 * $LVS_TEST_PG_URL (default jdbc:postgresql://localhost:5432/lvscp_test, user and
 * password lvscp), wiped at the start. Without a server this fails under CI=true and
 * is skipped elsewhere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lvs.node-name=lvs1-local",
        "lvs.dataplane=dry-run",
        "lvs.reconcile.poll-interval=50ms",
        "spring.jpa.hibernate.ddl-auto=validate"})
@TestPostgres.Database
class PostgresApiTests extends ApiSuite {
}
