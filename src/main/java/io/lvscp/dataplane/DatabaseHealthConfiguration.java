package io.lvscp.dataplane;

import io.lvscp.database.DatabaseStatus;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The "database" health component: the database's reachability and this director's clock, as the heartbeat last found them. */
@Configuration(proxyBeanMethods = false)
class DatabaseHealthConfiguration {

    /**
     * "database" in /actuator/health: DOWN during an outage (so the overall status says so), with when
     * it started and the last error; this director's clock offset. It is in neither the liveness nor the
     * readiness group: a director whose database is down keeps its data plane and must not be restarted
     * or taken out of service for it. No I/O: it shows what the heartbeat last found.
     */
    @Bean
    HealthIndicator databaseHealthIndicator(DatabaseStatus status, Heartbeat heartbeat) {
        return () -> {
            DatabaseStatus.Snapshot s = status.snapshot();
            Health.Builder b = s.up() ? Health.up() : Health.down();
            b.withDetail("reachable", s.up()).withDetail("schemaReady", s.schemaReady()).withDetail("since", String.valueOf(s.since()));
            if (s.lastError() != null) {
                b.withDetail("lastError", s.lastError());
            }
            if (!s.up()) {
                b.withDetail("meanwhile", "VRRP, health checks and IPVS hold the last good desired state; API writes get 503");
            }
            Heartbeat.Reading r = heartbeat.reading();
            Map<String, Object> clock = new java.util.LinkedHashMap<>();
            clock.put("offsetSeconds", r.offsetMillis() == null ? null : r.offsetMillis() / 1000.0);
            clock.put("skewed", r.skewed());
            clock.put("maxOffsetSeconds", heartbeat.maxOffset().toMillis() / 1000.0);
            clock.put("measuredAt", String.valueOf(r.measuredAt()));
            b.withDetail("clock", clock);
            b.withDetail("lastHeartbeatAt", String.valueOf(r.lastBeatAt()));
            b.withDetail("eventsBuffered", heartbeat.eventsBuffered()).withDetail("eventsDropped", heartbeat.eventsDropped());
            return b.build();
        };
    }
}
