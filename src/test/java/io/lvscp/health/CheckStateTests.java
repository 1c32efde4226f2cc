package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.health.CheckResult.Reason;
import io.lvscp.health.CheckState.Health;
import io.lvscp.health.CheckState.Step;
import io.lvscp.support.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckStateTests {

    final MutableClock clock = new MutableClock();

    static CheckDefinition def(int retry, boolean alpha, int rise, int fall) {
        return CheckDefinition.httpGet("127.0.0.1", 80, "/", Duration.ofSeconds(6), Duration.ofSeconds(3))
                .withPolicy(retry, Duration.ofSeconds(2), Duration.ofSeconds(6), alpha, rise, fall);
    }

    static final CheckResult OK = CheckResult.ok(1_000_000);
    static final CheckResult REFUSED = CheckResult.fail(Reason.REFUSED, "connection refused", 100_000);

    Step attempt(CheckState s, CheckResult r) {
        clock.advance(Duration.ofSeconds(1));
        return s.onAttempt(r, clock.instant());
    }

    @Test
    void startsUpAndGoesDownOnlyAfterRetryFailedAttemptsMore() {
        CheckState s = new CheckState(def(3, false, 1, 1), clock.instant());
        assertThat(s.health()).isEqualTo(Health.UP);
        assertThat(s.snapshot().checked()).isFalse();
        // keepalived: retry=3 means three more attempts, delay_before_retry apart, after the first failure
        for (int k = 1; k <= 3; k++) {
            Step step = attempt(s, REFUSED);
            assertThat(step.flipped()).isFalse();
            assertThat(step.retryAfter()).isEqualTo(Duration.ofSeconds(2));
            assertThat(s.health()).isEqualTo(Health.UP);
            assertThat(s.snapshot().failedAttempts()).isEqualTo(k);
        }
        Step last = attempt(s, REFUSED);
        assertThat(last.flipped()).isTrue();
        assertThat(last.retryAfter()).as("down: back to the loop").isNull();
        assertThat(s.health()).isEqualTo(Health.DOWN);
        assertThat(s.snapshot().lastError()).isEqualTo("refused: connection refused");
        assertThat(s.snapshot().since()).isEqualTo(clock.instant());
        // while down, no retries
        Step again = attempt(s, REFUSED);
        assertThat(again.flipped()).isFalse();
        assertThat(again.retryAfter()).isNull();
        // one good attempt brings it back
        assertThat(attempt(s, OK).flipped()).isTrue();
        assertThat(s.health()).isEqualTo(Health.UP);
    }

    @Test
    void aGoodRetryResetsTheCount() {
        CheckState s = new CheckState(def(1, false, 1, 1), clock.instant());
        assertThat(attempt(s, REFUSED).retryAfter()).isNotNull();
        assertThat(attempt(s, OK).flipped()).isFalse();
        assertThat(attempt(s, REFUSED).retryAfter()).as("a fresh failure is retried again").isNotNull();
        assertThat(s.health()).isEqualTo(Health.UP);
    }

    @Test
    void retryZeroMeansTheFirstFailureCounts() {
        CheckState s = new CheckState(def(0, false, 1, 1), clock.instant());
        assertThat(attempt(s, REFUSED).flipped()).isTrue();
    }

    @Test
    void alphaStartsDownUntilTheFirstGoodCheck() {
        CheckState s = new CheckState(def(3, true, 1, 1), clock.instant());
        assertThat(s.health()).isEqualTo(Health.DOWN);
        Step step = attempt(s, REFUSED);
        assertThat(step.flipped()).isFalse();
        assertThat(step.retryAfter()).as("no retries while down").isNull();
        assertThat(attempt(s, OK).flipped()).isTrue();
        assertThat(s.health()).isEqualTo(Health.UP);
    }

    @Test
    void riseAndFallDampFlapping() {
        CheckState s = new CheckState(def(0, false, 3, 2), clock.instant());
        assertThat(attempt(s, REFUSED).flipped()).isFalse();
        assertThat(attempt(s, OK).flipped()).as("a good check resets the fall count").isFalse();
        assertThat(attempt(s, REFUSED).flipped()).isFalse();
        assertThat(attempt(s, REFUSED).flipped()).as("second failed check in a row").isTrue();
        assertThat(s.health()).isEqualTo(Health.DOWN);
        assertThat(attempt(s, OK).flipped()).isFalse();
        assertThat(attempt(s, OK).flipped()).isFalse();
        assertThat(attempt(s, REFUSED).flipped()).as("a failure resets the rise count").isFalse();
        assertThat(attempt(s, OK).flipped()).isFalse();
        assertThat(attempt(s, OK).flipped()).isFalse();
        assertThat(attempt(s, OK).flipped()).as("third good check in a row").isTrue();
        assertThat(s.health()).isEqualTo(Health.UP);
    }

    @Test
    void fallCountsChecksNotAttempts() {
        CheckState s = new CheckState(def(2, false, 1, 2), clock.instant());
        assertThat(attempt(s, REFUSED).retryAfter()).isNotNull();
        assertThat(attempt(s, REFUSED).retryAfter()).isNotNull();
        Step first = attempt(s, REFUSED);
        assertThat(first.flipped()).as("first failed check: 3 attempts").isFalse();
        assertThat(first.retryAfter()).isNull();
        attempt(s, REFUSED);
        attempt(s, REFUSED);
        assertThat(attempt(s, REFUSED).flipped()).as("second failed check").isTrue();
    }

    @Test
    void snapshotCarriesLatencyAndLastError() {
        CheckState s = new CheckState(def(0, false, 1, 1), clock.instant());
        attempt(s, OK);
        assertThat(s.snapshot().lastDurationNanos()).isEqualTo(1_000_000L);
        assertThat(s.snapshot().lastError()).isNull();
        assertThat(s.snapshot().checked()).isTrue();
    }
}
