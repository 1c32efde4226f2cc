package io.lvscp.splitbrain;

import org.springframework.boot.test.context.SpringBootTest;

/** Split brain through the database on H2 (in memory). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:splitbrain;DB_CLOSE_DELAY=-1",
        "spring.jpa.hibernate.ddl-auto=validate",
        "lvs.node-name=lvs0-observer",
        "lvs.dataplane=dry-run"})
class H2SplitBrainTests extends SplitBrainDatabaseSuite {
}
