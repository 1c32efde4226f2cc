package io.lvscp.vrrp.node;

import static io.lvscp.vrrp.node.VrrpNodeTests.advert;
import static io.lvscp.vrrp.node.VrrpNodeTests.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.support.MutableClock;
import io.lvscp.vrrp.AnnouncePolicy;
import io.lvscp.vrrp.FakeVrrpTransport;
import io.lvscp.vrrp.VrrpState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's part of a planned switch-over: effective priorities kept across restarts, and a release, on the loop. */
class VrrpNodeSwitchoverTests {

    final MutableClock clock = new MutableClock();
    final VrrpNodeTests.FakeIo io = new VrrpNodeTests.FakeIo();
    final List<VrrpNode.Transition> transitions = new ArrayList<>();
    final VrrpNode node = new VrrpNode("lvs1", io, clock, false, false, AnnouncePolicy.ONCE);

    {
        node.addListener(new VrrpNode.Listener() {
            @Override
            public void transitioned(VrrpNode.Transition t) {
                transitions.add(t);
            }
        });
    }

    void run(Duration d) {
        for (long t = 0; t < d.toMillis(); t += 10) {
            clock.advance(Duration.ofMillis(10));
            node.step();
        }
    }

    VrrpNode.InstanceSnapshot status() {
        return node.instance("VI_1").orElseThrow();
    }

    VrrpNodeTests.FakeIo.FakePort port() {
        return io.open.get(new VrrpNodeIo.PortKey("eth0", Family.IPV4, Addresses.parse("224.0.0.18")));
    }

    @Test
    void releaseSendsPriorityZeroAndSaysWhyInTheTransition() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 150)), Map.of("VI_1", "s"));
        run(Duration.ofSeconds(4));
        assertThat(status().state()).isEqualTo(VrrpState.MASTER);
        assertThat(node.release("VI_1")).isTrue();
        FakeVrrpTransport t = io.transports.get("VI_1");
        assertThat(t.lastSent().priority()).isZero();
        assertThat(t.vipsHeld).isEmpty();
        assertThat(status().state()).isEqualTo(VrrpState.BACKUP);
        assertThat(transitions.get(transitions.size() - 1).summary())
                .isEqualTo("node lvs1: VI_1 MASTER -> BACKUP (released for a planned switch-over (priority 0 sent))");
        assertThat(node.release("VI_1")).as("a backup has nothing to release").isFalse();
        assertThat(node.release("VI_9")).isFalse();
    }

    @Test
    void anEffectivePrioritySurvivesARestartOfTheInstanceAndIsClearedOnRequest() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "s"));
        assertThat(node.setEffectivePriority("VI_1", 254)).isTrue();
        assertThat(status().priority()).isEqualTo(254);
        assertThat(node.effectivePriorities()).containsExactly(Map.entry("VI_1", 254));
        // a configuration change restarts the instance: it keeps the switch-over's priority
        node.configure(List.of(spec("VI_1", 51, "eth0", 110)), Map.of("VI_1", "s"));
        assertThat(status().priority()).isEqualTo(254);
        assertThat(node.setEffectivePriority("VI_1", null)).isTrue();
        assertThat(status().priority()).isEqualTo(110);
        assertThat(node.effectivePriorities()).isEmpty();
        assertThat(node.setEffectivePriority("VI_2", 254)).as("not running (yet): kept for when it starts").isFalse();
        node.configure(List.of(spec("VI_1", 51, "eth0", 110), spec("VI_2", 52, "eth0", 100)), Map.of("VI_1", "s", "VI_2", "s"));
        assertThat(node.instance("VI_2").orElseThrow().priority()).isEqualTo(254);
    }

    @Test
    void aRaisedBackupTakesOverFromAHigherConfiguredMasterThatReleases() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 100)), Map.of("VI_1", "s"));
        port().inbox.add(advert(51, 150, "s", "10.200.0.1"));
        run(Duration.ofMillis(500));
        assertThat(status().state()).isEqualTo(VrrpState.BACKUP);
        node.setEffectivePriority("VI_1", 254);
        port().inbox.add(advert(51, 0, "s", "10.200.0.1")); // the old master releases
        run(Duration.ofMillis(50)); // Skew_Time at 254, v2: 2/256 s
        assertThat(status().state()).isEqualTo(VrrpState.MASTER);
        assertThat(io.transports.get("VI_1").lastSent().priority()).isEqualTo(254);
        // the old master (150, preempt) hears 254 and stays backup; its adverts at 150 would not move us either
        port().inbox.add(advert(51, 150, "s", "10.200.0.1"));
        run(Duration.ofSeconds(5));
        assertThat(status().state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void aStoodDownInstanceStaysBackupAcrossARestartUntilTheHoldEnds() {
        node.configure(List.of(spec("VI_1", 51, "eth0", 150)), Map.of("VI_1", "s"));
        run(Duration.ofSeconds(4));
        assertThat(node.standDown("VI_1", "stepped down: split brain")).isTrue();
        assertThat(transitions.get(transitions.size() - 1).summary()).isEqualTo("node lvs1: VI_1 MASTER -> BACKUP (stepped down: split brain)");
        assertThat(io.transports.get("VI_1").vipsHeld).isEmpty();
        run(Duration.ofSeconds(10)); // no advert heard
        assertThat(status().state()).isEqualTo(VrrpState.BACKUP);
        node.configure(List.of(spec("VI_1", 51, "eth0", 140)), Map.of("VI_1", "s")); // restarted by a change
        run(Duration.ofSeconds(10));
        assertThat(status().state()).isEqualTo(VrrpState.BACKUP);
        assertThat(node.standingDown()).containsExactly("VI_1");
        assertThat(node.endStandDown("VI_1")).isTrue();
        run(Duration.ofSeconds(4));
        assertThat(status().state()).isEqualTo(VrrpState.MASTER);
        assertThat(node.endStandDown("VI_1")).isFalse();
    }
}
