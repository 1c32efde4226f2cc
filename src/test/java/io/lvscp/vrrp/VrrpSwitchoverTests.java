package io.lvscp.vrrp;

import static io.lvscp.vrrp.AdvertisementCodecTests.ip;
import static io.lvscp.vrrp.VrrpInstanceTests.PEER;
import static io.lvscp.vrrp.VrrpInstanceTests.v3;
import static io.lvscp.vrrp.VrrpInstanceTests.v3Advert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.support.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The state machine's part of a planned switch-over (issue 16): an effective priority and a release. Pure, on a test clock. */
class VrrpSwitchoverTests {

    final MutableClock clock = new MutableClock();
    final FakeVrrpTransport transport = new FakeVrrpTransport();

    VrrpInstance started(VrrpInstanceConfig config) {
        VrrpInstance i = new VrrpInstance(config, transport, clock);
        i.start();
        return i;
    }

    void run(VrrpInstance i, Duration d) {
        Duration step = Duration.ofMillis(1);
        for (Duration t = Duration.ZERO; t.compareTo(d) < 0; t = t.plus(step)) {
            clock.advance(step);
            i.poll();
        }
    }

    VrrpInstance master(VrrpInstanceConfig config) {
        VrrpInstance i = started(config);
        run(i, i.masterDownInterval().plusMillis(1));
        assertThat(i.state()).isEqualTo(VrrpState.MASTER);
        return i;
    }

    @Test
    void releaseSendsPriorityZeroDropsTheVipsAndBecomesBackup() {
        VrrpInstance i = master(v3(150, Duration.ofSeconds(1)));
        assertThat(i.release()).isTrue();
        assertThat(transport.lastSent().priority()).isZero();
        assertThat(i.stats().get(VrrpCounter.PRI_ZERO_SENT)).isOne();
        assertThat(transport.vipsHeld).isEmpty();
        assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(i.nextDeadline()).as("a full Master_Down_Interval as backup").isEqualTo(clock.instant().plus(i.masterDownInterval()));
    }

    @Test
    void releaseLeavesAnythingButAMasterAlone() {
        VrrpInstance i = started(v3(150, Duration.ofSeconds(1)));
        int sent = transport.sent.size();
        assertThat(i.release()).isFalse();
        assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(transport.sent).hasSize(sent);
    }

    @Test
    void effectivePriorityIsWhatTheAdvertsCarryAndWhatSkewTimeUses() {
        VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
        int sent = transport.sent.size();
        i.setEffectivePriority(254);
        assertThat(transport.sent).as("a master tells the backups at once").hasSize(sent + 1);
        assertThat(transport.lastSent().priority()).isEqualTo(254);
        assertThat(i.effectivePriority()).isEqualTo(254);
        assertThat(i.status().priority()).isEqualTo(254);
        assertThat(i.skewTime()).isEqualTo(Duration.ofNanos(1_000_000_000L * 2 / 256));
        run(i, Duration.ofSeconds(1));
        assertThat(transport.lastSent().priority()).isEqualTo(254);
        i.clearEffectivePriority();
        assertThat(transport.lastSent().priority()).isEqualTo(100);
        assertThat(i.effectivePriority()).isEqualTo(100);
    }

    @Test
    void effectivePriorityIsOneTo254AndNotForTheAddressOwner() {
        VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
        assertThatThrownBy(() -> i.setEffectivePriority(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> i.setEffectivePriority(255)).isInstanceOf(IllegalArgumentException.class);
        VrrpInstance owner = new VrrpInstance(v3(255, Duration.ofSeconds(1)), new FakeVrrpTransport(), clock);
        assertThatThrownBy(() -> owner.setEffectivePriority(200)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBackupWithARaisedPriorityTakesOverAfterItsShortSkewWhenTheMasterReleases() {
        VrrpInstance target = started(v3(100, Duration.ofSeconds(1)));
        target.receive(v3Advert(PEER, 150, 100)); // the master, priority 150
        target.setEffectivePriority(254);
        target.receive(v3Advert(PEER, 0, 100)); // it releases
        run(target, Duration.ofMillis(8)); // Skew_Time at 254: 2/256 s = 7.8 ms
        assertThat(target.state()).isEqualTo(VrrpState.MASTER);
        assertThat(transport.lastSent().priority()).isEqualTo(254);
    }

    @Test
    void aPreemptingMasterThatReleasedDoesNotTakeBackFromTheRaisedTarget() {
        VrrpInstance old = master(v3(150, Duration.ofSeconds(1)));
        old.release();
        for (int n = 0; n < 30; n++) { // the new master (configured 100) advertises at 254 for 30 s
            old.receive(v3Advert(ip("10.200.0.1"), 254, 100));
            run(old, Duration.ofSeconds(1));
        }
        assertThat(old.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(transport.vipsHeld).isEmpty();
    }

    @Test
    void withoutTheRaisedPriorityPreemptTakesItStraightBack() {
        // why the switch-over holds the target's priority: a released master with preempt hears the target's
        // lower configured priority, discards its adverts and is master again after Master_Down_Interval
        VrrpInstance old = master(v3(150, Duration.ofSeconds(1)));
        old.release();
        for (int n = 0; n < 5 && old.state() == VrrpState.BACKUP; n++) {
            old.receive(v3Advert(ip("10.200.0.1"), 100, 100));
            run(old, Duration.ofSeconds(1));
        }
        assertThat(old.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void aMasterWhoseEffectivePriorityWasLoweredYieldsToAHigherAdvert() {
        VrrpInstance i = master(v3(200, Duration.ofSeconds(1)));
        i.receive(v3Advert(PEER, 150, 100));
        assertThat(i.state()).as("150 < 200").isEqualTo(VrrpState.MASTER);
        i.setEffectivePriority(120);
        i.receive(v3Advert(PEER, 150, 100));
        assertThat(i.state()).as("150 > effective 120").isEqualTo(VrrpState.BACKUP);
    }
}
