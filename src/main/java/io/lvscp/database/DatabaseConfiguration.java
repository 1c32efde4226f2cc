package io.lvscp.database;

import io.lvscp.LvsProperties;
import java.time.Clock;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The deferred schema migration and the LISTEN for committed changes. The "database" health component,
 * which reports what the heartbeat last found, is {@code dataplane.DatabaseHealthConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    /**
     * Replaces Spring Boot's migration initializer (same strategy, if one is defined): when the database
     * cannot be reached at start-up the migration is retried in the background instead of failing start-up.
     */
    @Bean
    FlywayMigrationInitializer flywayInitializer(Flyway flyway, ObjectProvider<FlywayMigrationStrategy> strategy, DatabaseStatus status,
            ApplicationEventPublisher publisher, Clock clock, LvsProperties props) {
        return new DeferredFlywayInitializer(flyway, strategy.getIfAvailable(), status, publisher, clock,
                max(props.directors().heartbeatInterval(), Duration.ofSeconds(1)));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** LISTEN for committed changes (PostgreSQL): the node agent re-plans at once instead of at its next poll. */
    @Bean
    GenerationNotifications generationNotifications(javax.sql.DataSource dataSource) {
        return new GenerationNotifications(dataSource);
    }
}
