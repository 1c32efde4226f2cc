package io.lvscp.splitbrain;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.splitbrain.SplitBrainDetector.Change;
import io.lvscp.splitbrain.SplitBrainDetector.Key;
import io.lvscp.splitbrain.SplitBrainDetector.Report;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The split-brain detector on a clock of its own: every observation at a given database time, one heartbeat a second. */
class SplitBrainDetectorTests {

    static final Key VI_1 = new Key("prod", "VI_1");

    final SplitBrainDetector detector = new SplitBrainDetector(Duration.ofSeconds(3));
    Instant now = Instant.parse("2026-12-07T03:00:00Z");
    final List<Report> reports = new ArrayList<>();

    /** One second: each listed node reports {@code state} at the new time (the others keep their last report). */
    List<Change> second(String... nodeStates) {
        now = now.plusSeconds(1);
        for (String ns : nodeStates) {
            String[] p = ns.split("=");
            reports.removeIf(r -> r.node().equals(p[0]) && r.instance().equals("VI_1"));
            reports.add(new Report(p[0], "prod", "VI_1", p[1], p[0].equals("lvs1") ? 150 : 100, now.minusMillis(300)));
        }
        return detector.observe(now, List.copyOf(reports));
    }

    @Test
    void twoMastersInTwoHeartbeatsInARowStartAnEpisodeThatEndsWhenOneStepsDown() {
        assertThat(second("lvs1=MASTER", "lvs2=BACKUP")).isEmpty();
        assertThat(detector.masterCounts()).containsEntry(VI_1, 1);
        // multicast cut: lvs2 becomes master too; first sighting, not yet an episode
        assertThat(second("lvs1=MASTER", "lvs2=MASTER")).isEmpty();
        assertThat(detector.masterCounts()).containsEntry(VI_1, 2);
        assertThat(detector.episodes()).isEmpty();
        Instant firstSeen = now;
        // both report MASTER again: the episode starts
        List<Change> started = second("lvs1=MASTER", "lvs2=MASTER");
        assertThat(started).hasSize(1);
        Change c = started.get(0);
        assertThat(c.started()).isTrue();
        assertThat(c.episode().key()).isEqualTo(VI_1);
        assertThat(c.episode().masters()).isEqualTo(Map.of("lvs1", 150, "lvs2", 100));
        assertThat(c.episode().since()).isEqualTo(firstSeen);
        assertThat(c.episode().confirmedAt()).isEqualTo(now);
        assertThat(c.episode().lowestPriorityMaster()).isEqualTo("lvs2");
        assertThat(detector.episodes()).containsExactly(c.episode());
        // it goes on without a second start
        assertThat(second("lvs1=MASTER", "lvs2=MASTER")).isEmpty();
        assertThat(detector.episodes()).hasSize(1);
        // multicast back: lvs2 hears lvs1 and goes back to BACKUP: the episode ends
        List<Change> ended = second("lvs1=MASTER", "lvs2=BACKUP");
        assertThat(ended).singleElement().satisfies(e -> {
            assertThat(e.started()).isFalse();
            assertThat(e.episode().masters()).containsOnlyKeys("lvs1", "lvs2");
            assertThat(e.at()).isEqualTo(now);
        });
        assertThat(detector.episodes()).isEmpty();
        assertThat(detector.masterCounts()).containsEntry(VI_1, 1);
    }

    @Test
    void aMasterThatDiedStillSayingMasterIsNoSplitBrain() {
        second("lvs1=MASTER", "lvs2=BACKUP");
        // lvs1 dies: its last report stays MASTER; lvs2 takes over
        assertThat(second("lvs2=MASTER")).isEmpty();
        assertThat(detector.masterCounts()).containsEntry(VI_1, 2);
        assertThat(second("lvs2=MASTER")).isEmpty();
        assertThat(second("lvs2=MASTER")).isEmpty();
        // lvs1's report is now stale: one master
        assertThat(second("lvs2=MASTER")).isEmpty();
        assertThat(detector.masterCounts()).containsEntry(VI_1, 1);
        assertThat(detector.episodes()).isEmpty();
    }

    @Test
    void aHandOverSeenOnceWithTwoMastersIsNoSplitBrain() {
        second("lvs1=BACKUP", "lvs2=MASTER");
        // lvs1 (higher priority) preempts; lvs2's report was written just before it heard lvs1
        assertThat(second("lvs1=MASTER", "lvs2=MASTER")).isEmpty();
        assertThat(second("lvs1=MASTER", "lvs2=BACKUP")).isEmpty();
        assertThat(second("lvs1=MASTER", "lvs2=BACKUP")).isEmpty();
        assertThat(detector.episodes()).isEmpty();
    }

    @Test
    void aHeartbeatThatHasNotAdvancedYetDelaysTheStartButDoesNotResetIt() {
        second("lvs1=MASTER", "lvs2=MASTER");
        // lvs2's next heartbeat is late (same report): still pending
        assertThat(second("lvs1=MASTER")).isEmpty();
        assertThat(detector.episodes()).isEmpty();
        assertThat(second("lvs1=MASTER", "lvs2=MASTER")).singleElement().extracting(Change::started).isEqualTo(true);
    }

    @Test
    void anEpisodeEndsWhenAMasterStopsReporting() {
        second("lvs1=MASTER", "lvs2=MASTER");
        assertThat(second("lvs1=MASTER", "lvs2=MASTER")).hasSize(1);
        // lvs2 loses the database (or crashes): after staleAfter its MASTER no longer counts
        assertThat(second("lvs1=MASTER")).isEmpty();
        assertThat(second("lvs1=MASTER")).isEmpty();
        assertThat(second("lvs1=MASTER")).singleElement().extracting(Change::started).isEqualTo(false);
    }

    @Test
    void instancesOfOtherClustersAndNamesAreSeparate() {
        now = now.plusSeconds(1);
        List<Report> r = List.of(new Report("a1", "prod", "VI_1", "MASTER", 100, now), new Report("b1", "test", "VI_1", "MASTER", 100, now),
                new Report("a2", "prod", "VI_2", "MASTER", 100, now));
        assertThat(detector.observe(now, r)).isEmpty();
        assertThat(detector.observe(now.plusSeconds(1), r.stream()
                .map(x -> new Report(x.node(), x.cluster(), x.instance(), x.state(), x.priority(), now.plusSeconds(1))).toList())).isEmpty();
        assertThat(detector.masterCounts()).containsEntry(VI_1, 1).containsEntry(new Key("test", "VI_1"), 1)
                .containsEntry(new Key("prod", "VI_2"), 1);
    }

    @Test
    void threeMastersListAllAndTheLowestPriorityIsNamedForAStepDown() {
        now = now.plusSeconds(1);
        Instant t1 = now;
        List<Report> first = List.of(new Report("lvs1", "prod", "VI_1", "MASTER", 150, t1), new Report("lvs2", "prod", "VI_1", "MASTER", 100, t1),
                new Report("lvs3", "prod", "VI_1", "MASTER", 100, t1));
        detector.observe(t1, first);
        Instant t2 = t1.plusSeconds(1);
        List<Change> c = detector.observe(t2, first.stream().map(x -> new Report(x.node(), "prod", "VI_1", "MASTER", x.priority(), t2)).toList());
        assertThat(c).singleElement().satisfies(e -> {
            assertThat(e.episode().masters()).containsOnlyKeys("lvs1", "lvs2", "lvs3");
            assertThat(e.episode().lowestPriorityMaster()).isEqualTo("lvs3");
        });
    }

    @Test
    void theRecorderIsTheFirstNodeByNameWithAFreshHeartbeat() {
        Instant t = Instant.parse("2026-12-07T03:00:00Z");
        Duration stale = Duration.ofSeconds(3);
        assertThat(SplitBrainDetector.recorder(t, stale, Map.of("lvs2", t, "lvs1", t.minusSeconds(1), "api1", t.minusSeconds(10))))
                .isEqualTo("lvs1");
        assertThat(SplitBrainDetector.recorder(t, stale, Map.of("lvs1", t.minusSeconds(4), "lvs2", t))).isEqualTo("lvs2");
        assertThat(SplitBrainDetector.recorder(t, stale, Map.of())).isNull();
    }
}
