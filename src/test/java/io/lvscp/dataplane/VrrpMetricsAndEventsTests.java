package io.lvscp.dataplane;

import io.lvscp.vrrp.node.VrrpMetrics;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeTests;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.lvscp.event.EventService;
import io.lvscp.support.MutableClock;
import io.lvscp.vrrp.AnnouncePolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The node's meters (names, tags, values, removal) and its transition events. */
class VrrpMetricsAndEventsTests {

    final MutableClock clock = new MutableClock();
    final VrrpNodeTests.FakeIo host = new VrrpNodeTests.FakeIo();
    final VrrpNode node = new VrrpNode("lvs1", host, clock, false, false, AnnouncePolicy.ONCE);

    {
        node.keepVipsOnRestart(false); // a first start: the fake host's stale VIPs would be kept (VrrpNodeTests)
    }

    void run(Duration d) {
        for (long t = 0; t < d.toMillis(); t += 10) {
            clock.advance(Duration.ofMillis(10));
            node.step();
        }
    }

    @Test
    void metersPerInstanceReadTheLatestStateAndGoWithTheInstance() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        node.addListener(new VrrpMetrics(registry, () -> "wtc"));
        node.configure(List.of(VrrpNodeTests.spec("VI_1", 51, "eth0", 150), VrrpNodeTests.spec("VI_2", 52, "eth0", 100)), Map.of());
        var state = registry.get("lvs.vrrp.state").tags("cluster", "wtc", "instance", "VI_1", "vrid", "51", "interface", "eth0", "node", "lvs1")
                .gauge();
        assertThat(state.value()).isEqualTo(1.0); // backup
        run(Duration.ofSeconds(4));
        assertThat(state.value()).isEqualTo(2.0); // master
        assertThat(registry.get("lvs.vrrp.priority").tag("instance", "VI_1").gauge().value()).isEqualTo(150);
        assertThat(registry.get("lvs.vrrp.transitions").tag("instance", "VI_1").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("lvs.vrrp.advert.sent").tag("instance", "VI_1").functionCounter().count()).isPositive();
        assertThat(registry.get("lvs.vrrp.auth.failure").tag("instance", "VI_1").functionCounter().count()).isZero();
        assertThat(registry.get("lvs.vrrp.split.brain").tag("instance", "VI_1").functionCounter().count()).isZero();
        assertThat(registry.get("lvs.vrrp.last.failover").tag("instance", "VI_1").gauge().value()).isNaN(); // nobody heard

        // another master with a lower priority: counted as split brain, we stay master
        host.open.values().iterator().next().inbox.add(VrrpNodeTests.advert(51, 100, "", "10.200.0.1"));
        node.step();
        assertThat(registry.get("lvs.vrrp.split.brain").tag("instance", "VI_1").functionCounter().count()).isEqualTo(1);

        node.configure(List.of(VrrpNodeTests.spec("VI_2", 52, "eth0", 100)), Map.of());
        assertThat(registry.find("lvs.vrrp.state").tag("instance", "VI_1").gauge()).isNull();
        assertThat(registry.find("lvs.vrrp.state").tag("instance", "VI_2").gauge()).isNotNull();
    }

    @Test
    void prometheusNamesAreTheDocumentedOnes() {
        var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        node.addListener(new VrrpMetrics(registry, () -> "wtc"));
        node.configure(List.of(VrrpNodeTests.spec("VI_1", 51, "eth0", 150)), Map.of());
        run(Duration.ofSeconds(4));
        String text = registry.scrape();
        String labels = "{cluster=\"wtc\",instance=\"VI_1\",interface=\"eth0\",node=\"lvs1\",vrid=\"51\"}";
        assertThat(text).contains("lvs_vrrp_state" + labels + " 2.0", "lvs_vrrp_priority" + labels + " 150.0",
                "lvs_vrrp_transitions_total" + labels + " 2.0", "lvs_vrrp_last_failover_seconds" + labels,
                "lvs_vrrp_split_brain_total" + labels, "lvs_vrrp_advert_rcvd_total" + labels, "lvs_vrrp_advert_sent_total" + labels,
                "lvs_vrrp_auth_failure_total" + labels, "lvs_vrrp_ip_ttl_err_total" + labels, "lvs_vrrp_pri_zero_sent_total" + labels,
                "lvs_vrrp_chk_err_total" + labels);
    }

    @Test
    void everyTransitionBecomesAnEventOffTheLoopThread() {
        EventService events = mock(EventService.class);
        VrrpNodeRecords records = mock(VrrpNodeRecords.class);
        when(records.find("lvs1")).thenReturn(Optional.of(new VrrpNodeRecords.NodeRecord("lvs1", 1, 7, "wtc",
                Map.of("VI_1", new VrrpNodeRecords.StoredInstance(11, "VI_1", 51, "eth0", 2, 150)))));
        try (VrrpTransitionEvents recorder = new VrrpTransitionEvents(events, records)) {
            node.addListener(recorder);
            node.configure(List.of(VrrpNodeTests.spec("VI_1", 51, "eth0", 150)), Map.of());
            run(Duration.ofSeconds(4));
            @SuppressWarnings("unchecked")
            ArgumentCaptor<Map<String, ?>> details = ArgumentCaptor.forClass(Map.class);
            verify(events, timeout(2000)).record(eq(EventService.VRRP_TRANSITION), eq(7L), eq("wtc"), eq("TRANSITION"),
                    eq("vrrp-instance"), eq(11L), eq("node lvs1: VI_1 INITIALIZE -> BACKUP (started)"), any());
            verify(events, timeout(2000)).record(eq(EventService.VRRP_TRANSITION), eq(7L), eq("wtc"), eq("TRANSITION"),
                    eq("vrrp-instance"), eq(11L), org.mockito.ArgumentMatchers.startsWith("node lvs1: VI_1 BACKUP -> MASTER (no master heard"),
                    details.capture());
            assertThat(Map.<String, Object>copyOf(details.getValue())).containsEntry("from", "BACKUP").containsEntry("to", "MASTER").containsEntry("vrid", 51)
                    .containsEntry("masterAddress", "10.200.0.2");
        }
    }
}
