package io.lvscp.switchover;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.switchover.SwitchoverRow.Status;
import io.lvscp.vrrp.VrrpState;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The directors' side of the switch-over protocol, without a database. */
class AgentPlanTests {

    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    static SwitchoverRow row(long id, Status status, Instant ready, Instant released) {
        return new SwitchoverRow(id, 7, "VI_1", "lvs1", "lvs2", status, 254, "alice", T, T, ready, released, null, 100L, 98L, null);
    }

    @Test
    void theTargetRaisesItsPriorityAndThenAcknowledges() {
        AgentPlan.Actions a = AgentPlan.decide("lvs2", List.of(row(1, Status.HANDING_OVER, null, null)), Map.of(),
                Map.of("VI_1", VrrpState.BACKUP));
        assertThat(a.setPriorities()).containsExactly(Map.entry("VI_1", 254));
        assertThat(a.acknowledge()).containsExactly(1L);
        assertThat(a.release()).isEmpty();
    }

    @Test
    void aTargetThatDoesNotRunTheInstanceKeepsThePriorityForLaterButDoesNotAcknowledge() {
        AgentPlan.Actions a = AgentPlan.decide("lvs2", List.of(row(1, Status.HANDING_OVER, null, null)), Map.of(), Map.of());
        assertThat(a.setPriorities()).containsEntry("VI_1", 254);
        assertThat(a.acknowledge()).isEmpty();
    }

    @Test
    void theOldMasterWaitsForTheTargetThenReleasesOnce() {
        Map<String, VrrpState> master = Map.of("VI_1", VrrpState.MASTER);
        assertThat(AgentPlan.decide("lvs1", List.of(row(1, Status.HANDING_OVER, null, null)), Map.of(), master).none())
                .as("target not ready yet").isTrue();
        assertThat(AgentPlan.decide("lvs1", List.of(row(1, Status.HANDING_OVER, T, null)), Map.of(), master).release())
                .containsExactly(new AgentPlan.Release(1, "VI_1"));
        assertThat(AgentPlan.decide("lvs1", List.of(row(1, Status.HANDING_OVER, T, T)), Map.of(), master).release())
                .as("released already: not again, even if master again").isEmpty();
        assertThat(AgentPlan.decide("lvs1", List.of(row(1, Status.HANDING_OVER, T, null)), Map.of(), Map.of("VI_1", VrrpState.BACKUP))
                .release()).as("not master: nothing to release").isEmpty();
    }

    @Test
    void theOldMasterNeverRunsAtTheHeldPriority() {
        AgentPlan.Actions a = AgentPlan.decide("lvs1", List.of(row(1, Status.COMPLETED, T, T)), Map.of(), Map.of("VI_1", VrrpState.BACKUP));
        assertThat(a.none()).isTrue();
    }

    @Test
    void theHoldStaysWhileCompletedAndEndsWhenTheRowGoes() {
        Map<String, Integer> held = Map.of("VI_1", 254);
        assertThat(AgentPlan.decide("lvs2", List.of(row(1, Status.COMPLETED, T, T)), held, Map.of("VI_1", VrrpState.MASTER)).none())
                .as("nothing to change").isTrue();
        AgentPlan.Actions cleared = AgentPlan.decide("lvs2", List.of(), held, Map.of("VI_1", VrrpState.MASTER));
        Map<String, Integer> expected = new HashMap<>();
        expected.put("VI_1", null);
        assertThat(cleared.setPriorities()).isEqualTo(expected);
    }

    @Test
    void rowsThatNoLongerHoldAreIgnored() {
        for (Status s : List.of(Status.CATCHING_UP, Status.FAILED, Status.CLEARED, Status.SUPERSEDED)) {
            assertThat(AgentPlan.decide("lvs2", List.of(row(1, s, null, null)), Map.of(), Map.of("VI_1", VrrpState.BACKUP)).none())
                    .as(s.name()).isTrue();
        }
    }
}
