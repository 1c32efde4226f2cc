package io.lvscp.splitbrain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who steps down in a split brain seen through the database, and when its hold ends. Pure. */
class StepDownTests {

    static final Duration STALE = Duration.ofSeconds(3);
    final Instant t0 = Instant.parse("2026-12-07T03:00:00Z");
    final SplitBrainDetector.Key vi1 = new SplitBrainDetector.Key("prod", "VI_1");

    static SplitBrainDetector.Report r(String node, String state, int priority, Instant at) {
        return new SplitBrainDetector.Report(node, "prod", "VI_1", state, priority, at);
    }

    SplitBrainDetector.Episode episode(Map<String, Integer> masters) {
        return new SplitBrainDetector.Episode(vi1, masters, t0, t0.plusSeconds(1));
    }

    @Test
    void theLowestPriorityMasterOfAConfirmedEpisodeStepsDownTheOtherDoesNot() {
        SplitBrainDetector.Episode ep = episode(Map.of("lvs1", 150, "lvs2", 100));
        List<SplitBrainDetector.Report> reports = List.of(r("lvs1", "MASTER", 150, t0), r("lvs2", "MASTER", 100, t0));
        StepDown.Actions lvs2 = StepDown.decide("lvs2", t0, STALE, reports, List.of(ep), Set.of());
        assertThat(lvs2.stepDown()).singleElement().satisfies(l -> assertThat(l.key()).isEqualTo(vi1));
        assertThat(lvs2.resume()).isEmpty();
        assertThat(StepDown.decide("lvs1", t0, STALE, reports, List.of(ep), Set.of()).none()).isTrue();
        assertThat(StepDown.decide("api0", t0, STALE, reports, List.of(ep), Set.of()).none()).as("an observer").isTrue();
    }

    @Test
    void onATieTheLastByNameStepsDown() {
        SplitBrainDetector.Episode ep = episode(Map.of("lvs1", 100, "lvs2", 100));
        List<SplitBrainDetector.Report> reports = List.of(r("lvs1", "MASTER", 100, t0), r("lvs2", "MASTER", 100, t0));
        assertThat(StepDown.decide("lvs2", t0, STALE, reports, List.of(ep), Set.of()).stepDown()).hasSize(1);
        assertThat(StepDown.decide("lvs1", t0, STALE, reports, List.of(ep), Set.of()).stepDown()).isEmpty();
    }

    @Test
    void noEpisodeNoStepDownAndAHeldInstanceIsNotSteppedDownTwice() {
        List<SplitBrainDetector.Report> reports = List.of(r("lvs1", "MASTER", 150, t0), r("lvs2", "MASTER", 100, t0));
        assertThat(StepDown.decide("lvs2", t0, STALE, reports, List.of(), Set.of()).none()).as("two masters once: not confirmed").isTrue();
        SplitBrainDetector.Episode ep = episode(Map.of("lvs1", 150, "lvs2", 100));
        assertThat(StepDown.decide("lvs2", t0, STALE, reports, List.of(ep), Set.of(vi1)).stepDown()).isEmpty();
    }

    @Test
    void theHoldLastsWhileAnotherDirectorReportsMasterFreshly() {
        List<SplitBrainDetector.Report> reports = List.of(r("lvs1", "MASTER", 150, t0.minusSeconds(2)), r("lvs2", "BACKUP", 100, t0));
        assertThat(StepDown.decide("lvs2", t0, STALE, reports, List.of(), Set.of(vi1)).none()).isTrue();
    }

    @Test
    void theHoldEndsWhenTheOtherMastersReportGoesStale() {
        // the winner died (box, JVM, or its database connection): its last row still says MASTER
        List<SplitBrainDetector.Report> reports = List.of(r("lvs1", "MASTER", 150, t0.minusSeconds(4)), r("lvs2", "BACKUP", 100, t0));
        StepDown.Actions a = StepDown.decide("lvs2", t0, STALE, reports, List.of(), Set.of(vi1));
        assertThat(a.resume()).singleElement().satisfies(x -> {
            assertThat(x.key()).isEqualTo(vi1);
            assertThat(x.reason()).contains("stale").contains("lvs1");
        });
    }

    @Test
    void theHoldEndsWhenNoOtherDirectorReportsMaster() {
        List<SplitBrainDetector.Report> reports = List.of(r("lvs1", "BACKUP", 150, t0), r("lvs2", "BACKUP", 100, t0));
        assertThat(StepDown.decide("lvs2", t0, STALE, reports, List.of(), Set.of(vi1)).resume()).singleElement()
                .satisfies(x -> assertThat(x.reason()).isEqualTo("no other director reports being master"));
        // its own MASTER report (the hold is in force, it cannot be; a stale row) does not count, nor another cluster's
        List<SplitBrainDetector.Report> others = List.of(r("lvs2", "MASTER", 100, t0),
                new SplitBrainDetector.Report("lvs9", "other", "VI_1", "MASTER", 200, t0));
        assertThat(StepDown.decide("lvs2", t0, STALE, others, List.of(), Set.of(vi1)).resume()).hasSize(1);
    }

    @Test
    void aThirdMasterKeepsTheHoldWhenTheWinnerFallsBack() {
        List<SplitBrainDetector.Report> reports = List.of(r("lvs1", "BACKUP", 150, t0), r("lvs2", "BACKUP", 100, t0),
                r("lvs3", "MASTER", 120, t0));
        assertThat(StepDown.decide("lvs2", t0, STALE, reports, List.of(), Set.of(vi1)).none()).isTrue();
    }

    @Test
    void anUnreadableDatabaseEndsTheHoldsOnlyAfterStaleAfter() {
        assertThat(StepDown.unreadable(Set.of(vi1), Duration.ofSeconds(2), STALE)).isEmpty();
        assertThat(StepDown.unreadable(Set.of(vi1), Duration.ofSeconds(3), STALE)).singleElement()
                .satisfies(x -> assertThat(x.reason()).contains("could not be read"));
    }
}
