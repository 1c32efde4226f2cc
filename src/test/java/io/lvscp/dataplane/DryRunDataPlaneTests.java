package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.ipvs.Reconciler;
import io.lvscp.plan.Change;
import io.lvscp.plan.DesiredState;
import io.lvscp.common.Addresses;
import io.lvscp.ipvs.DesiredDestination;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The dry-run data plane drains as an idle kernel would: a draining real server (no connections here) leaves the table. */
class DryRunDataPlaneTests {

    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aDrainingRealServerLeavesTheTableAtTheNextRoundAndIsNotAddedBack() {
        DryRunDataPlane plane = new DryRunDataPlane(clock, new Reconciler(Duration.ofMinutes(5)));
        plane.reconcile(NodeAgentTests.desired(1, NodeAgentTests.RS1, NodeAgentTests.RS2));
        assertThat(plane.read().services().get(0).destinations()).hasSize(2);

        DesiredState draining = NodeAgentTests.desired(2, DesiredDestination.up(NodeAgentTests.RS1),
                DesiredDestination.draining(NodeAgentTests.RS2, clock.instant()));
        assertThat(plane.preview(draining)).extracting(Change::op).containsExactly(Change.Op.DELETE_DESTINATION);
        plane.reconcile(draining);
        assertThat(plane.read().services().get(0).destinations()).extracting(d -> Addresses.format(d.address())).containsExactly("172.18.42.221");

        // the next rounds, with the same desired state: nothing to do (the desired table still lists it at weight 0)
        assertThat(draining.services().get(0).destinations()).hasSize(2);
        assertThat(plane.preview(draining)).isEmpty();
        assertThat(plane.reconcile(draining).applied()).isEmpty();

        // enabled again: back in the table
        plane.reconcile(NodeAgentTests.desired(3, NodeAgentTests.RS1, NodeAgentTests.RS2));
        assertThat(plane.read().services().get(0).destinations()).hasSize(2);
    }
}
