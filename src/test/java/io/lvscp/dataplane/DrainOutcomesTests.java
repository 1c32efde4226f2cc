package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.lvscp.event.EventService;
import io.lvscp.ipvs.DrainProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The events and the counter of drains that ended. */
class DrainOutcomesTests {

    @Test
    void aDrainedAndATimedOutRealServerAreRecordedAndCounted() {
        EventService events = mock(EventService.class);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DrainOutcomes outcomes = new DrainOutcomes("lvs1", events, meters);
        assertThat(meters.get("lvs.drains").tag("outcome", "timed_out").counter().count()).isZero();
        Instant deadline = Instant.parse("2026-12-07T03:05:00Z");
        outcomes.record("prod", List.of(
                new DrainProgress.Finished("TCP 172.18.42.42:80", "10.0.0.2:80", new DrainProgress(DrainProgress.Phase.DRAINED, 0, 0, 0, deadline)),
                new DrainProgress.Finished("TCP 172.18.42.42:80", "10.0.0.3:80",
                        new DrainProgress(DrainProgress.Phase.TIMED_OUT, 2, 1, 1, deadline))));
        assertThat(meters.get("lvs.drains").tag("node", "lvs1").tag("outcome", "drained").counter().count()).isEqualTo(1);
        assertThat(meters.get("lvs.drains").tag("node", "lvs1").tag("outcome", "timed_out").counter().count()).isEqualTo(1);
        verify(events).record(eq(EventService.DATAPLANE), eq(null), eq("prod"), eq("DRAINED"), eq("real_server"), eq(null),
                eq("node lvs1: 10.0.0.2:80 of TCP 172.18.42.42:80 drained: out of IPVS"), any());
        verify(events).record(eq(EventService.DATAPLANE), eq(null), eq("prod"), eq("DRAIN_TIMED_OUT"), eq("real_server"), eq(null),
                eq("node lvs1: 10.0.0.3:80 of TCP 172.18.42.42:80 drain timed out with 4 left (2 active, 1 inactive, 1 persistence templates): removed"),
                any());
    }
}
