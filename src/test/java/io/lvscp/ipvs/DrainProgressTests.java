package io.lvscp.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.ipvs.DrainProgress.Phase;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A drain's progress on one director, from the kernel's counters, on a clock of the test's own. */
class DrainProgressTests {

    static final Instant SINCE = Instant.parse("2026-12-07T03:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(5);

    static Destination kernel(int active, int inactive, int persistent) throws Exception {
        Destination d = Destination.of(InetAddress.getByName("10.0.0.2"), 80, Forward.DIRECT_ROUTE, 0);
        return new Destination(d.family(), d.address(), d.port(), d.forward(), 0, 0, 0, null, 0, 0, active, inactive, persistent, Stats.ZERO);
    }

    @Test
    void waitsWhileAnythingIsLeftThenIsDrained() throws Exception {
        Instant now = SINCE.plusSeconds(30);
        DrainProgress p = DrainProgress.of(kernel(3, 5, 1), SINCE, TIMEOUT, now);
        assertThat(p.phase()).isEqualTo(Phase.WAITING);
        assertThat(p.phase().done()).isFalse();
        assertThat(p.left()).isEqualTo(9);
        assertThat(p.deadline()).isEqualTo(SINCE.plus(TIMEOUT));
        // the last established connection closed: its TIME_WAIT entry is still there
        assertThat(DrainProgress.of(kernel(0, 1, 0), SINCE, TIMEOUT, now).phase()).isEqualTo(Phase.WAITING);
        // a client's persistence template would bring it back to this server
        assertThat(DrainProgress.of(kernel(0, 0, 1), SINCE, TIMEOUT, now).phase()).isEqualTo(Phase.WAITING);
        DrainProgress done = DrainProgress.of(kernel(0, 0, 0), SINCE, TIMEOUT, now);
        assertThat(done.phase()).isEqualTo(Phase.DRAINED);
        assertThat(done.phase().done()).isTrue();
        assertThat(done.left()).isZero();
    }

    @Test
    void aUdpRealServerHasNoActiveConnectionButWaitsForItsEntriesToExpire() throws Exception {
        assertThat(DrainProgress.of(kernel(0, 12, 0), SINCE, TIMEOUT, SINCE.plusSeconds(1)).phase()).isEqualTo(Phase.WAITING);
        assertThat(DrainProgress.of(kernel(0, 0, 0), SINCE, TIMEOUT, SINCE.plusSeconds(300)).phase()).isEqualTo(Phase.DRAINED);
    }

    @Test
    void atTheDeadlineWhatIsLeftIsCutAndCounted() throws Exception {
        assertThat(DrainProgress.of(kernel(2, 1, 0), SINCE, TIMEOUT, SINCE.plus(TIMEOUT).minusMillis(1)).phase()).isEqualTo(Phase.WAITING);
        DrainProgress p = DrainProgress.of(kernel(2, 1, 0), SINCE, TIMEOUT, SINCE.plus(TIMEOUT));
        assertThat(p.phase()).isEqualTo(Phase.TIMED_OUT);
        assertThat(p.phase().done()).isTrue();
        assertThat(p.left()).isEqualTo(3);
        assertThat(p.active()).isEqualTo(2);
        assertThat(p.inactive()).isEqualTo(1);
        // empty at the deadline is drained, not timed out
        assertThat(DrainProgress.of(kernel(0, 0, 0), SINCE, TIMEOUT, SINCE.plus(TIMEOUT)).phase()).isEqualTo(Phase.DRAINED);
    }

    @Test
    void notInTheKernelIsDrainedAndAnUnknownStartHasNoDeadline() throws Exception {
        assertThat(DrainProgress.of(null, SINCE, TIMEOUT, SINCE).phase()).isEqualTo(Phase.DRAINED);
        DrainProgress p = DrainProgress.of(kernel(1, 0, 0), null, TIMEOUT, SINCE.plus(Duration.ofDays(1)));
        assertThat(p.phase()).isEqualTo(Phase.WAITING);
        assertThat(p.deadline()).isNull();
    }

    @Test
    void theRemovalsOfARoundSayWhichDrainsEndedAndHow() throws Exception {
        VirtualService web = VirtualService.of(VirtualService.TCP, InetAddress.getByName("172.18.42.42"), 80, "rr");
        Destination two = Destination.of(InetAddress.getByName("10.0.0.2"), 80, Forward.DIRECT_ROUTE, 1);
        Destination three = Destination.of(InetAddress.getByName("10.0.0.3"), 80, Forward.DIRECT_ROUTE, 1);
        Destination four = Destination.of(InetAddress.getByName("10.0.0.4"), 80, Forward.DIRECT_ROUTE, 1);
        java.util.List<DesiredService> desired = java.util.List.of(new DesiredService(web, java.util.List.of(
                DesiredDestination.draining(two, SINCE), DesiredDestination.draining(three, SINCE), DesiredDestination.down(four, false))));
        Instant now = SINCE.plus(TIMEOUT);
        java.util.List<IpvsOp> removed = java.util.List.of(new IpvsOp(IpvsOp.Kind.DEL_DEST, web, withCounts(two, 0, 0, 0)),
                new IpvsOp(IpvsOp.Kind.DEL_DEST, web, withCounts(three, 2, 1, 1)), new IpvsOp(IpvsOp.Kind.DEL_DEST, web, withCounts(four, 5, 0, 0)));
        java.util.List<DrainProgress.Finished> f = DrainProgress.finished(desired, removed, TIMEOUT, now);
        assertThat(f).extracting(DrainProgress.Finished::realServer).containsExactly("10.0.0.2:80", "10.0.0.3:80");
        assertThat(f.get(0).service()).isEqualTo(web.id());
        assertThat(f.get(0).progress().phase()).isEqualTo(Phase.DRAINED);
        assertThat(f.get(1).progress().phase()).isEqualTo(Phase.TIMED_OUT);
        assertThat(f.get(1).progress().left()).isEqualTo(4);
    }

    static Destination withCounts(Destination d, int active, int inactive, int persistent) {
        return new Destination(d.family(), d.address(), d.port(), d.forward(), 0, 0, 0, null, 0, 0, active, inactive, persistent, Stats.ZERO);
    }

    @Test
    void eachDrainingRealServerIsReportedAsThisDirectorsTableHoldsItWithItsOwnTimeout() throws Exception {
        VirtualService web = VirtualService.of(VirtualService.TCP, InetAddress.getByName("172.18.42.42"), 80, "rr");
        Destination two = Destination.of(InetAddress.getByName("10.0.0.2"), 80, Forward.DIRECT_ROUTE, 1);
        Destination three = Destination.of(InetAddress.getByName("10.0.0.3"), 80, Forward.DIRECT_ROUTE, 1);
        Destination four = Destination.of(InetAddress.getByName("10.0.0.4"), 80, Forward.DIRECT_ROUTE, 1);
        java.util.List<DesiredService> desired = java.util.List.of(new DesiredService(web, java.util.List.of(
                DesiredDestination.draining(two, SINCE, Duration.ofSeconds(30), 12L), DesiredDestination.draining(three, SINCE, null, 13L),
                DesiredDestination.up(four))));
        java.util.List<TableEntry> have = java.util.List.of(new TableEntry(web, java.util.List.of(withCounts(two, 2, 1, 0),
                withCounts(four, 9, 0, 0))));
        Instant now = SINCE.plusSeconds(40);
        java.util.List<DrainProgress.Report> r = DrainProgress.report(desired, have, TIMEOUT, now);
        assertThat(r).extracting(DrainProgress.Report::realServerId).containsExactly(12L, 13L);
        // 10.0.0.2: its own 30 s passed with 2 + 1 left
        assertThat(r.get(0).progress()).isEqualTo(new DrainProgress(Phase.TIMED_OUT, 2, 1, 0, SINCE.plusSeconds(30)));
        assertThat(r.get(0).inTable()).isTrue();
        assertThat(r.get(0).realServer()).isEqualTo("10.0.0.2:80");
        // 10.0.0.3 has left this director's table: drained here; the default timeout's deadline
        assertThat(r.get(1).progress()).isEqualTo(new DrainProgress(Phase.DRAINED, 0, 0, 0, SINCE.plus(TIMEOUT)));
        assertThat(r.get(1).inTable()).isFalse();
        assertThat(DrainProgress.report(desired, java.util.List.of(), TIMEOUT, now)).extracting(DrainProgress.Report::inTable)
                .containsExactly(false, false);
    }
}
