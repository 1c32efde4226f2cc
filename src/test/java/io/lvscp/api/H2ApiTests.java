package io.lvscp.api;

import org.springframework.boot.test.context.SpringBootTest;

/** The API suite on the default database engine, H2 (in memory here). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:api;DB_CLOSE_DELAY=-1",
        "spring.jpa.hibernate.ddl-auto=validate",
        "lvs.node-name=lvs1-local",
        "lvs.dataplane=dry-run",
        "lvs.reconcile.poll-interval=50ms"})
class H2ApiTests extends ApiSuite {
}
