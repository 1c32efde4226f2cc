package io.lvscp.vrrp.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.node.VrrpNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The supervisor's pure parts: the restart backoff, the child's command, a transition over an older snapshot. */
class ProcessVrrpNodeTests {

    @Test
    void backoffDoublesOnQuickDeathsUpToItsMaximumAndStartsAgainAfterAStableRun() {
        RestartBackoff b = new RestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(1));
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(b.afterDeath(Duration.ofSeconds(2)).toMillis());
        }
        assertThat(waits).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(b.quickDeaths()).isEqualTo(6);
        assertThat(b.afterDeath(Duration.ofMinutes(1)).toMillis()).isEqualTo(100L); // it ran a minute: a fresh count
        assertThat(b.afterDeath(Duration.ZERO).toMillis()).isEqualTo(200L);
        assertThat(RestartBackoff.standard().afterDeath(Duration.ofHours(1))).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theChildRunsTheEngineWithTheServicesClassPathAndThroughSpringBootsLauncherFromAnExecutableJar() {
        List<String> plain = VrrpEngineProcess.command("/jdk", "a.jar:b.jar", false, List.of("-Xmx32m"), "lvs1", true, 0);
        assertThat(plain).containsExactly("/jdk/bin/java", "-Xmx32m", "-cp", "a.jar:b.jar", "io.lvscp.vrrp.process.VrrpEngineProcess",
                "node=lvs1", "keep-vips=true", "realtime-priority=0");
        List<String> boot = VrrpEngineProcess.command("/jdk", "app.jar", true, List.of(), "lvs2", false, 10);
        assertThat(boot).containsExactly("/jdk/bin/java", "-cp", "app.jar", "-Dloader.main=io.lvscp.vrrp.process.VrrpEngineProcess",
                "org.springframework.boot.loader.launch.PropertiesLauncher", "node=lvs2", "keep-vips=false", "realtime-priority=10");
    }

    @Test
    void aTransitionIsNotUndoneByASnapshotTakenBeforeIt() {
        VrrpProcessProtocol.Snapshot before = new VrrpProcessProtocol.Snapshot(List.of(VrrpProcessProtocolTests.SNAP), Map.of());
        Instant later = VrrpProcessProtocolTests.SNAP.lastTransition().plusSeconds(1);
        VrrpNode.Transition t = new VrrpNode.Transition("lvs1", "VI_1", 51, "eth0", VrrpState.MASTER, VrrpState.BACKUP, later,
                "higher-priority advert from 10.0.0.2", 150, io.lvscp.common.Addresses.parse("10.0.0.2"), null);
        VrrpProcessProtocol.Snapshot patched = ProcessVrrpNode.patchedIfOlder(before, t);
        VrrpNode.InstanceSnapshot s = patched.instances().get(0);
        assertThat(s.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(s.lastTransition()).isEqualTo(later);
        assertThat(s.masterAddress().getHostAddress()).isEqualTo("10.0.0.2");
        assertThat(s.transitions()).isEqualTo(4);
        assertThat(s.lastFailover()).isEqualTo(VrrpProcessProtocolTests.SNAP.lastFailover());
        // a snapshot that already shows it (or a later one) stays as it is
        assertThat(ProcessVrrpNode.patchedIfOlder(patched, t)).isSameAs(patched);
        VrrpNode.Transition older = new VrrpNode.Transition("lvs1", "VI_1", 51, "eth0", VrrpState.BACKUP, VrrpState.MASTER,
                VrrpProcessProtocolTests.SNAP.lastTransition().minusSeconds(5), "old", 150, null, null);
        assertThat(ProcessVrrpNode.patchedIfOlder(before, older)).isSameAs(before);
    }
}
