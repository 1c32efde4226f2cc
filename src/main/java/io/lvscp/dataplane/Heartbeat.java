package io.lvscp.dataplane;

import io.lvscp.common.PeriodicThread;
import io.lvscp.director.HeartbeatStore;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.LvsProperties;
import io.lvscp.event.EventService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every {@code lvs.directors.heartbeat-interval}, on its own thread: measures this director's clock
 * against the database's ({@code SELECT CURRENT_TIMESTAMP}, offset = local clock at the middle of the
 * round trip minus the database's), refreshes this node's director_heartbeat row (build, data plane
 * mode, generation applied), and so finds out whether the database is reachable ({@link DatabaseStatus}).
 * When it is reachable again, the events buffered meanwhile are written.
 */
@Component
public class Heartbeat implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    /** The last measurement. */
    public record Reading(Long offsetMillis, boolean skewed, Instant measuredAt, Instant lastBeatAt) {
    }

    private final String node;
    private final HeartbeatStore store;
    private final DatabaseStatus database;
    private final NodeAgent agent;
    private final DataPlane dataPlane;
    private final LocalState local;
    private final EventService events;
    private final Clock clock;
    private final LvsProperties.Directors settings;
    private final String version;
    private final Instant startedAt;
    private volatile Reading reading = new Reading(null, false, null, null);
    private final PeriodicThread thread = new PeriodicThread("director-heartbeat");
    private volatile String lastWriteError;

    Heartbeat(LvsProperties props, HeartbeatStore store, DatabaseStatus database, NodeAgent agent, DataPlane dataPlane, LocalState local,
            EventService events, Clock clock, ObjectProvider<BuildProperties> build, MeterRegistry meters) {
        this.node = props.nodeName();
        this.store = store;
        this.database = database;
        this.agent = agent;
        this.dataPlane = dataPlane;
        this.local = local;
        this.events = events;
        this.clock = clock;
        this.settings = props.directors();
        BuildProperties b = build.getIfAvailable();
        this.version = b == null || b.getVersion() == null ? "unknown" : b.getVersion();
        this.startedAt = clock.instant();
        Gauge.builder("lvs.director.clock.offset.seconds", this, h -> {
            Long ms = h.reading.offsetMillis();
            return ms == null ? Double.NaN : ms / 1000.0;
        }).description("This director's clock minus the database's, measured around a round trip (NaN before the first)")
                .tag("node", node).register(meters);
        Gauge.builder("lvs.director.clock.skewed", this, h -> h.reading.skewed() ? 1 : 0)
                .description("1 while the clock offset exceeds lvs.directors.max-clock-offset").tag("node", node).register(meters);
        Gauge.builder("lvs.director.heartbeat.age.seconds", this, h -> {
            Instant at = h.reading.lastBeatAt();
            return at == null ? Double.NaN : Duration.between(at, h.clock.instant()).toMillis() / 1000.0;
        }).description("Seconds since this director last wrote its heartbeat row (grows during a database outage)").tag("node", node)
                .register(meters);
    }

    public Reading reading() {
        return reading;
    }

    public Duration maxOffset() {
        return settings.maxClockOffset();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public String version() {
        return version;
    }

    int eventsBuffered() {
        return events.bufferedCount();
    }

    long eventsDropped() {
        return events.droppedCount();
    }

    /** One heartbeat. Never throws. */
    void beat() {
        try {
            long t0 = clock.millis();
            Instant db = store.databaseNow();
            long t1 = clock.millis();
            long offset = (t0 + t1) / 2 - db.toEpochMilli();
            boolean skewed = Math.abs(offset) > settings.maxClockOffset().toMillis();
            Reading before = reading;
            if (skewed != before.skewed()) {
                if (skewed) {
                    log.warn("Node {}: clock differs from the database's by {} ms (more than {}): keep the directors' time in sync (NTP)",
                            node, offset, settings.maxClockOffset());
                } else {
                    log.info("Node {}: clock back within {} of the database's ({} ms)", node, settings.maxClockOffset(), offset);
                }
            }
            database.reachable();
            Instant beatAt = before.lastBeatAt();
            if (database.snapshot().schemaReady()) {
                NodeAgent.Status s = agent.status();
                store.beat(new HeartbeatStore.Beat(node, startedAt, version, dataPlane.mode().wireName(), offset, s.appliedGeneration(), s.lastAppliedAt(),
                        local.startedFromFile()));
                beatAt = clock.instant();
                lastWriteError = null;
                events.flushBuffered();
            }
            reading = new Reading(offset, skewed, clock.instant(), beatAt);
        } catch (RuntimeException e) {
            if (DatabaseStatus.isConnectionFailure(e)) {
                database.unreachable(e);
            } else if (!e.toString().equals(lastWriteError)) {
                lastWriteError = e.toString();
                log.warn("Node {}: cannot write the heartbeat: {}", node, e.toString());
            }
        }
    }

    @Override
    public void start() {
        thread.start(this::beat, settings.heartbeatInterval());
    }

    @Override
    public void stop() {
        thread.stop();
    }

    @Override
    public boolean isRunning() {
        return thread.isRunning();
    }
}
