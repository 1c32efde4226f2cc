package io.lvscp.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real PostgreSQL the tests share (Debian's 15, started by .ci/run): $LVS_TEST_PG_URL (default
 * jdbc:postgresql://localhost:5432/lvscp_test), user and password $LVS_TEST_PG_USER/_PASSWORD (lvscp).
 * A test class calls {@link #require()} in @BeforeAll, {@link #register} in its @DynamicPropertySource,
 * and imports {@link CleanDatabase} to start from an empty schema.
 */
public final class TestPostgres {

    public static final String URL = env("LVS_TEST_PG_URL", "jdbc:postgresql://localhost:5432/lvscp_test");
    public static final String USER = env("LVS_TEST_PG_USER", "lvscp");
    public static final String PASSWORD = env("LVS_TEST_PG_PASSWORD", "lvscp");

    private TestPostgres() {
    }

    /** Fails under CI=true and skips elsewhere (with the reason) when the server does not answer. */
    public static void require() {
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

    public static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
    }

    /** Starts every run from an empty schema, then applies the migrations as production does. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class CleanDatabase {
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
