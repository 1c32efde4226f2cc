package io.lvscp.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CatchUpTests {

    final CatchUp.Margin margin = new CatchUp.Margin(5, 10);

    @Test
    void aFewConnectionsShortIsCaughtUpOnASmallTable() {
        assertThat(CatchUp.caughtUp(20, 10, margin)).as("10 short, 10 allowed").isTrue();
        assertThat(CatchUp.caughtUp(20, 9, margin)).as("11 short").isFalse();
    }

    @Test
    void onABigTableThePercentageAllowsMore() {
        assertThat(margin.allowed(1000)).isEqualTo(50);
        assertThat(CatchUp.caughtUp(1000, 950, margin)).isTrue();
        assertThat(CatchUp.caughtUp(1000, 949, margin)).isFalse();
        assertThat(margin.allowed(1001)).as("rounded up").isEqualTo(51);
    }

    @Test
    void aTargetWithMoreIsCaughtUpAndRisksNothing() {
        assertThat(CatchUp.caughtUp(5, 40, margin)).isTrue();
        assertThat(CatchUp.atRisk(5, 40)).isZero();
        assertThat(CatchUp.atRisk(40, 5)).isEqualTo(35);
    }

    @Test
    void aZeroMarginWantsEveryConnection() {
        CatchUp.Margin none = new CatchUp.Margin(0, 0);
        assertThat(CatchUp.caughtUp(100, 100, none)).isTrue();
        assertThat(CatchUp.caughtUp(100, 99, none)).isFalse();
        assertThat(CatchUp.caughtUp(0, 0, none)).isTrue();
    }
}
