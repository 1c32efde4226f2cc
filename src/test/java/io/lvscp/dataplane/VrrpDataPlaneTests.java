package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.Change;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.node.VrrpNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The VRRP side of the kernel data plane, with a VRRP node that touches nothing (its dry-run form). */
class VrrpDataPlaneTests {

    static VrrpInstanceSpec instance(String name, int vrid, String iface, String vipDevice) {
        return new VrrpInstanceSpec(name, vrid, iface, Family.IPV4, 3, 100, 100, true, 0, false, null, List.of(), null,
                List.of(new PlanInput.Vip("172.18.42." + vrid, 32, vipDevice, null)));
    }

    static DesiredState state(VrrpInstanceSpec... instances) {
        return new DesiredState("lvs1", "c", 1, List.of(), List.of(instances));
    }

    @Test
    void theEngineActsOnlyOnTheDirectorsInterfaceAndEachStepIsReported() {
        VrrpDataPlane dp = new VrrpDataPlane(new NodeAgentTests.ScriptedDataPlane(), VrrpNode.forDryRun("lvs1", Clock.systemUTC()), Map::of, () -> "eth0");
        VrrpInstanceSpec ok = instance("vi_1", 51, "eth0", "eth0");
        VrrpInstanceSpec otherNic = instance("vi_2", 52, "eth1", null);
        VrrpInstanceSpec vipElsewhere = instance("vi_3", 53, "eth0", "eth2");

        assertThat(dp.preview(state(ok))).extracting(Change::op).containsExactly(Change.Op.ADD_VRRP_INSTANCE);
        DataPlane.Result r = dp.reconcile(state(ok, otherNic, vipElsewhere));
        assertThat(r.applied()).extracting(Change::description).containsExactly("start VRRP instance vi_1 (VRID 51 on eth0, priority 100)");
        assertThat(r.refused()).extracting(f -> f.change().target() + ": " + f.reason()).containsExactlyInAnyOrder(
                "vi_2: interface eth1 is not this director's (its Director record names eth0): the VRRP engine acts on no other interface",
                "vi_3: interface eth2 is not this director's (its Director record names eth0): the VRRP engine acts on no other interface");
        assertThat(dp.read().vrrpInstances()).containsExactly(ok);

        // nothing changed: nothing to do; then the instance goes away
        assertThat(dp.reconcile(state(ok)).applied()).isEmpty();
        assertThat(dp.preview(state())).extracting(Change::op).containsExactly(Change.Op.REMOVE_VRRP_INSTANCE);
        assertThat(dp.reconcile(state()).applied()).extracting(Change::op).containsExactly(Change.Op.REMOVE_VRRP_INSTANCE);
        assertThat(dp.read().vrrpInstances()).isEmpty();
    }
}
