package io.lvscp.vrrp;

import static io.lvscp.vrrp.AdvertisementCodecTests.ip;
import static io.lvscp.vrrp.VrrpInstanceTests.v3;
import static io.lvscp.vrrp.VrrpInstanceTests.v3Advert;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Stepping down in a split brain seen through the database (issue 16): held as backup while no advert is heard. Pure, on a test clock. */
class VrrpStandDownTests {

    final MutableClock clock = new MutableClock();
    final FakeVrrpTransport transport = new FakeVrrpTransport();

    void run(VrrpInstance i, Duration d) {
        Duration step = Duration.ofMillis(1);
        for (Duration t = Duration.ZERO; t.compareTo(d) < 0; t = t.plus(step)) {
            clock.advance(step);
            i.poll();
        }
    }

    VrrpInstance master(VrrpInstanceConfig config) {
        VrrpInstance i = new VrrpInstance(config, transport, clock);
        i.start();
        run(i, i.masterDownInterval().plusMillis(1));
        assertThat(i.state()).isEqualTo(VrrpState.MASTER);
        return i;
    }

    @Test
    void aMasterThatStandsDownReleasesAndStaysBackupWhileItHearsNothing() {
        VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
        assertThat(i.standDown()).isTrue();
        assertThat(transport.lastSent().priority()).as("priority 0, as a release").isZero();
        assertThat(transport.vipsHeld).isEmpty();
        assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        // no advert arrives (the path is cut): ten Master_Down_Intervals later it is still backup
        run(i, i.masterDownInterval().multipliedBy(10));
        assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(transport.vipsHeld).isEmpty();
        assertThat(i.standingDown()).isTrue();
    }

    @Test
    void withoutTheHoldAReleasedMasterIsMasterAgainOneMasterDownIntervalLater() {
        // why a release alone is not enough when the path is cut, whatever the priority
        VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
        i.release();
        run(i, i.masterDownInterval().plusMillis(1));
        assertThat(i.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void whenTheHoldEndsTheMasterDownTimerActsAgain() {
        VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
        i.standDown();
        run(i, Duration.ofSeconds(10));
        i.endStandDown();
        assertThat(i.standingDown()).isFalse();
        run(i, i.masterDownInterval().plusMillis(1));
        assertThat(i.state()).as("the winner failed: this one takes over").isEqualTo(VrrpState.MASTER);
        assertThat(transport.vipsHeld).isNotEmpty();
    }

    @Test
    void aHeldBackupStillHearsAdvertsAndDoesNotPreemptALowerMaster() {
        VrrpInstance i = master(v3(150, Duration.ofSeconds(1)));
        i.standDown();
        for (int n = 0; n < 5; n++) { // the path is back; the other master (priority 100) advertises; preempt is on
            i.receive(v3Advert(ip("10.200.0.1"), 100, 100));
            run(i, Duration.ofSeconds(1));
        }
        assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        i.endStandDown();
        run(i, i.masterDownInterval().plusMillis(1));
        assertThat(i.state()).as("released: preempt acts as configured").isEqualTo(VrrpState.MASTER);
    }

    @Test
    void aBackupHeldBeforeItWasMasterStaysBackup() {
        VrrpInstance i = new VrrpInstance(v3(100, Duration.ofSeconds(1)), transport, clock);
        i.start();
        assertThat(i.standDown()).isFalse();
        run(i, i.masterDownInterval().multipliedBy(3));
        assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
    }
}
