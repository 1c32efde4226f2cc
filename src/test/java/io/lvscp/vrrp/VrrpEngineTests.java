package io.lvscp.vrrp;

import static io.lvscp.vrrp.AdvertisementCodecTests.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.common.Addresses.Family;
import io.lvscp.support.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VrrpEngineTests {

    final MutableClock clock = new MutableClock();
    final FakeVrrpTransport transport = new FakeVrrpTransport();
    final VrrpEngine engine = new VrrpEngine();

    VrrpInstance instance(String name, int vrid, Duration interval) {
        return new VrrpInstance(new VrrpInstanceConfig(name, vrid, VrrpVersion.V3, Family.IPV4, 100, interval, true,
                Duration.ZERO, VrrpAuthType.NONE, "", ip("10.200.0.2"), List.of(ip("10.200." + vrid + ".100"))), transport,
                clock);
    }

    static ReceivedPacket advert(int vrid, int priority) {
        InetAddress src = ip("10.200.0.1");
        InetAddress dst = ip("224.0.0.18");
        Advertisement ad = Advertisement.v3(vrid, priority, 100, Family.IPV4, List.of(ip("10.200." + vrid + ".100")));
        return new ReceivedPacket(Family.IPV4, src, dst, 255, 112, AdvertisementCodec.encode(ad, src, dst));
    }

    @Test
    void severalInstancesShareAnInterfaceAndEachGetsOnlyItsVrid() {
        VrrpInstance a = instance("A", 51, Duration.ofSeconds(1));
        VrrpInstance b = instance("B", 52, Duration.ofSeconds(1));
        engine.add(a, "eth0", Set.of());
        engine.add(b, "eth0", Set.of());
        engine.startAll();
        engine.receive("eth0", advert(52, 200));
        assertThat(a.stats().get(VrrpCounter.ADVERT_RCVD)).isZero();
        assertThat(b.stats().get(VrrpCounter.ADVERT_RCVD)).isOne();
        assertThat(a.stats().get(VrrpCounter.VRID_ERR)).isZero();
    }

    @Test
    void packetsForNoInstanceAreCountedOnTheInterface() {
        engine.add(instance("A", 51, Duration.ofSeconds(1)), "eth0", Set.of());
        engine.receive("eth0", advert(99, 200));
        engine.receive("eth1", advert(51, 200));
        engine.receive("eth0", new ReceivedPacket(Family.IPV4, ip("10.200.0.1"), ip("224.0.0.18"), 255, 112, new byte[1]));
        assertThat(engine.unmatched("eth0").get(VrrpCounter.VRID_ERR)).isOne();
        assertThat(engine.unmatched("eth0").get(VrrpCounter.PACKET_LEN_ERR)).isOne();
        assertThat(engine.unmatched("eth1").get(VrrpCounter.VRID_ERR)).isOne();
    }

    @Test
    void theSameVridTwiceOnOneInterfaceIsRefused() {
        engine.add(instance("A", 51, Duration.ofSeconds(1)), "eth0", Set.of());
        assertThatThrownBy(() -> engine.add(instance("B", 51, Duration.ofSeconds(1)), "eth0", Set.of()))
                .hasMessageContaining("VRID 51");
        engine.add(instance("C", 51, Duration.ofSeconds(1)), "eth1", Set.of());
    }

    @Test
    void nextDeadlineIsTheEarliestTimerOfAllInstances() {
        VrrpInstance slow = instance("A", 51, Duration.ofSeconds(1));
        VrrpInstance fast = instance("B", 52, Duration.ofMillis(100));
        engine.add(slow, "eth0", Set.of());
        engine.add(fast, "eth0", Set.of());
        engine.startAll();
        assertThat(engine.nextDeadline()).isEqualTo(clock.instant().plus(fast.masterDownInterval()));
    }

    @Test
    void linkDownFaultsTheInstancesOnOrTrackingThatInterfaceOnly() {
        VrrpInstance onEth0 = instance("A", 51, Duration.ofSeconds(1));
        VrrpInstance tracksEth2 = instance("B", 52, Duration.ofSeconds(1));
        engine.add(onEth0, "eth0", Set.of());
        engine.add(tracksEth2, "eth1", Set.of("eth2"));
        engine.startAll();
        engine.linkChanged("eth2", false);
        assertThat(onEth0.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(tracksEth2.state()).isEqualTo(VrrpState.FAULT);
        engine.linkChanged("eth0", false);
        assertThat(onEth0.state()).isEqualTo(VrrpState.FAULT);
        engine.linkChanged("eth2", true);
        assertThat(tracksEth2.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void removingAnInstanceStopsOnlyIt() {
        VrrpInstance a = instance("A", 51, Duration.ofSeconds(1));
        VrrpInstance b = instance("B", 52, Duration.ofSeconds(1));
        engine.add(a, "eth0", Set.of());
        engine.add(b, "eth0", Set.of());
        engine.startAll();
        engine.remove("A");
        assertThat(a.state()).isEqualTo(VrrpState.INITIALIZE);
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(engine.statuses()).extracting(VrrpStatus::name).containsExactly("B");
    }
}
