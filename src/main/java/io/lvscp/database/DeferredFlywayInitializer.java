package io.lvscp.database;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Runs the Flyway migration at start-up as Spring Boot does, except when the database cannot be
 * reached: then start-up goes on (the director works from its local state) and the migration is
 * retried in the background every {@code retry} until it succeeds. {@link DatabaseAvailable} is
 * published once the schema is ready, after the context has started.
 */
class DeferredFlywayInitializer extends FlywayMigrationInitializer implements ApplicationListener<ContextRefreshedEvent> {

    private static final Logger log = LoggerFactory.getLogger(DeferredFlywayInitializer.class);

    private final Flyway flyway;
    private final FlywayMigrationStrategy strategy;
    private final DatabaseStatus status;
    private final ApplicationEventPublisher publisher;
    private final Clock clock;
    private final Duration retry;
    private final AtomicBoolean published = new AtomicBoolean();
    private volatile boolean ready;
    private volatile boolean deferred;
    private volatile boolean refreshed;
    private volatile Thread retrier;

    DeferredFlywayInitializer(Flyway flyway, FlywayMigrationStrategy strategy, DatabaseStatus status, ApplicationEventPublisher publisher,
            Clock clock, Duration retry) {
        super(flyway, strategy);
        this.flyway = flyway;
        this.strategy = strategy;
        this.status = status;
        this.publisher = publisher;
        this.clock = clock;
        this.retry = retry;
    }

    @Override
    public void afterPropertiesSet() {
        try {
            migrate();
        } catch (RuntimeException e) {
            if (!DatabaseStatus.isConnectionFailure(e) && !unreachable(e)) {
                throw e;
            }
            status.unreachable(e);
            deferred = true;
            log.warn("Database unreachable at start-up ({}): starting without it; the schema migration is retried every {}",
                    DatabaseStatus.describe(e), retry);
            Thread t = new Thread(this::retryUntilMigrated, "flyway-deferred");
            t.setDaemon(true);
            retrier = t;
            t.start();
        }
    }

    private void migrate() {
        if (strategy != null) {
            strategy.migrate(flyway);
        } else {
            flyway.migrate();
        }
        ready = true;
        status.schemaReady();
    }

    private void retryUntilMigrated() {
        while (!ready) {
            try {
                Thread.sleep(retry.toMillis());
                migrate();
                log.info("Database reachable: schema migrated (deferred from start-up)");
                publishOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                status.unreachable(e);
            }
        }
    }

    /** Flyway wraps "cannot connect" in its own exception whose cause chain may lack the SQL state. */
    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("Unable to obtain connection") || m.contains("Connection refused")
                    || m.contains("Connection is not available"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        refreshed = true;
        publishOnce();
    }

    private synchronized void publishOnce() {
        if (ready && refreshed && published.compareAndSet(false, true)) {
            publisher.publishEvent(new DatabaseAvailable(clock.instant(), deferred));
        }
    }

    /** Whether the schema is migrated. */
    boolean ready() {
        return ready;
    }

    void stop() {
        Thread t = retrier;
        if (t != null) {
            t.interrupt();
        }
    }
}
