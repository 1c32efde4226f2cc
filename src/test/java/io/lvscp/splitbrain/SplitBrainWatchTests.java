package io.lvscp.splitbrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.lvscp.LvsProperties;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.event.EventService;
import io.lvscp.support.MutableClock;
import io.lvscp.support.TestVrrpNodes;
import io.lvscp.vrrp.node.VrrpNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;

/** The watch over the store (a mock here; SplitBrainDatabaseSuite runs it on H2 and PostgreSQL): events once, meters, meters removed. */
class SplitBrainWatchTests {

    final Instant t0 = Instant.parse("2026-12-07T03:00:00Z");
    final MutableClock clock = new MutableClock(t0);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final VrrpStateStore store = mock(VrrpStateStore.class);
    final EventService events = mock(EventService.class);

    @SuppressWarnings("unchecked")
    SplitBrainWatch watch(String node) {
        return watch(node, false, mock(ObjectProvider.class));
    }

    SplitBrainWatch watch(String node, boolean stepDown, ObjectProvider<io.lvscp.vrrp.node.VrrpNodeHandle> vrrp) {
        LvsProperties props = new LvsProperties(node, LvsProperties.DataPlaneMode.DRY_RUN, null, null, null, null, null);
        DatabaseStatus database = new DatabaseStatus(clock, meters, props);
        database.schemaReady();
        return new SplitBrainWatch(props, new SplitBrainProperties(true, Duration.ofSeconds(3), stepDown), store, database, vrrp,
                events, meters);
    }

    void snapshot(Instant at, String lvs2State, String... fresh) {
        Map<String, Instant> beats = new java.util.TreeMap<>();
        for (String n : fresh) {
            beats.put(n, at);
        }
        List<SplitBrainDetector.Report> reports = lvs2State == null ? List.of() : List.of(
                new SplitBrainDetector.Report("lvs1", "prod", "VI_1", "MASTER", 150, at),
                new SplitBrainDetector.Report("lvs2", "prod", "VI_1", lvs2State, 100, at));
        when(store.read()).thenReturn(new VrrpStateStore.Snapshot(at, reports, beats));
    }

    double gauge(String name) {
        return meters.get(name).tag("cluster", "prod").tag("instance", "VI_1").gauge().value();
    }

    @Test
    void theFirstNodeWithAFreshHeartbeatRecordsTheEpisodeAndTheSeriesGoWithTheInstance() {
        when(store.clusterId("prod")).thenReturn(7L);
        SplitBrainWatch w = watch("api0");
        snapshot(t0, "MASTER", "api0", "lvs1", "lvs2");
        w.evaluate();
        assertThat(gauge("lvs.vrrp.masters")).isEqualTo(2);
        assertThat(gauge("lvs.vrrp.split.brain.detected")).isZero();
        snapshot(t0.plusSeconds(1), "MASTER", "api0", "lvs1", "lvs2");
        w.evaluate();
        assertThat(gauge("lvs.vrrp.split.brain.detected")).isEqualTo(1);
        assertThat(meters.get("lvs.vrrp.split.brain.episodes").tag("node", "api0").counter().count()).isEqualTo(1);
        assertThat(w.episodes()).singleElement().satisfies(e -> assertThat(e.masters()).containsOnlyKeys("lvs1", "lvs2"));
        verify(events).record(eq(EventService.SPLIT_BRAIN), eq(7L), eq("prod"), eq("DETECTED"), eq("VRRP_INSTANCE"), eq(null),
                eq("Split brain: VI_1 of cluster prod has 2 masters (lvs1 priority 150, lvs2 priority 100), seen through the database"), any());

        snapshot(t0.plusSeconds(2), "BACKUP", "api0", "lvs1", "lvs2");
        w.evaluate();
        assertThat(gauge("lvs.vrrp.split.brain.detected")).isZero();
        assertThat(gauge("lvs.vrrp.masters")).isEqualTo(1);
        verify(events).record(eq(EventService.SPLIT_BRAIN), eq(7L), eq("prod"), eq("CLEARED"), eq("VRRP_INSTANCE"), eq(null), anyString(), any());
        assertThat(w.episodes()).isEmpty();

        // the instance is deleted: its directors report it no more, and its series go rather than read "no master"
        snapshot(t0.plusSeconds(3), null, "api0", "lvs1", "lvs2");
        w.evaluate();
        assertThat(meters.find("lvs.vrrp.masters").gauges()).isEmpty();
        assertThat(meters.find("lvs.vrrp.split.brain.detected").gauges()).isEmpty();
    }

    @Test
    void anotherNodeFirstByNameRecordsSoThisOneOnlyCounts() {
        SplitBrainWatch w = watch("lvs2");
        snapshot(t0, "MASTER", "lvs1", "lvs2");
        w.evaluate();
        snapshot(t0.plusSeconds(1), "MASTER", "lvs1", "lvs2");
        w.evaluate();
        assertThat(gauge("lvs.vrrp.split.brain.detected")).isEqualTo(1);
        verify(events, never()).record(any(), any(), any(), any(), any(), any(), any(), any());
    }

    @Test
    void thisNodesStatesAreWrittenEvenWithoutVrrp() {
        SplitBrainWatch w = watch("api0");
        w.report();
        verify(store).write("api0", List.of());
    }

    @Test
    void withStepDownTheLowerMasterStepsDownIsHeldAndResumesWhenTheWinnersReportGoesStale() {
        VrrpNode node = mock(VrrpNode.class);
        when(node.standDown(eq("VI_1"), anyString())).thenReturn(true);
        SplitBrainWatch w = watch("lvs2", true, TestVrrpNodes.provider(node));
        snapshot(t0, "MASTER", "lvs1", "lvs2");
        w.evaluate();
        verify(node, never()).standDown(anyString(), anyString());
        snapshot(t0.plusSeconds(1), "MASTER", "lvs1", "lvs2");
        w.evaluate();
        verify(node).standDown(eq("VI_1"), anyString());
        verify(events).record(eq(EventService.SPLIT_BRAIN), any(), eq("prod"), eq("STEPPED_DOWN"), eq("VRRP_INSTANCE"), eq(null),
                anyString(), any());
        assertThat(w.held()).containsExactly(new SplitBrainDetector.Key("prod", "VI_1"));
        assertThat(meters.get("lvs.vrrp.split.brain.held").tag("node", "lvs2").gauge().value()).isEqualTo(1);
        assertThat(meters.get("lvs.vrrp.split.brain.step.downs").tag("node", "lvs2").counter().count()).isEqualTo(1);
        // lvs2 is backup now; lvs1 still reports master: held, not stepped down again
        snapshot(t0.plusSeconds(2), "BACKUP", "lvs1", "lvs2");
        w.evaluate();
        verify(node, never()).endStandDown(anyString());
        // lvs1 stops reporting: its last row (MASTER) goes stale, the hold ends
        Instant late = t0.plusSeconds(6);
        when(store.read()).thenReturn(new VrrpStateStore.Snapshot(late, List.of(
                new SplitBrainDetector.Report("lvs1", "prod", "VI_1", "MASTER", 150, t0.plusSeconds(2)),
                new SplitBrainDetector.Report("lvs2", "prod", "VI_1", "BACKUP", 100, late)), Map.of("lvs2", late)));
        w.evaluate();
        verify(node).endStandDown("VI_1");
        verify(events).record(eq(EventService.SPLIT_BRAIN), any(), eq("prod"), eq("HOLD_ENDED"), eq("VRRP_INSTANCE"), eq(null),
                org.mockito.ArgumentMatchers.contains("stale"), any());
        assertThat(w.held()).isEmpty();
        assertThat(meters.get("lvs.vrrp.split.brain.held").tag("node", "lvs2").gauge().value()).isZero();
    }

    @Test
    void stepDownOffNeverTouchesVrrp() {
        VrrpNode node = mock(VrrpNode.class);
        SplitBrainWatch w = watch("lvs2", false, TestVrrpNodes.provider(node));
        snapshot(t0, "MASTER", "lvs1", "lvs2");
        w.evaluate();
        snapshot(t0.plusSeconds(1), "MASTER", "lvs1", "lvs2");
        w.evaluate();
        assertThat(w.episodes()).hasSize(1);
        verify(node, never()).standDown(anyString(), anyString());
    }
}
