package io.lvscp.vrrp.process;

import static io.lvscp.vrrp.linux.NamespaceLab.sh;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.RestartVips;
import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.linux.NamespaceLab;
import io.lvscp.vrrp.node.RealtimeScheduling;
import io.lvscp.vrrp.node.VrrpNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service's VRRP node in {@code lvs.vrrp.engine=process} mode for real: {@link ProcessVrrpNode} (the service's side,
 * in this JVM) supervising {@link VrrpEngineProcess} (the same VrrpNode on LinuxVrrpNodeIo, in a child JVM started in a
 * network namespace), against Debian's keepalived as the backup on the other end of a veth pair. The engine becomes
 * master and keepalived hears it; the child is killed (SIGKILL) and the supervisor starts it again, which keeps the VIP
 * it finds and is master again; a graceful close sends priority 0 (keepalived takes over at once) and removes the VIP.
 * A child whose service goes away without a word (its standard input ends) halts and leaves the VIP, as the embedded
 * engine does when its JVM dies. Needs root, iproute2 and keepalived: fails under CI=true without them, skips elsewhere.
 */
@Tag("lab")
class ProcessEngineLabTests {

    @RegisterExtension
    final NamespaceLab.PerTest labs = NamespaceLab.perTest(true);
    private NamespaceLab lab;
    private String nsKeepalived;
    private String nsOurs;
    private ProcessVrrpNode node;

    @BeforeEach
    void lab() throws Exception {
        lab = labs.lab();
        nsKeepalived = lab.namespace("pk");
        nsOurs = lab.namespace("po");
        lab.veth(nsKeepalived, "pk0", "10.200.11.1/24", nsOurs, "po0", "10.200.11.2/24");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /** The child in our namespace: the service's own command, behind ip netns exec (which execs it: same pid). */
    private ProcessVrrpNode.Launcher launcher() {
        return launcher(List.of(), 0);
    }

    /** The same behind {@code prefix} (setpriv, prlimit), with {@code lvs.vrrp.realtime-priority} {@code realtime}. */
    private ProcessVrrpNode.Launcher launcher(List<String> prefix, int realtime) {
        List<String> options = List.of(VrrpEngineProcess.DEFAULT_JVM_OPTIONS.split(" "));
        return (name, keep) -> {
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(List.of("ip", "netns", "exec", nsOurs));
            cmd.addAll(VrrpEngineProcess.command(System.getProperty("java.home"), System.getProperty("java.class.path"), false,
                    options, name, keep, realtime));
            return new ProcessBuilder(cmd).start();
        };
    }

    private static VrrpInstanceSpec spec() {
        return new VrrpInstanceSpec("VI_PROC", 71, "po0", Family.IPV4, 3, 10, 150, true, 0, false, null, List.of(), null,
                List.of(new PlanInput.Vip("10.200.11.100", 24, null, "po0:71")));
    }

    private boolean vipOnOurs() {
        return sh("ip -n " + nsOurs + " -4 addr show dev po0").contains("10.200.11.100/24");
    }

    private VrrpState state() {
        return node.instance("VI_PROC").map(VrrpNode.InstanceSnapshot::state).orElse(null);
    }

    @Test
    void masterInAChildProcessRestartedAfterAKillAndHandingOverAtItsStop() throws Exception {
        List<VrrpNode.Transition> transitions = new CopyOnWriteArrayList<>();
        List<String> deaths = new CopyOnWriteArrayList<>();
        node = new ProcessVrrpNode("lab", launcher(), new RestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(2),
                Duration.ofMinutes(1)));
        node.addListener(new VrrpNode.Listener() {
            @Override
            public void transitioned(VrrpNode.Transition t) {
                transitions.add(t);
            }
        });
        node.addSupervision(new ProcessVrrpNode.Supervision() {
            @Override
            public void died(long pid, Integer exitCode, Duration ran, Duration restartIn) {
                deaths.add(pid + " exit " + exitCode);
            }
        });
        // the database's view: no other master (what DatabaseOtherMasters answers when the peer is backup)
        node.otherMasters(names -> {
            Map<String, RestartVips.OtherMasters> m = new java.util.HashMap<>();
            names.forEach(n -> m.put(n, RestartVips.OtherMasters.none()));
            return m;
        });
        VrrpNode.Result r = node.configure(List.of(spec()), Map.of());
        assertThat(r.started()).containsExactly("VI_PROC");
        assertThat(r.errors()).isEmpty();
        long first = node.pid();
        assertThat(ProcessHandle.of(first)).isPresent();
        assertThat(first).isNotEqualTo(ProcessHandle.current().pid());

        lab.waitFor(() -> state() == VrrpState.MASTER, 5000, "the child's instance master");
        lab.waitFor(this::vipOnOurs, 2000, "the VIP on our interface");
        assertThat(transitions).anyMatch(t -> t.to() == VrrpState.MASTER && t.instance().equals("VI_PROC"));
        keepalived();
        lab.waitFor(() -> lab.log("keepalived.log").contains("Entering BACKUP STATE"), 6000, "keepalived backup");
        Thread.sleep(1500); // four Master_Down_Intervals of 0.36 s: the child's adverts hold keepalived back
        assertThat(lab.log("keepalived.log")).doesNotContain("Entering MASTER STATE");
        assertThat(node.instance("VI_PROC").orElseThrow().counters().get(io.lvscp.vrrp.VrrpCounter.ADVERT_SENT))
                .isGreaterThan(10L);

        // a crash of the engine process: the VIP stays on the interface, keepalived takes over, the supervisor restarts it
        long killed = System.nanoTime();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        lab.waitFor(() -> node.starts() == 2 && node.up(), 15000, "the engine process started again");
        long up = System.nanoTime();
        assertThat(node.pid()).isNotEqualTo(first);
        assertThat(deaths).hasSize(1);
        lab.waitFor(() -> state() == VrrpState.MASTER, 8000, "the restarted child master again");
        System.out.printf("engine process killed: a new one up after %d ms, master again after %d ms%n", (up - killed) / 1_000_000,
                (System.nanoTime() - killed) / 1_000_000);
        lab.waitFor(this::vipOnOurs, 2000, "the VIP on our interface after the restart");
        String k = lab.log("keepalived.log");
        lab.waitFor(() -> {
            String now = lab.log("keepalived.log");
            return now.lastIndexOf("Entering BACKUP STATE") > now.lastIndexOf("Entering MASTER STATE");
        }, 5000, "keepalived backup again");
        System.out.println("keepalived during the child's restart: " + (k.contains("Entering MASTER STATE")
                ? "became master meanwhile" : "stayed backup"));

        // graceful stop: priority 0, keepalived master at once, the VIP removed, the child gone
        long second = node.pid();
        node.close();
        lab.waitFor(() -> {
            String now = lab.log("keepalived.log");
            return now.lastIndexOf("Entering MASTER STATE") > now.lastIndexOf("Entering BACKUP STATE");
        }, 2000, "keepalived master after the child's priority 0");
        assertThat(vipOnOurs()).isFalse();
        assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        node = null;
    }

    /**
     * {@code lvs.vrrp.realtime-priority} for real: the child's loop thread in SCHED_RR 10, which ps confirms from
     * outside, the other threads in the normal class. As the Debian unit allows it (no CAP_SYS_NICE: root with it
     * dropped from the bounding set, as the unit's service user has none; an RLIMIT_RTPRIO of 10: the unit's
     * LimitRTPRIO) where this host lets root raise that limit (CAP_SYS_RESOURCE), else with CAP_SYS_NICE. Without
     * either the kernel refuses (EPERM), the status says so, and the engine runs on at normal priority and is master
     * all the same.
     */
    @Test
    void theLoopThreadRunsInSchedRrUnderAnRtprioLimitAndFallsBackToNormalSchedulingWithoutIt() throws Exception {
        List<String> noSysNice = List.of("setpriv", "--bounding-set", "-sys_nice");
        boolean limitSettable = sh("prlimit --rtprio=10 true && echo settable").contains("settable");
        System.out.println(limitSettable ? "SCHED_RR through RLIMIT_RTPRIO 10 without CAP_SYS_NICE (the unit's way)"
                : "this host does not let root raise RLIMIT_RTPRIO (no CAP_SYS_RESOURCE): SCHED_RR through CAP_SYS_NICE");
        node = new ProcessVrrpNode("lab", launcher(limitSettable ? join(List.of("prlimit", "--rtprio=10"), noSysNice) : List.of(), 10),
                RestartBackoff.standard());
        assertThat(node.realtime().state()).isEqualTo(RealtimeScheduling.State.OFF); // no child has said anything yet
        node.configure(List.of(spec()), Map.of());
        lab.waitFor(() -> state() == VrrpState.MASTER, 5000, "the child's instance master");
        assertThat(node.realtime().state()).as(node.realtime().detail()).isEqualTo(RealtimeScheduling.State.IN_EFFECT);
        assertThat(node.realtime().applied()).isEqualTo(10);
        // the kernel's view of the child's threads: the loop thread ("vrrp-lab") alone in RR 10
        String threads = sh("ps -L -o cls=,rtprio=,comm= -p " + node.pid());
        assertThat(threads.lines().map(String::trim).filter(l -> l.endsWith("vrrp-lab")).toList())
                .singleElement().satisfies(l -> assertThat(l.split("\\s+")).startsWith("RR", "10"));
        assertThat(threads.lines().filter(l -> l.trim().startsWith("RR")).count()).isEqualTo(1);
        node.close();
        node = null;

        node = new ProcessVrrpNode("lab", launcher(noSysNice, 10), RestartBackoff.standard());
        node.configure(List.of(spec()), Map.of());
        lab.waitFor(() -> state() == VrrpState.MASTER, 5000, "the child's instance master at normal priority");
        RealtimeScheduling refused = node.realtime();
        assertThat(refused.state()).isEqualTo(RealtimeScheduling.State.REFUSED);
        assertThat(refused.requested()).isEqualTo(10);
        assertThat(refused.applied()).isZero();
        assertThat(refused.detail()).contains("EPERM").contains("LimitRTPRIO=10");
        assertThat(sh("ps -L -o cls= -p " + node.pid()).lines().map(String::trim).distinct().toList()).containsExactly("TS");
        node.close();
        node = null;
    }

    private static List<String> join(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void aChildWhoseServiceIsGoneHaltsAndLeavesTheVip() throws Exception {
        Process child = launcher().start("lab", true);
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()));
            assertThat(out.readLine()).contains("\"ready\"");
            String configure = VrrpProcessProtocol.encode(new VrrpProcessProtocol.Configure(1,
                    List.of(spec()), Map.of(), Map.of()));
            child.getOutputStream().write((configure + "\n").getBytes());
            child.getOutputStream().flush();
            lab.waitFor(this::vipOnOurs, 5000, "the child master with the VIP");
            child.getOutputStream().close(); // what the service's death does to the child's standard input
            assertThat(child.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(3);
            assertThat(vipOnOurs()).isTrue(); // left as a crash leaves it: the next engine decides
        } finally {
            child.destroyForcibly();
            sh("ip -n " + nsOurs + " addr del 10.200.11.100/24 dev po0");
        }
    }

    private void keepalived() throws IOException {
        lab.keepalived(nsKeepalived, "keepalived.log", """
                global_defs {
                    router_id lvscp_proc
                    vrrp_garp_master_delay 0
                }
                vrrp_instance VI_PROC {
                    state BACKUP
                    interface pk0
                    virtual_router_id 71
                    priority 100
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        10.200.11.100/24
                    }
                }
                """);
    }
}
