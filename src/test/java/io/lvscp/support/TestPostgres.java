package io.lvscp.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real PostgreSQL the tests share (Debian's 15, started by .ci/run): $LVS_TEST_PG_URL (default
 * jdbc:postgresql://localhost:5432/lvscp_test), user and password $LVS_TEST_PG_USER/_PASSWORD (lvscp).
 * A Spring test class says {@link Database @TestPostgres.Database}; a plain one calls {@link #require()} and uses
 * {@link #URL}, {@link #USER} and {@link #PASSWORD}.
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

    /**
     * On a Spring test class: its application runs on this PostgreSQL with the "postgres" profile, from an empty schema
     * migrated as production does ({@link CleanDatabase}). When the server does not answer, the class fails under CI=true
     * and is skipped elsewhere ({@link #require()}), before its application context is made.
     */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @ActiveProfiles("postgres")
    @Import(CleanDatabase.class)
    @ExtendWith(Required.class)
    public @interface Database {
    }

    /** {@link #require()} before all tests of a class (see {@link Database}). */
    public static final class Required implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            require();
        }
    }

    /** The datasource above; every run starts from an empty schema, then applies the migrations as production does. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class CleanDatabase {
        @Bean
        static DynamicPropertyRegistrar testPostgresDatasource() {
            return registry -> {
                register(registry);
                registry.add("spring.flyway.clean-disabled", () -> "false");
            };
        }

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
