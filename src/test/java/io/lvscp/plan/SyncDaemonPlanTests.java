package io.lvscp.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.ipvs.SyncDaemon;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncDaemonPlanTests {

    static final SyncDaemonSpec SPEC = new SyncDaemonSpec("vi_1", "eth1", 7, 0, null, 0, 0);
    static final EnumSet<SyncDaemon.Role> NONE = EnumSet.noneOf(SyncDaemon.Role.class);
    static final EnumSet<SyncDaemon.Role> BOTH = EnumSet.allOf(SyncDaemon.Role.class);

    /** As GET_DAEMON reports a daemon: the kernel's defaults filled in. */
    static SyncDaemon running(SyncDaemon.Role role, String ifname, int id) throws Exception {
        return new SyncDaemon(role, ifname, id, 1472, InetAddress.getByName("224.0.0.81"), 8848, 1);
    }

    static List<String> commands(List<SyncDaemonPlan.Step> steps) {
        return steps.stream().map(SyncDaemonPlan.Step::ipvsadm).toList();
    }

    @Test
    void bothDaemonsStartWhereNoneRuns() {
        assertThat(commands(SyncDaemonPlan.steps(SyncDaemonPlan.desired(SPEC), List.of(), NONE))).containsExactly(
                "ipvsadm --start-daemon master --mcast-interface eth1 --syncid 7",
                "ipvsadm --start-daemon backup --mcast-interface eth1 --syncid 7");
    }

    @Test
    void runningDaemonsThatMatchAreAdoptedNotRestarted() throws Exception {
        List<SyncDaemon> kernel = List.of(running(SyncDaemon.Role.MASTER, "eth1", 7), running(SyncDaemon.Role.BACKUP, "eth1", 7));
        assertThat(SyncDaemonPlan.steps(SyncDaemonPlan.desired(SPEC), kernel, NONE)).isEmpty();
        assertThat(SyncDaemonPlan.managedAfter(SyncDaemonPlan.desired(SPEC))).isEqualTo(BOTH);
    }

    @Test
    void aDaemonWithOtherSettingsIsStoppedAndStartedAgain() throws Exception {
        List<SyncDaemon> kernel = List.of(running(SyncDaemon.Role.MASTER, "eth1", 8), running(SyncDaemon.Role.BACKUP, "eth1", 7));
        SyncDaemonSpec ttl = new SyncDaemonSpec("vi_1", "eth1", 7, 0, null, 0, 1);
        assertThat(commands(SyncDaemonPlan.steps(SyncDaemonPlan.desired(ttl), kernel, NONE))).containsExactly(
                "ipvsadm --stop-daemon master", "ipvsadm --start-daemon master --mcast-interface eth1 --syncid 7 --mcast-ttl 1");
        SyncDaemonSpec group = new SyncDaemonSpec("vi_1", "eth1", 7, 1400, "ff02::1:82", 8850, 0);
        assertThat(commands(SyncDaemonPlan.steps(SyncDaemonPlan.desired(group), kernel, NONE))).containsExactly(
                "ipvsadm --stop-daemon master",
                "ipvsadm --start-daemon master --mcast-interface eth1 --syncid 7 --sync-maxlen 1400 --mcast-group ff02::1:82 --mcast-port 8850",
                "ipvsadm --stop-daemon backup",
                "ipvsadm --start-daemon backup --mcast-interface eth1 --syncid 7 --sync-maxlen 1400 --mcast-group ff02::1:82 --mcast-port 8850");
    }

    @Test
    void withSyncOffOnlyManagedDaemonsStop() throws Exception {
        List<SyncDaemon> kernel = List.of(running(SyncDaemon.Role.MASTER, "eth1", 7), running(SyncDaemon.Role.BACKUP, "eth1", 7));
        assertThat(SyncDaemonPlan.steps(List.of(), kernel, NONE)).as("an operator's daemons").isEmpty();
        assertThat(SyncDaemonPlan.steps(List.of(), kernel, EnumSet.of(SyncDaemon.Role.BACKUP)))
                .extracting(SyncDaemonPlan.Step::op, s -> s.daemon().role())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Change.Op.STOP_SYNC_DAEMON, SyncDaemon.Role.BACKUP));
        assertThat(SyncDaemonPlan.managedAfter(List.of())).isEmpty();
    }

    @Test
    void stepsAreChangesNamingTheDaemon() {
        Change c = SyncDaemonPlan.steps(SyncDaemonPlan.desired(SPEC), List.of(), NONE).get(1).toChange();
        assertThat(c.op()).isEqualTo(Change.Op.START_SYNC_DAEMON);
        assertThat(c.target()).isEqualTo("sync daemon backup");
    }

    @Test
    void daemonSettingsAreChecked() throws Exception {
        assertThatThrownBy(() -> SyncDaemon.of(SyncDaemon.Role.MASTER, "an-interface-name-too-long", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SyncDaemon.of(SyncDaemon.Role.MASTER, "eth1", 256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyncDaemon(SyncDaemon.Role.MASTER, "eth1", 1, 0, InetAddress.getByName("10.0.0.1"), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SyncDaemonPlan.desired(null)).isEmpty();
    }

    @Test
    void managedDaemonsAreRecordedWithTheOwnedServicesUnderIdsNoServiceHas() {
        assertThat(SyncDaemonPlan.ownershipId(SyncDaemon.Role.MASTER)).isEqualTo("sync-daemon master");
        assertThat(SyncDaemonPlan.ownershipIds(EnumSet.allOf(SyncDaemon.Role.class))).containsExactly("sync-daemon backup", "sync-daemon master");
        java.util.Set<String> owned = java.util.Set.of("TCP 172.18.42.42:80", "FWM 7", "sync-daemon backup");
        assertThat(SyncDaemonPlan.ownedRoles(owned)).containsExactly(SyncDaemon.Role.BACKUP);
        assertThat(SyncDaemonPlan.isOwnershipId("sync-daemon backup")).isTrue();
        assertThat(SyncDaemonPlan.isOwnershipId("TCP 172.18.42.42:80")).isFalse();
        assertThat(SyncDaemonPlan.ownedRoles(java.util.Set.of())).isEmpty();
    }
}
