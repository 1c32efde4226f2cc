package io.lvscp.vrrp;

import static io.lvscp.vrrp.AdvertisementCodecTests.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses.Family;
import io.lvscp.support.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One test per rule of RFC 5798 section 6 (and RFC 3768 where v2 differs), plus keepalived's additions. */
class VrrpInstanceTests {

    static final InetAddress GROUP4 = ip("224.0.0.18");
    static final InetAddress US = ip("10.200.0.2");
    static final InetAddress PEER = ip("10.200.0.1");
    static final List<InetAddress> VIPS = List.of(ip("10.200.0.100"));

    final MutableClock clock = new MutableClock();
    final FakeVrrpTransport transport = new FakeVrrpTransport();

    static VrrpInstanceConfig v3(int priority, Duration interval) {
        return v3("VI_1", priority, interval, true, Duration.ZERO);
    }

    static VrrpInstanceConfig v3(String name, int priority, Duration interval, boolean preempt, Duration preemptDelay) {
        return new VrrpInstanceConfig(name, 51, VrrpVersion.V3, Family.IPV4, priority, interval, preempt, preemptDelay,
                VrrpAuthType.NONE, "", US, VIPS);
    }

    static VrrpInstanceConfig v2(int priority, int seconds) {
        return new VrrpInstanceConfig("VI_2", 51, VrrpVersion.V2, Family.IPV4, priority, Duration.ofSeconds(seconds), true,
                Duration.ZERO, VrrpAuthType.PASS, "lvscp", US, VIPS);
    }

    VrrpInstance started(VrrpInstanceConfig config) {
        VrrpInstance i = new VrrpInstance(config, transport, clock);
        i.start();
        return i;
    }

    /** Moves the clock in small steps, polling like the engine loop would. */
    void run(VrrpInstance i, Duration d) {
        Duration step = Duration.ofMillis(1);
        for (Duration t = Duration.ZERO; t.compareTo(d) < 0; t = t.plus(step)) {
            clock.advance(step);
            i.poll();
        }
    }

    /** A peer's advert as it arrives from the wire (encoded, so the validator and checksum run too). */
    static ReceivedPacket advertFrom(InetAddress source, Advertisement ad) {
        return new ReceivedPacket(Family.IPV4, source, GROUP4, 255, 112, AdvertisementCodec.encode(ad, source, GROUP4));
    }

    static ReceivedPacket v3Advert(InetAddress source, int priority, int centiseconds) {
        return advertFrom(source, Advertisement.v3(51, priority, centiseconds, Family.IPV4, VIPS));
    }

    VrrpInstance master(VrrpInstanceConfig config) {
        VrrpInstance i = started(config);
        run(i, i.masterDownInterval().plusMillis(1));
        assertThat(i.state()).isEqualTo(VrrpState.MASTER);
        return i;
    }

    @Nested
    class Timers {

        @Test
        void skewTimeIsTheFractionOfTheIntervalLeftByThePriority() {
            VrrpInstance i = new VrrpInstance(v3(100, Duration.ofSeconds(1)), transport, clock);
            // ((256 - 100) x 1 s) / 256
            assertThat(i.skewTime()).isEqualTo(Duration.ofNanos(1_000_000_000L * 156 / 256));
        }

        @Test
        void masterDownIntervalIsThreeIntervalsPlusSkew() {
            VrrpInstance i = new VrrpInstance(v3(100, Duration.ofMillis(100)), transport, clock);
            assertThat(i.masterDownInterval()).isEqualTo(Duration.ofMillis(300).plus(i.skewTime()));
            assertThat(i.skewTime()).isEqualTo(Duration.ofNanos(100_000_000L * 156 / 256));
        }

        @Test
        void v2SkewTimeIsInSecondsWhateverTheInterval() {
            VrrpInstance i = new VrrpInstance(v2(100, 3), transport, clock);
            // RFC 3768: Skew_Time = (256 - Priority) / 256 seconds
            assertThat(i.skewTime()).isEqualTo(Duration.ofNanos(1_000_000_000L * 156 / 256));
            assertThat(i.masterDownInterval()).isEqualTo(Duration.ofSeconds(9).plus(i.skewTime()));
        }
    }

    @Nested
    class Startup {

        @Test
        void nonOwnerStartsAsBackupAndSendsNothing() {
            VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(transport.sent).isEmpty();
            assertThat(transport.vipsHeld).isEmpty();
        }

        @Test
        void addressOwnerWithPriority255StartsAsMasterAdvertisingAndAnnouncing() {
            VrrpInstance i = started(v3(255, Duration.ofSeconds(1)));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            assertThat(transport.lastSent().priority()).isEqualTo(255);
            assertThat(transport.vipsHeld).containsExactly("VI_1");
            assertThat(transport.announced).containsExactly("VI_1");
        }
    }

    @Nested
    class Backup {

        @Test
        void becomesMasterWhenMasterDownTimerFiresWithoutAdverts() {
            VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
            run(i, i.masterDownInterval().minusMillis(1));
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            run(i, Duration.ofMillis(1));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            assertThat(transport.sent).hasSize(1);
            assertThat(transport.announced).hasSize(1);
            assertThat(i.stats().get(VrrpCounter.BECOME_MASTER)).isOne();
        }

        @Test
        void advertFromHigherPriorityMasterResetsMasterDownTimer() {
            VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
            for (int n = 0; n < 10; n++) {
                run(i, Duration.ofSeconds(1));
                i.receive(v3Advert(PEER, 150, 100));
            }
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(i.status().masterAddress()).isEqualTo(PEER);
        }

        @Test
        void v3BackupLearnsTheMastersAdvertInterval() {
            VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
            i.receive(v3Advert(PEER, 150, 10)); // master advertises every 100 ms
            assertThat(i.masterAdverInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(i.masterDownInterval()).isEqualTo(Duration.ofMillis(300).plus(i.skewTime()));
            run(i, i.masterDownInterval().plusMillis(1));
            assertThat(i.state()).as("takes over after the learnt interval, not ours").isEqualTo(VrrpState.MASTER);
        }

        @Test
        void priorityZeroFromMasterMakesBackupTakeOverAfterSkewTime() {
            VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
            i.receive(v3Advert(PEER, 150, 100));
            i.receive(v3Advert(PEER, 0, 100));
            assertThat(i.stats().get(VrrpCounter.PRI_ZERO_RCVD)).isOne();
            run(i, i.skewTime().minusMillis(1));
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            run(i, Duration.ofMillis(1));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
        }

        @Test
        void preemptingBackupIgnoresLowerPriorityMasterAndTakesOver() {
            VrrpInstance i = started(v3(150, Duration.ofSeconds(1)));
            Duration elapsed = Duration.ZERO;
            while (i.state() == VrrpState.BACKUP) {
                i.receive(v3Advert(PEER, 100, 100));
                run(i, Duration.ofSeconds(1));
                elapsed = elapsed.plusSeconds(1);
            }
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            assertThat(elapsed).isLessThanOrEqualTo(Duration.ofSeconds(4));
        }

        @Test
        void noPreemptBackupStaysBackupBehindLowerPriorityMaster() {
            VrrpInstance i = started(v3("VI_1", 150, Duration.ofSeconds(1), false, Duration.ZERO));
            for (int n = 0; n < 20; n++) {
                i.receive(v3Advert(PEER, 100, 100));
                run(i, Duration.ofSeconds(1));
            }
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void preemptDelayHoldsBackTheTakeoverFromALowerPriorityMaster() {
            VrrpInstance i = started(v3("VI_1", 150, Duration.ofSeconds(1), true, Duration.ofSeconds(10)));
            Duration elapsed = Duration.ZERO;
            while (i.state() == VrrpState.BACKUP && elapsed.toSeconds() < 30) {
                i.receive(v3Advert(PEER, 100, 100));
                run(i, Duration.ofSeconds(1));
                elapsed = elapsed.plusSeconds(1);
            }
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            // not before the delay; then within one Master_Down_Interval
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofSeconds(10)).isLessThanOrEqualTo(Duration.ofSeconds(14));
        }

        @Test
        void equalPriorityBackupStaysBackup() {
            VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
            for (int n = 0; n < 10; n++) {
                i.receive(v3Advert(ip("10.200.0.1"), 100, 100));
                run(i, Duration.ofSeconds(1));
            }
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        }
    }

    @Nested
    class Master {

        @Test
        void sendsAnAdvertEveryInterval() {
            VrrpInstance i = master(v3(100, Duration.ofMillis(100)));
            int before = transport.sent.size();
            run(i, Duration.ofSeconds(1));
            assertThat(transport.sent.size() - before).isEqualTo(10);
            assertThat(transport.lastSent().interval()).isEqualTo(10);
        }

        @Test
        void higherPriorityAdvertMakesMasterBackUpAndDropVips() {
            VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
            i.receive(v3Advert(PEER, 200, 100));
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(transport.vipsHeld).isEmpty();
            assertThat(i.stats().get(VrrpCounter.RELEASE_MASTER)).isOne();
        }

        @Test
        void lowerPriorityAdvertIsDiscarded() {
            VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
            i.receive(v3Advert(PEER, 50, 100));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            assertThat(i.stats().get(VrrpCounter.SPLIT_BRAIN)).isOne();
        }

        @Test
        void aLowerPriorityMasterIsAnsweredWithAnAdvertAndTheVipsAnnouncedAgainOncePerInterval() {
            VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
            int sent = transport.sent.size();
            int announced = transport.announced.size();
            i.receive(v3Advert(PEER, 50, 100));
            assertThat(transport.sent).as("our advert at once").hasSize(sent + 1);
            assertThat(transport.announced.size()).as("the VIPs announced again").isGreaterThan(announced);
            int announcedAfter = transport.announced.size();
            i.receive(v3Advert(PEER, 50, 100));
            assertThat(transport.sent).as("not again within the interval").hasSize(sent + 1);
            assertThat(transport.announced).hasSize(announcedAfter);
            clock.advance(Duration.ofMillis(1001));
            i.receive(v3Advert(PEER, 50, 100));
            assertThat(transport.sent.size()).as("answered again after an interval").isGreaterThan(sent + 1);
            assertThat(transport.announced.size()).isGreaterThan(announcedAfter);
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
        }

        @Test
        void equalPriorityIsWonByTheLargerPrimaryAddress() {
            VrrpInstance i = master(v3(100, Duration.ofSeconds(1))); // we are 10.200.0.2
            i.receive(v3Advert(ip("10.200.0.1"), 100, 100));
            assertThat(i.state()).as("smaller sender address loses").isEqualTo(VrrpState.MASTER);
            i.receive(v3Advert(ip("10.200.0.3"), 100, 100));
            assertThat(i.state()).as("larger sender address wins").isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void priorityZeroFromAnotherMasterIsAnsweredAtOnce() {
            VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
            int before = transport.sent.size();
            i.receive(v3Advert(PEER, 0, 100));
            assertThat(transport.sent).hasSize(before + 1);
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
        }

        @Test
        void stopSendsPriorityZeroAndRemovesVips() {
            VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
            i.stop();
            assertThat(transport.lastSent().priority()).isZero();
            assertThat(transport.vipsHeld).isEmpty();
            assertThat(i.state()).isEqualTo(VrrpState.INITIALIZE);
            assertThat(i.stats().get(VrrpCounter.PRI_ZERO_SENT)).isOne();
            assertThat(i.nextDeadline()).isNull();
        }

        @Test
        void newMasterAnnouncesItsVipsInBurstsAsConfigured() {
            VrrpInstance i = new VrrpInstance(v3(100, Duration.ofSeconds(1)), transport, clock,
                    new AnnouncePolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(60)));
            i.start();
            run(i, i.masterDownInterval().plusMillis(1));
            assertThat(transport.announced).as("first burst").hasSize(3);
            run(i, Duration.ofSeconds(5));
            assertThat(transport.announced).as("second burst after the delay").hasSize(6);
            run(i, Duration.ofSeconds(55));
            assertThat(transport.announced).as("refresh").hasSize(9);
            for (int n = 0; n < 120; n++) { // a higher-priority master for two minutes
                i.receive(v3Advert(PEER, 200, 100));
                run(i, Duration.ofSeconds(1));
            }
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(transport.announced).as("no bursts once backup").hasSize(9);
        }

        @Test
        void v2MasterSendsPasswordAndIntervalInSeconds() {
            VrrpInstance i = master(v2(100, 1));
            Advertisement ad = transport.lastSent();
            assertThat(ad.version()).isEqualTo(VrrpVersion.V2);
            assertThat(ad.authType()).isEqualTo(VrrpAuthType.PASS);
            assertThat(ad.password()).isEqualTo("lvscp");
            assertThat(ad.interval()).isEqualTo(1);
        }
    }

    @Nested
    class ReceivedPackets {

        @Test
        void rejectedPacketsAreCountedAndIgnoredByTheStateMachine() {
            VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
            ReceivedPacket good = v3Advert(PEER, 200, 100);
            ReceivedPacket ttl64 = new ReceivedPacket(Family.IPV4, PEER, GROUP4, 64, 112, good.payload());
            i.receive(ttl64);
            i.receive(advertFrom(PEER, new Advertisement(VrrpVersion.V3, 52, 200, 100, Family.IPV4, VIPS,
                    VrrpAuthType.NONE, "")));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            assertThat(i.stats().get(VrrpCounter.IP_TTL_ERR)).isOne();
            assertThat(i.stats().get(VrrpCounter.VRID_ERR)).isOne();
        }
    }

    @Nested
    class Fault {

        @Test
        void trackedLinkDownPutsMasterInFaultAndUpBringsItBackAsBackup() {
            VrrpInstance i = master(v3(100, Duration.ofSeconds(1)));
            i.linkDown("eth1");
            assertThat(i.state()).isEqualTo(VrrpState.FAULT);
            assertThat(transport.vipsHeld).isEmpty();
            run(i, Duration.ofSeconds(10));
            assertThat(i.state()).as("no timers in fault").isEqualTo(VrrpState.FAULT);
            i.linkUp("eth1");
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void faultLastsUntilEveryTrackedLinkIsUp() {
            VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
            i.linkDown("eth1");
            i.linkDown("eth2");
            i.linkUp("eth1");
            assertThat(i.state()).isEqualTo(VrrpState.FAULT);
            i.linkUp("eth2");
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void advertsAreIgnoredInFault() {
            VrrpInstance i = started(v3(100, Duration.ofSeconds(1)));
            i.linkDown("eth1");
            i.receive(v3Advert(PEER, 0, 100));
            run(i, Duration.ofSeconds(5));
            assertThat(i.state()).isEqualTo(VrrpState.FAULT);
        }
    }

    @Nested
    class SyncGroup {

        VrrpInstance a;
        VrrpInstance b;
        final List<String> transitions = new ArrayList<>();

        void group() {
            a = new VrrpInstance(v3("A", 100, Duration.ofSeconds(1), true, Duration.ZERO), transport, clock);
            b = new VrrpInstance(new VrrpInstanceConfig("B", 52, VrrpVersion.V3, Family.IPV4, 100, Duration.ofSeconds(3),
                    true, Duration.ZERO, VrrpAuthType.NONE, "", US, List.of(ip("10.200.1.100"))), transport, clock);
            new VrrpSyncGroup("G", List.of(a, b));
            a.addListener((inst, from, to, at) -> transitions.add(inst.config().name() + ":" + to));
            b.addListener((inst, from, to, at) -> transitions.add(inst.config().name() + ":" + to));
            a.start();
            b.start();
        }

        @Test
        void whenOneMemberBecomesMasterAllDo() {
            group();
            run(a, a.masterDownInterval().plusMillis(1)); // A's timer is shorter than B's
            assertThat(a.state()).isEqualTo(VrrpState.MASTER);
            assertThat(b.state()).isEqualTo(VrrpState.MASTER);
            assertThat(transport.vipsHeld).containsExactlyInAnyOrder("A", "B");
        }

        @Test
        void whenOneMemberFallsBackToBackupAllDo() {
            group();
            run(a, a.masterDownInterval().plusMillis(1));
            a.receive(v3Advert(PEER, 200, 100));
            assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(transport.vipsHeld).isEmpty();
        }

        @Test
        void faultOfOneMemberFaultsTheGroupUntilItRecovers() {
            group();
            run(a, a.masterDownInterval().plusMillis(1));
            b.linkDown("eth1");
            assertThat(a.state()).isEqualTo(VrrpState.FAULT);
            assertThat(b.state()).isEqualTo(VrrpState.FAULT);
            assertThat(transport.vipsHeld).isEmpty();
            b.linkUp("eth1");
            assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        }
    }

    /** A restart that found its VIPs on the interface and no other master known: {@link VrrpInstance#startHoldingVips()}. */
    @Nested
    class StartHoldingVips {

        VrrpInstance holding(VrrpInstanceConfig config) {
            transport.vipsHeld.add(config.name()); // what the crashed run left
            VrrpInstance i = new VrrpInstance(config, transport, clock);
            i.startHoldingVips();
            return i;
        }

        @Test
        void aBackupKeepsThemThroughMasterDownIntervalThenBecomesMasterAdvertisingAndAnnouncing() {
            VrrpInstance i = holding(v3(100, Duration.ofSeconds(1)));
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(i.holdingVips()).isTrue();
            assertThat(transport.sent).isEmpty();
            run(i, i.masterDownInterval().minusMillis(1));
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(transport.vipsHeld).containsExactly("VI_1");
            run(i, Duration.ofMillis(2));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            assertThat(i.holdingVips()).isFalse();
            assertThat(transport.vipsHeld).containsExactly("VI_1");
            assertThat(transport.lastSent().priority()).isEqualTo(100);
            assertThat(transport.announced).containsExactly("VI_1");
        }

        @Test
        void aHigherPriorityMastersAdvertTakesThemAtOnceAndHoldsUsBack() {
            VrrpInstance i = holding(v3(100, Duration.ofSeconds(1)));
            run(i, Duration.ofMillis(400));
            i.receive(v3Advert(PEER, 150, 100));
            assertThat(transport.vipsHeld).isEmpty();
            assertThat(i.holdingVips()).isFalse();
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            run(i, Duration.ofSeconds(2));
            i.receive(v3Advert(PEER, 150, 100));
            run(i, Duration.ofSeconds(2));
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(transport.vipsHeld).isEmpty();
        }

        @Test
        void anEqualPriorityMasterWithAHigherAddressTakesThem() {
            VrrpInstance i = holding(v3(100, Duration.ofSeconds(1)));
            i.receive(v3Advert(ip("10.200.0.9"), 100, 100));
            assertThat(transport.vipsHeld).isEmpty();
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
        }

        @Test
        void aLowerPriorityMasterHoldsThemWhileWeWaitToPreemptIt() {
            VrrpInstance i = holding(v3(100, Duration.ofSeconds(1)));
            i.receive(v3Advert(PEER, 50, 100));
            assertThat(transport.vipsHeld).isEmpty(); // no two holders while we wait
            run(i, i.masterDownInterval().plusMillis(1));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER); // preempt: its adverts are discarded
            assertThat(transport.vipsHeld).containsExactly("VI_1");
        }

        @Test
        void aMasterThatStopsDoesNotTakeThemAndWeTakeOverAfterSkewTime() {
            VrrpInstance i = holding(v3(100, Duration.ofSeconds(1)));
            i.receive(v3Advert(PEER, 0, 100));
            assertThat(transport.vipsHeld).containsExactly("VI_1");
            run(i, i.skewTime().plusMillis(1));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
        }

        @Test
        void anotherMasterSeenOtherwiseTakesThemAndTheWaitGoesOn() {
            VrrpInstance i = holding(v3(100, Duration.ofSeconds(1)));
            i.releaseHeldVips();
            assertThat(transport.vipsHeld).isEmpty();
            assertThat(i.state()).isEqualTo(VrrpState.BACKUP);
            run(i, i.masterDownInterval().plusMillis(1));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            assertThat(transport.vipsHeld).containsExactly("VI_1");
        }

        @Test
        void aFaultOrAStopTakesThem() {
            VrrpInstance i = holding(v3(100, Duration.ofSeconds(1)));
            i.linkDown("eth0");
            assertThat(i.state()).isEqualTo(VrrpState.FAULT);
            assertThat(transport.vipsHeld).isEmpty();

            FakeVrrpTransport other = new FakeVrrpTransport();
            other.vipsHeld.add("VI_1");
            VrrpInstance j = new VrrpInstance(v3(100, Duration.ofSeconds(1)), other, clock);
            j.startHoldingVips();
            j.stop();
            assertThat(other.vipsHeld).isEmpty();
            assertThat(other.sent).isEmpty(); // a backup sends no priority 0
        }

        @Test
        void aFaultAtStartHoldsNothing() {
            transport.vipsHeld.add("VI_1");
            VrrpInstance i = new VrrpInstance(v3(100, Duration.ofSeconds(1)), transport, clock);
            i.linkDown("eth0");
            i.startHoldingVips();
            assertThat(i.state()).isEqualTo(VrrpState.FAULT);
            assertThat(transport.vipsHeld).isEmpty();
        }

        @Test
        void theAddressOwnerIsMasterAtOnce() {
            VrrpInstance i = holding(v3(255, Duration.ofSeconds(1)));
            assertThat(i.state()).isEqualTo(VrrpState.MASTER);
            assertThat(i.holdingVips()).isFalse();
            assertThat(transport.vipsHeld).containsExactly("VI_1");
        }
    }
}
