package io.lvscp.switchover;

import org.springframework.boot.test.context.SpringBootTest;

/** Planned switch-over through the database on H2 (in memory). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:switchover;DB_CLOSE_DELAY=-1",
        "spring.jpa.hibernate.ddl-auto=validate",
        "lvs.node-name=lvs0-api",
        "lvs.dataplane=dry-run"})
class H2SwitchoverTests extends SwitchoverDatabaseSuite {
}
