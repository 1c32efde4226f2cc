package io.lvscp.dataplane;

import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeTests;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.lvscp.LvsProperties;
import io.lvscp.support.MutableClock;
import io.lvscp.vrrp.AnnouncePolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import io.lvscp.support.SliceSecurity;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** GET /api/v1/nodes/{node}/vrrp with a node on a fake host: this node's live state, another's stored rows, 404. */
@WebMvcTest(controllers = VrrpNodeController.class)
@Import({SliceSecurity.class, VrrpNodeControllerTests.Beans.class})
@WithMockUser(roles = "VIEWER")
class VrrpNodeControllerTests {

    @TestConfiguration
    static class Beans {
        @Bean
        LvsProperties lvsProperties() {
            return new LvsProperties("lvs1", LvsProperties.DataPlaneMode.KERNEL,
                    new LvsProperties.Reconcile(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(5)),
                    new LvsProperties.ArpWatch(false, Duration.ofSeconds(10), Duration.ofMillis(300)),
                    new LvsProperties.Health(true, false, Duration.ofSeconds(1), 16, true, "auto", Duration.ofMillis(10)), null, null);
        }

        /** lvs1 runs VI_1 (master: nobody else advertises) and VI_2 (backup, hearing 10.200.0.1). */
        @Bean
        VrrpNode vrrpNode() {
            MutableClock clock = new MutableClock();
            VrrpNodeTests.FakeIo io = new VrrpNodeTests.FakeIo();
            VrrpNode node = new VrrpNode("lvs1", io, clock, false, false, AnnouncePolicy.ONCE);
            node.keepVipsOnRestart(false); // a first start: the fake host's stale VIPs would be kept (VrrpNodeTests)
            node.configure(List.of(VrrpNodeTests.spec("VI_1", 51, "eth0", 150), VrrpNodeTests.spec("VI_2", 52, "eth0", 100)),
                    Map.of("VI_1", "pw", "VI_2", "pw"));
            var port = io.open.values().iterator().next();
            for (int i = 0; i < 400; i++) {
                if (i % 100 == 0) {
                    port.inbox.add(VrrpNodeTests.advert(52, 200, "pw", "10.200.0.1"));
                }
                clock.advance(Duration.ofMillis(10));
                node.step();
            }
            return node;
        }
    }

    @Autowired
    MockMvc mvc;
    @MockitoBean
    VrrpNodeRecords records;

    static VrrpNodeRecords.NodeRecord record(String node, long directorId) {
        Map<String, VrrpNodeRecords.StoredInstance> instances = new java.util.LinkedHashMap<>();
        instances.put("VI_1", new VrrpNodeRecords.StoredInstance(11, "VI_1", 51, "eth0", 2, directorId == 1 ? 150 : 100));
        instances.put("VI_2", new VrrpNodeRecords.StoredInstance(12, "VI_2", 52, "eth0", 2, directorId == 1 ? 100 : 150));
        return new VrrpNodeRecords.NodeRecord(node, directorId, 7, "wtc", instances);
    }

    @Test
    void thisNodeShowsItsLiveStateMasterAddressAndCounters() throws Exception {
        when(records.find("lvs1")).thenReturn(Optional.of(record("lvs1", 1)));
        mvc.perform(get("/api/v1/nodes/lvs1/vrrp"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.node").value("lvs1"))
                .andExpect(jsonPath("$.cluster").value("wtc"))
                .andExpect(jsonPath("$.local").value(true))
                .andExpect(jsonPath("$.dryRun").value(false))
                .andExpect(jsonPath("$.instances[0].name").value("VI_1"))
                .andExpect(jsonPath("$.instances[0].id").value(11))
                .andExpect(jsonPath("$.instances[0].state").value("MASTER"))
                .andExpect(jsonPath("$.instances[0].priority").value(150))
                .andExpect(jsonPath("$.instances[0].masterAddress").value("10.200.0.2"))
                .andExpect(jsonPath("$.instances[0].lastTransitionReason").value(org.hamcrest.Matchers.startsWith("no master heard")))
                .andExpect(jsonPath("$.instances[0].counters.advert_sent").isNumber())
                .andExpect(jsonPath("$.instances[1].state").value("BACKUP"))
                .andExpect(jsonPath("$.instances[1].masterAddress").value("10.200.0.1"))
                .andExpect(jsonPath("$.instances[1].counters.advert_rcvd").value(4));
    }

    @Test
    void anotherNodeIsWhatTheDatabaseSaysWithStateUnknown() throws Exception {
        when(records.find("lvs2")).thenReturn(Optional.of(record("lvs2", 2)));
        mvc.perform(get("/api/v1/nodes/lvs2/vrrp"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.local").value(false))
                .andExpect(jsonPath("$.instances[0].name").value("VI_1"))
                .andExpect(jsonPath("$.instances[0].state").value("UNKNOWN"))
                .andExpect(jsonPath("$.instances[0].priority").value(100))
                .andExpect(jsonPath("$.instances[0].masterAddress").doesNotExist())
                .andExpect(jsonPath("$.source").value(org.hamcrest.Matchers.containsString("database only")));
    }

    @Test
    void anUnknownNodeIsA404Problem() throws Exception {
        when(records.find("nope")).thenReturn(Optional.empty());
        mvc.perform(get("/api/v1/nodes/nope/vrrp"))
                .andExpect(status().isNotFound())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.type").value("urn:lvscp:problem:not-found"));
    }

}
