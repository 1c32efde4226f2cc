package io.lvscp.dataplane;

import io.lvscp.director.HeartbeatStore;
import io.lvscp.database.DatabaseStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.lvscp.LvsProperties;
import io.lvscp.event.EventService;
import io.lvscp.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** The heartbeat: the clock offset against the database's clock, the skew flag, and noticing an outage. */
class HeartbeatTests {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
    final HeartbeatStore store = mock(HeartbeatStore.class);
    final EventService events = mock(EventService.class);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final LvsProperties props = new LvsProperties("lvs1", LvsProperties.DataPlaneMode.DRY_RUN, null, null, null, null, null);
    final DatabaseStatus database = new DatabaseStatus(clock, meters, props);

    @SuppressWarnings("unchecked")
    Heartbeat heartbeat() {
        NodeAgent agent = mock(NodeAgent.class);
        when(agent.status()).thenReturn(new NodeAgent.Status("lvs1", 4, clock.instant(), clock.instant(), null, 0));
        DataPlane dataPlane = mock(DataPlane.class);
        when(dataPlane.mode()).thenReturn(io.lvscp.dataplane.DataPlane.Mode.DRY_RUN);
        return new Heartbeat(props, store, database, agent, dataPlane, mock(LocalState.class), events, clock,
                mock(ObjectProvider.class), meters);
    }

    double gauge(String name) {
        return meters.get(name).tag("node", "lvs1").gauge().value();
    }

    @Test
    void aClockAheadOfTheDatabasesIsFlaggedUntilItIsBackWithinTheThreshold() {
        database.schemaReady();
        Heartbeat hb = heartbeat();
        when(store.databaseNow()).thenReturn(clock.instant().minusMillis(3_000));
        hb.beat();
        assertThat(hb.reading().offsetMillis()).isEqualTo(3_000);
        assertThat(hb.reading().skewed()).isTrue();
        assertThat(gauge("lvs.director.clock.skewed")).isEqualTo(1);
        assertThat(gauge("lvs.director.clock.offset.seconds")).isEqualTo(3.0);
        ArgumentCaptor<HeartbeatStore.Beat> beat = ArgumentCaptor.forClass(HeartbeatStore.Beat.class);
        verify(store).beat(beat.capture());
        assertThat(beat.getValue().clockOffsetMs()).isEqualTo(3_000);
        assertThat(beat.getValue().appliedGeneration()).isEqualTo(4);
        assertThat(beat.getValue().dataPlaneMode()).isEqualTo("dry-run");
        verify(events).flushBuffered();

        when(store.databaseNow()).thenReturn(clock.instant().plusMillis(400));
        hb.beat();
        assertThat(hb.reading().offsetMillis()).isEqualTo(-400);
        assertThat(hb.reading().skewed()).isFalse();
        assertThat(gauge("lvs.director.clock.skewed")).isZero();
    }

    @Test
    void aFailedRoundTripMarksTheDatabaseDownAndWritesNothing() {
        database.schemaReady();
        Heartbeat hb = heartbeat();
        when(store.databaseNow()).thenThrow(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"));
        hb.beat();
        assertThat(database.up()).isFalse();
        assertThat(gauge("lvs.database.up")).isZero();
        verify(store, never()).beat(any());
        verify(events, never()).flushBuffered();

        Mockito.reset(store);
        when(store.databaseNow()).thenReturn(clock.instant());
        hb.beat();
        assertThat(database.up()).isTrue();
        verify(events).flushBuffered();
    }
}
