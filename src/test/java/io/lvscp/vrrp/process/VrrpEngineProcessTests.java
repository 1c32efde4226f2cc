package io.lvscp.vrrp.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.node.VrrpNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The child's dispatch of requests to its VrrpNode (here a dry-run node: no socket, nothing sent). */
class VrrpEngineProcessTests {

    static final VrrpInstanceSpec SPEC = new VrrpInstanceSpec("VI_1", 51, "eth0", Family.IPV4, 3, 10, 150, true, 0, false, null,
            List.of(), null, List.of(new PlanInput.Vip("10.0.0.100", 24, null, null)));

    @Test
    void eachRequestIsAnsweredWithTheNodesOwnAnswerAndErrorsTravelBack() {
        VrrpNode node = VrrpNode.forDryRun("lvs1", Clock.systemUTC());
        AtomicReference<Map<String, RestartVips.OtherMasters>> pushed = new AtomicReference<>(Map.of());
        Map<String, RestartVips.OtherMasters> view = Map.of("VI_1", RestartVips.OtherMasters.of(List.of("lvs2")));

        var configured = (VrrpProcessProtocol.ConfigureReply) VrrpEngineProcess.handle(node,
                new VrrpProcessProtocol.Configure(1, List.of(SPEC), Map.of(), view), pushed);
        assertThat(configured.id()).isEqualTo(1);
        assertThat(configured.error()).isNull();
        assertThat(configured.result().started()).containsExactly("VI_1");
        assertThat(configured.snapshot().instances()).extracting(VrrpNode.InstanceSnapshot::name).containsExactly("VI_1");
        assertThat(pushed.get()).isEqualTo(view); // what the node's OtherMasters lookup answers in the child

        var set = (VrrpProcessProtocol.BooleanReply) VrrpEngineProcess.handle(node, new VrrpProcessProtocol.SetEffective(2, "VI_1", 90),
                pushed);
        assertThat(set.value()).isTrue();
        var priorities = (VrrpProcessProtocol.PrioritiesReply) VrrpEngineProcess.handle(node, new VrrpProcessProtocol.GetEffective(3),
                pushed);
        assertThat(priorities.priorities()).isEqualTo(Map.of("VI_1", 90));
        var released = (VrrpProcessProtocol.BooleanReply) VrrpEngineProcess.handle(node, new VrrpProcessProtocol.Release(4, "VI_1"),
                pushed);
        assertThat(released.value()).isFalse(); // a dry-run node is never master
        var refused = (VrrpProcessProtocol.BooleanReply) VrrpEngineProcess.handle(node,
                new VrrpProcessProtocol.SetEffective(5, "VI_1", 300), pushed);
        assertThat(refused.error()).contains("1-254");
        node.close();
        var closed = (VrrpProcessProtocol.ConfigureReply) VrrpEngineProcess.handle(node,
                new VrrpProcessProtocol.Configure(6, List.of(), Map.of(), Map.of()), pushed);
        assertThat(closed.error()).contains("closed");
        assertThat(closed.result()).isNull();
    }
}
