package io.lvscp.splitbrain;

import io.lvscp.support.LabRequirement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Split brain through the database on a real PostgreSQL, as PostgresApiTests: $LVS_TEST_PG_URL (default
 * jdbc:postgresql://localhost:5432/lvscp_test, user and password lvscp), wiped at the start. Run it
 * under the machine's heavy lock. Without a server this fails under CI=true and is skipped elsewhere.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lvs.node-name=lvs0-observer",
        "lvs.dataplane=dry-run",
        "spring.flyway.clean-disabled=false",
        "spring.jpa.hibernate.ddl-auto=validate"})
@ActiveProfiles("postgres")
@Import(PostgresSplitBrainTests.CleanDatabase.class)
class PostgresSplitBrainTests extends SplitBrainDatabaseSuite {

    static final String URL = env("LVS_TEST_PG_URL", "jdbc:postgresql://localhost:5432/lvscp_test");
    static final String USER = env("LVS_TEST_PG_USER", "lvscp");
    static final String PASSWORD = env("LVS_TEST_PG_PASSWORD", "lvscp");

    @BeforeAll
    static void requirePostgres() {
        String problem = null;
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            if (!c.isValid(5)) {
                problem = "PostgreSQL at " + URL + " does not answer";
            }
        } catch (SQLException e) {
            problem = "no PostgreSQL at " + URL + " (" + e.getMessage() + ")";
        }
        LabRequirement.require(problem == null, problem);
    }

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
    }

    /** Starts from an empty schema, then applies the migrations as production does. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CleanDatabase {
        @Bean
        FlywayMigrationStrategy cleanThenMigrate() {
            return (Flyway flyway) -> {
                flyway.clean();
                flyway.migrate();
            };
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
