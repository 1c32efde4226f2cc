package io.lvscp.switchover;

import io.lvscp.support.TestPostgres;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * Planned switch-over through the database on a real PostgreSQL, as PostgresApiTests: $LVS_TEST_PG_URL (default
 * jdbc:postgresql://localhost:5432/lvscp_test, user and password lvscp), wiped at the start. Run it
 * under the machine's heavy lock. Without a server this fails under CI=true and is skipped elsewhere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lvs.node-name=lvs0-api",
        "lvs.dataplane=dry-run",
        "spring.jpa.hibernate.ddl-auto=validate"})
@TestPostgres.Database
class PostgresSwitchoverTests extends SwitchoverDatabaseSuite {
}
