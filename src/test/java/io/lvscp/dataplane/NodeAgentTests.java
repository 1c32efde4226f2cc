package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.lvscp.LvsProperties;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.event.EventService;
import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import io.lvscp.common.Addresses;
import io.lvscp.ipvs.DesiredDestination;
import io.lvscp.ipvs.DesiredService;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.TaskScheduler;

/** The agent's bookkeeping around a data plane: drift, refusals, failed rounds, when it reconciles at all. */
class NodeAgentTests {

    static final VirtualService WEB = VirtualService.of(VirtualService.TCP, Addresses.parse("172.18.42.42"), 80, "wlc");
    static final Destination RS1 = Destination.of(Addresses.parse("172.18.42.221"), 80, Forward.DIRECT_ROUTE, 1);
    static final Destination RS2 = Destination.of(Addresses.parse("172.18.42.222"), 80, Forward.DIRECT_ROUTE, 0);

    /** A data plane that answers each round with the next scripted result, and remembers what it was asked. */
    static final class ScriptedDataPlane implements DataPlane {
        final Deque<Result> script = new ArrayDeque<>();
        final List<DesiredState> asked = new ArrayList<>();

        @Override
        public Mode mode() {
            return Mode.KERNEL;
        }

        @Override
        public DataPlaneTable read() {
            return DataPlaneTable.EMPTY;
        }

        @Override
        public List<Change> preview(DesiredState desired) {
            return List.of();
        }

        @Override
        public Result reconcile(DesiredState desired) {
            asked.add(desired);
            return script.isEmpty() ? Result.NOTHING : script.removeFirst();
        }
    }

    ScriptedDataPlane dataPlane = new ScriptedDataPlane();
    PlanService plans = mock(PlanService.class);
    ConfigGeneration generation = mock(ConfigGeneration.class);
    EventService events = mock(EventService.class);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    AtomicLong inputs = new AtomicLong();
    MutableClock clock = new MutableClock(Instant.parse("2026-11-26T00:00:00Z"));
    NodeAgent agent = new NodeAgent("lvs1", dataPlane, plans, generation, inputs::get, mock(TaskScheduler.class),
            new LvsProperties.Reconcile(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(5)), clock, events, meters);

    static DesiredState desired(long gen, DesiredDestination... dests) {
        return new DesiredState("lvs1", "c", gen, List.of(new DesiredService(WEB, List.of(dests))), List.of());
    }

    static DesiredState desired(long gen, Destination... dests) {
        return desired(gen, java.util.Arrays.stream(dests).map(DesiredDestination::up).toArray(DesiredDestination[]::new));
    }

    static Change add(Destination d) {
        return step(io.lvscp.ipvs.IpvsOp.Kind.NEW_DEST, d);
    }

    /** A step as the kernel's and the dry-run's data planes report it: the reconciler's write. */
    static Change step(io.lvscp.ipvs.IpvsOp.Kind kind, Destination d) {
        return Change.of(new io.lvscp.ipvs.IpvsOp(kind, WEB, d));
    }

    double counter(String name, String tag, String value) {
        return meters.get(name).tag(tag, value).counter().count();
    }

    @Test
    void aResyncAtAnUnchangedGenerationCompilesTheRowsReadBeforeAndReadsThemAgainAfterAMinuteOrANewGeneration() {
        io.lvscp.plan.PlanInput rowsOfGen1 = new io.lvscp.plan.PlanInput("lvs1", 1, "c", 1, List.of(), List.of(), List.of(), java.util.Set.of());
        when(generation.current()).thenReturn(1L);
        when(plans.find("lvs1")).thenReturn(Optional.of(desired(1, RS1)));
        agent.reconcile(); // first round: no rows yet, read them
        verify(plans, times(1)).find("lvs1");

        when(plans.lastInput("lvs1")).thenReturn(rowsOfGen1); // what the find above left behind
        when(plans.compile(rowsOfGen1)).thenReturn(desired(1, RS1, RS2));
        for (int k = 0; k < 11; k++) { // resyncs every 5 s for 55 s: compiled from those rows, with the health of the moment
            clock.advance(Duration.ofSeconds(5));
            agent.reconcile();
        }
        verify(plans, times(1)).find("lvs1");
        verify(plans, times(11)).compile(rowsOfGen1);
        assertThat(dataPlane.asked.get(dataPlane.asked.size() - 1)).isEqualTo(desired(1, RS1, RS2));

        clock.advance(Duration.ofSeconds(5)); // a minute after the read: read again (a change made outside a transaction)
        agent.reconcile();
        verify(plans, times(2)).find("lvs1");

        inputs.incrementAndGet(); // a health result moved: compiled again from the rows just read
        agent.reconcile();
        verify(plans, times(2)).find("lvs1");
        verify(plans, times(12)).compile(rowsOfGen1);

        when(generation.current()).thenReturn(2L); // a write: read at once
        when(plans.find("lvs1")).thenReturn(Optional.of(desired(2, RS1)));
        agent.reconcile();
        verify(plans, times(3)).find("lvs1");
        assertThat(agent.status().appliedGeneration()).isEqualTo(2);
    }

    @Test
    void stepsOnARoundWithNothingChangedAreDriftButADrainedServerLeavingIsNot() {
        when(generation.current()).thenReturn(1L);
        when(plans.find("lvs1")).thenReturn(Optional.of(desired(1, RS1)));
        dataPlane.script.add(new DataPlane.Result(List.of(add(RS1)), List.of()));
        agent.reconcile();
        assertThat(agent.status().driftRepairs()).isZero();

        // nothing changed, yet a step was needed: someone edited the service by hand
        clock.advance(Duration.ofSeconds(5));
        dataPlane.script.add(new DataPlane.Result(List.of(step(io.lvscp.ipvs.IpvsOp.Kind.SET_DEST, RS1)), List.of()));
        agent.reconcile();
        assertThat(agent.status().driftRepairs()).isEqualTo(1);
        assertThat(meters.get("lvs.reconcile.drift.repairs").counter().count()).isEqualTo(1);
        verify(events).record(eq(EventService.DATAPLANE), isNull(), eq("c"), eq("DRIFT_REPAIRED"), eq("node"), isNull(), any(), anyMap());

        // a draining real server whose connections ended is removed without any change: not drift
        when(generation.current()).thenReturn(2L);
        when(plans.find("lvs1")).thenReturn(Optional.of(desired(2, DesiredDestination.up(RS1), DesiredDestination.draining(RS2, clock.instant()))));
        agent.reconcile();
        clock.advance(Duration.ofSeconds(5));
        dataPlane.script.add(new DataPlane.Result(List.of(step(io.lvscp.ipvs.IpvsOp.Kind.DEL_DEST, RS2)), List.of()));
        agent.reconcile();
        assertThat(agent.status().driftRepairs()).isEqualTo(1);
        assertThat(counter("lvs.reconcile.operations", "op", "delete_destination")).isEqualTo(1);
        assertThat(counter("lvs.reconcile.operations", "op", "add_destination")).isEqualTo(1);
        assertThat(meters.get("lvs.config.generation.applied").gauge().value()).isEqualTo(2);
    }

    @Test
    void aRefusedStepIsCountedEachRoundButRecordedOnceUntilItChanges() {
        when(generation.current()).thenReturn(1L);
        when(plans.find("lvs1")).thenReturn(Optional.of(desired(1, RS1)));
        DataPlane.Refused refused = new DataPlane.Refused(add(RS1), "NEW_DEST: ENOENT (No such file or directory)");
        for (int i = 0; i < 3; i++) {
            dataPlane.script.add(new DataPlane.Result(List.of(), List.of(refused)));
            agent.reconcile();
            clock.advance(Duration.ofSeconds(5));
        }
        assertThat(dataPlane.asked).hasSize(3);
        assertThat(counter("lvs.reconcile.errors", "kind", "refused_step")).isEqualTo(3);
        assertThat(agent.status().lastError()).contains("1 step(s) refused").contains("ENOENT");
        verify(events, times(1)).record(eq(EventService.DATAPLANE), isNull(), eq("c"), eq("REFUSED"), eq("node"), isNull(), any(), anyMap());
        // fixed: the error clears; a drift-free round follows
        agent.reconcile();
        assertThat(agent.status().lastError()).isNull();
        assertThat(agent.status().driftRepairs()).isZero();
    }

    @Test
    void reconcilesOnlyWhenTheGenerationOrTheInputsMoveOrAResyncIsDue() {
        when(generation.current()).thenReturn(1L);
        when(plans.find("lvs1")).thenReturn(Optional.of(desired(1, RS1)));
        agent.reconcile();
        clock.advance(Duration.ofSeconds(1));
        agent.reconcile();
        assertThat(dataPlane.asked).hasSize(1);
        inputs.incrementAndGet(); // a health check flipped
        agent.reconcile();
        assertThat(dataPlane.asked).hasSize(2);
        when(generation.current()).thenReturn(2L);
        agent.reconcile();
        assertThat(dataPlane.asked).hasSize(3);
        clock.advance(Duration.ofSeconds(5));
        agent.reconcile();
        assertThat(dataPlane.asked).hasSize(4);
    }

    @Test
    void whenTheDatabaseCannotBeReadTheDataPlaneIsLeftAlone() {
        when(generation.current()).thenThrow(new IllegalStateException("connection refused"));
        agent.reconcile();
        assertThat(dataPlane.asked).isEmpty();
        assertThat(counter("lvs.reconcile.errors", "kind", "failed_round")).isEqualTo(1);
        assertThat(agent.status().lastError()).contains("connection refused");
        verify(events, never()).record(any(), any(), any(), any(), any(), any(), any(), anyMap());
    }

    @Test
    void aNodeNoDirectorNamesReconcilesToNothing() {
        when(generation.current()).thenReturn(4L);
        when(plans.find("lvs1")).thenReturn(Optional.empty());
        agent.reconcile();
        assertThat(dataPlane.asked).singleElement().satisfies(d -> assertThat(d.services()).isEmpty());
    }

    /** A last good state as the database-outage code sees it: a flag for "down", and what to hold. */
    static final class FakeLastGood implements NodeAgent.LastGood {
        boolean up = true;
        DesiredState planned;
        int heldCalls;

        @Override
        public boolean databaseUp() {
            return up;
        }

        @Override
        public boolean outage(RuntimeException e) {
            if (e instanceof org.springframework.dao.DataAccessResourceFailureException) {
                up = false;
                return true;
            }
            return false;
        }

        @Override
        public void planned(DesiredState desired) {
            planned = desired;
        }

        @Override
        public Optional<DesiredState> held() {
            heldCalls++;
            return Optional.ofNullable(planned);
        }
    }

    @Test
    void duringADatabaseOutageTheLastGoodStateIsHeldAndResyncedWithoutTouchingTheDatabase() {
        FakeLastGood lastGood = new FakeLastGood();
        NodeAgent held = new NodeAgent("lvs1", dataPlane, plans, generation, inputs::get, mock(TaskScheduler.class),
                new LvsProperties.Reconcile(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(5)), clock, events, meters,
                lastGood);
        when(generation.current()).thenReturn(3L);
        when(plans.find("lvs1")).thenReturn(Optional.of(desired(3, RS1)));
        held.reconcile();
        assertThat(lastGood.planned.generation()).isEqualTo(3);
        assertThat(dataPlane.asked).hasSize(1);

        // the database goes away mid-round: the round holds the last good state instead of failing
        when(generation.current()).thenThrow(new org.springframework.dao.DataAccessResourceFailureException("connection refused"));
        clock.advance(Duration.ofSeconds(5));
        held.reconcile();
        assertThat(dataPlane.asked).hasSize(2);
        assertThat(dataPlane.asked.get(1)).isEqualTo(lastGood.planned);
        assertThat(held.status().lastError()).contains("database unavailable").contains("generation 3");
        assertThat(held.status().appliedGeneration()).isEqualTo(3);

        // known down: no database access at all; nothing due, nothing applied; a resync is due after 5 s; a health flip at once
        org.mockito.Mockito.clearInvocations(generation, plans);
        clock.advance(Duration.ofSeconds(1));
        held.reconcile();
        assertThat(dataPlane.asked).hasSize(2);
        clock.advance(Duration.ofSeconds(5));
        held.reconcile();
        assertThat(dataPlane.asked).hasSize(3);
        inputs.incrementAndGet();
        held.reconcile();
        assertThat(dataPlane.asked).hasSize(4);
        org.mockito.Mockito.verifyNoInteractions(generation, plans);

        // back: the plan is read again even though the generation did not move
        lastGood.up = true;
        org.mockito.Mockito.reset(generation);
        when(generation.current()).thenReturn(3L);
        held.reconcile();
        verify(plans).find("lvs1");
        assertThat(held.status().lastError()).isNull();
    }
}
