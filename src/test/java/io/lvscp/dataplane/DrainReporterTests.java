package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.lvscp.database.DrainProgressStore;
import io.lvscp.ipvs.DesiredDestination;
import io.lvscp.ipvs.DesiredService;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.Reconciler;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.plan.DesiredState;
import io.lvscp.support.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** What a director reports of its drains after a round: one row per draining real server, nothing while nothing drains. */
class DrainReporterTests {

    final MutableClock clock = new MutableClock();
    final DryRunDataPlane plane = new DryRunDataPlane(clock, new Reconciler(Duration.ofMinutes(5)));
    final DrainProgressStore store = mock(DrainProgressStore.class);
    final DrainReporter reporter = new DrainReporter("lvs1", plane, store, Duration.ofMinutes(5), clock);

    DesiredState desired(boolean draining) throws Exception {
        VirtualService web = VirtualService.of(VirtualService.TCP, InetAddress.getByName("172.18.42.42"), 80, "rr");
        Destination two = Destination.of(InetAddress.getByName("10.0.0.2"), 80, Forward.DIRECT_ROUTE, 1);
        Destination three = Destination.of(InetAddress.getByName("10.0.0.3"), 80, Forward.DIRECT_ROUTE, 1);
        DesiredDestination d2 = draining ? DesiredDestination.draining(two.withWeight(0), clock.instant(), Duration.ofSeconds(45), 7L)
                : DesiredDestination.up(two);
        return new DesiredState("lvs1", "wtc", 1, List.of(new DesiredService(web, List.of(d2, DesiredDestination.up(three)))), List.of());
    }

    @SuppressWarnings("unchecked")
    @Test
    void aDrainingRealServerIsReportedThenNothingOnceItIsOver() throws Exception {
        DesiredState draining = desired(true);
        plane.reconcile(draining); // the dry run has no traffic: the draining server leaves at once
        reporter.afterRound(draining);
        ArgumentCaptor<List<DrainProgressStore.Row>> rows = ArgumentCaptor.forClass(List.class);
        verify(store).write(eq("lvs1"), rows.capture());
        assertThat(rows.getValue()).singleElement().satisfies(r -> {
            assertThat(r.realServerId()).isEqualTo(7L);
            assertThat(r.phase()).isEqualTo("DRAINED");
            assertThat(r.inTable()).isFalse();
            assertThat(r.deadline()).isEqualTo(clock.instant().plusSeconds(45));
        });

        // enabled again: the rows go once, then nothing is written while nothing drains
        reporter.afterRound(desired(false));
        reporter.afterRound(desired(false));
        verify(store).write("lvs1", List.of());
        verify(store, times(2)).write(eq("lvs1"), any());
    }

    @Test
    void aFailedWriteDoesNotThrowAndIsTriedAgain() throws Exception {
        doThrow(new IllegalStateException("disk full")).when(store).write(eq("lvs1"), any());
        DesiredState draining = desired(true);
        reporter.afterRound(draining);
        reporter.afterRound(draining);
        verify(store, times(2)).write(eq("lvs1"), any());
        verify(store, never()).read(7L);
    }
}
