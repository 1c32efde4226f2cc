package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.health.CheckScheduler.Due;
import io.lvscp.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckSchedulerTests {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00.123Z"));
    final CheckScheduler<String> scheduler = new CheckScheduler<>();

    @Test
    void checksSpreadEvenlyOverTheirInterval() {
        Duration loop = Duration.ofSeconds(1);
        for (int k = 0; k < 1000; k++) {
            CheckDefinition d = CheckDefinition.httpGet("127.0.0." + (k % 250 + 1), 8000 + k, "/", loop, Duration.ofSeconds(1));
            scheduler.add("c" + k, loop, d.phaseHash(), clock.instant());
        }
        // ten buckets of 100 ms over the first second: each should hold about 100
        int[] buckets = new int[10];
        for (int ms = 0; ms < 1000; ms++) {
            List<Due<String>> due = scheduler.poll(clock.instant());
            buckets[ms / 100] += due.size();
            clock.advance(Duration.ofMillis(1));
        }
        buckets[9] += scheduler.poll(clock.instant()).size(); // slots in the last fraction of a millisecond
        assertThat(java.util.Arrays.stream(buckets).boxed().toList()).as(java.util.Arrays.toString(buckets)).allSatisfy(b -> assertThat(b).isBetween(60, 140));
        assertThat(java.util.Arrays.stream(buckets).sum()).isEqualTo(1000);
    }

    @Test
    void theLoopDoesNotDriftWhenChecksTakeTimeOrStartLate() {
        Duration loop = Duration.ofSeconds(1);
        scheduler.add("a", loop, 250_000_000L, clock.instant());
        Instant first = scheduler.nextDue();
        List<Instant> starts = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            clock.advance(Duration.between(clock.instant(), scheduler.nextDue()));
            clock.advance(Duration.ofMillis(7)); // started 7 ms late
            List<Due<String>> due = scheduler.poll(clock.instant());
            assertThat(due).hasSize(1);
            assertThat(due.get(0).latenessNanos()).isEqualTo(7_000_000L);
            starts.add(due.get(0).due());
            clock.advance(Duration.ofMillis(40)); // the check takes 40 ms
            scheduler.done("a", clock.instant(), null);
        }
        assertThat(starts.get(49)).as("50 loops later, exactly 49 s after the first slot").isEqualTo(first.plusSeconds(49));
    }

    @Test
    void retriesRunAfterTheirDelayThenTheLoopResumesOnItsSlots() {
        scheduler.add("a", Duration.ofSeconds(10), 0, clock.instant());
        Instant slot = scheduler.nextDue();
        clock.advance(Duration.between(clock.instant(), slot));
        assertThat(scheduler.poll(clock.instant())).hasSize(1);
        clock.advance(Duration.ofMillis(300));
        scheduler.done("a", clock.instant(), Duration.ofSeconds(2));
        assertThat(scheduler.nextDue()).isEqualTo(slot.plusMillis(2300));
        clock.advance(Duration.ofMillis(2300));
        List<Due<String>> retry = scheduler.poll(clock.instant());
        assertThat(retry).singleElement().satisfies(d -> assertThat(d.retry()).isTrue());
        scheduler.done("a", clock.instant(), null);
        assertThat(scheduler.nextDue()).isEqualTo(slot.plusSeconds(10));
    }

    @Test
    void aCheckThatOverrunsSkipsSlotsInsteadOfPilingUp() {
        scheduler.add("a", Duration.ofSeconds(1), 0, clock.instant());
        Instant slot = scheduler.nextDue();
        clock.advance(Duration.between(clock.instant(), slot));
        assertThat(scheduler.poll(clock.instant())).hasSize(1);
        clock.advance(Duration.ofMillis(3500)); // hung for 3.5 s
        assertThat(scheduler.poll(clock.instant())).as("never twice at once").isEmpty();
        scheduler.done("a", clock.instant(), null);
        assertThat(scheduler.nextDue()).isEqualTo(slot.plusSeconds(4));
        assertThat(scheduler.skippedSlots()).isEqualTo(3);
    }

    @Test
    void aRemovedCheckIsNotRunAndItsEndIsIgnored() {
        scheduler.add("a", Duration.ofSeconds(1), 0, clock.instant());
        scheduler.add("b", Duration.ofSeconds(1), 1, clock.instant());
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.poll(clock.instant())).hasSize(2);
        scheduler.remove("a");
        scheduler.done("a", clock.instant(), null);
        scheduler.done("b", clock.instant(), null);
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.poll(clock.instant())).extracting(Due::key).containsExactly("b");
        assertThat(scheduler.size()).isEqualTo(1);
    }

    @Test
    void firstSlotIsAtOrAfterNowOnThePhase() {
        assertThat(CheckScheduler.firstSlot(1000, 100, 30)).isEqualTo(1030);
        assertThat(CheckScheduler.firstSlot(1030, 100, 30)).isEqualTo(1030);
        assertThat(CheckScheduler.firstSlot(1031, 100, 30)).isEqualTo(1130);
        assertThat(CheckScheduler.firstSlot(1031, 100, -70)).isEqualTo(1130);
    }

    @Test
    void aPollAheadStartsTheChecksDueWithinItsGrainWithNegativeLateness() {
        scheduler.add("a", Duration.ofSeconds(1), 0, clock.instant());
        scheduler.add("b", Duration.ofSeconds(1), 3_000_000L, clock.instant());
        scheduler.add("c", Duration.ofSeconds(1), 9_000_000L, clock.instant());
        Instant a = scheduler.nextDue();
        clock.advance(Duration.between(clock.instant(), a));
        List<Due<String>> due = scheduler.poll(clock.instant(), 5_000_000L);
        assertThat(due).extracting(Due::key).containsExactly("a", "b");
        assertThat(due).extracting(Due::latenessNanos).containsExactly(0L, -3_000_000L);
        assertThat(scheduler.nextDue()).isEqualTo(a.plusMillis(9));
        scheduler.done("b", clock.instant(), null);
        assertThat(scheduler.poll(clock.instant(), 5_000_000L)).as("b's next slot is a loop later, not now").isEmpty();
        assertThat(scheduler.skippedSlots()).isZero();
    }
}
