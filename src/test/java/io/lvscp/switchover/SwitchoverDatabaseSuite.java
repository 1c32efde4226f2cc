package io.lvscp.switchover;

import static io.lvscp.api.Http.json;
import static io.lvscp.support.TestVrrpNodes.provider;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http;
import io.lvscp.common.Addresses;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.node.VrrpNode;
import java.time.Clock;
import io.lvscp.director.HeartbeatStore;
import io.lvscp.splitbrain.VrrpStateStore;
import io.lvscp.support.TestUsers;
import io.lvscp.vrrp.VrrpState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Planned switch-over through a real database. The service under test is the API node ("lvs0-api", dry-run);
 * two directors, lvs1 (priority 150, master) and lvs2 (100, backup), are played by this test: every 100 ms each
 * writes its heartbeat, its VRRP state and its connection count through the service's own stores, and runs the
 * directors' half of the protocol ({@link AgentPlan} on the rows {@link SwitchoverStore#rowsFor} returns, with
 * the store's acknowledge and one-shot release), as their {@link SwitchoverAgent}s would. Their VRRP follows
 * the rules the engine tests check: a released master becomes backup and the backup running at the raised
 * priority becomes master. Subclasses pick the database (H2, PostgreSQL).
 */
abstract class SwitchoverDatabaseSuite {

    @LocalServerPort
    int port;

    @Autowired
    HeartbeatStore heartbeats;

    @Autowired
    VrrpStateStore states;

    @Autowired
    SwitchoverStore store;

    /** One director played by the test. */
    final class Director {
        final String node;
        final int configured;
        volatile VrrpState state;
        volatile long connections;
        volatile boolean online = true;
        final Map<String, Integer> priorities = new ConcurrentHashMap<>();
        final AtomicInteger releases = new AtomicInteger();

        Director(String node, int configured, VrrpState state, long connections) {
            this.node = node;
            this.configured = configured;
            this.state = state;
            this.connections = connections;
        }

        /**
         * Sets this director's connection count and waits until the database holds it: the fixture's count was
         * already written, and a request sent before the next beat would be judged on it.
         */
        void report(long count) {
            connections = count;
            await(() -> Long.valueOf(count).equals(store.view("VI_1", List.of(node)).nodes().get(node).connections()),
                    node + " reports " + count + " connections", Duration.ofSeconds(10));
        }

        int effective() {
            return priorities.getOrDefault("VI_1", configured);
        }

        void beat() {
            if (!online) {
                return;
            }
            heartbeats.beat(new HeartbeatStore.Beat(node, Instant.now(), "test", "kernel", 0, 1, null, false));
            store.writeConnections(node, connections);
            AgentPlan.Actions a = AgentPlan.decide(node, store.rowsFor(node), Map.copyOf(priorities), Map.of("VI_1", state));
            a.setPriorities().forEach((i, p) -> {
                if (p == null) {
                    priorities.remove(i);
                } else {
                    priorities.put(i, p);
                }
            });
            a.acknowledge().forEach(store::acknowledge);
            for (AgentPlan.Release r : a.release()) {
                if (store.claimRelease(r.rowId()) && state == VrrpState.MASTER) {
                    releases.incrementAndGet();
                    state = VrrpState.BACKUP; // priority 0 sent: the other takes over after its Skew_Time
                    Director other = this == lvs1 ? lvs2 : lvs1;
                    if (other.effective() > 0 && other.state == VrrpState.BACKUP) {
                        other.state = VrrpState.MASTER;
                        states.write(other.node, List.of(new VrrpStateStore.State("VI_1", "MASTER", other.effective())));
                    }
                }
            }
            states.write(node, List.of(new VrrpStateStore.State("VI_1", state.name(), effective())));
        }
    }

    String c;
    Director lvs1;
    Director lvs2;
    Http admin;
    Http operator;
    final ScheduledExecutorService directors = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void cluster() {
        admin = Http.admin(port);
        operator = admin.as("Bearer " + Http.newToken(port, TestUsers.adminBasic(), "operator"));
        c = "so-" + UUID.randomUUID().toString().substring(0, 6);
        lvs1 = new Director("lvs1-" + c, 150, VrrpState.MASTER, 1000);
        lvs2 = new Director("lvs2-" + c, 100, VrrpState.BACKUP, 960);
        ok(admin.post("/api/v1/clusters", json("{'name':'" + c + "'}")), 201);
        for (Director d : List.of(lvs1, lvs2)) {
            ok(admin.post("/api/v1/clusters/" + c + "/directors", json("{'nodeName':'" + d.node
                    + "','managementAddress':'172.18.42." + (d == lvs1 ? 100 : 200) + "','interfaceName':'eth0'}")), 201);
        }
        ok(admin.post("/api/v1/clusters/" + c + "/vrrp-instances", json("{'name':'VI_1','vrid':51,'interfaceName':'eth0',"
                + "'priorities':[{'director':'" + lvs1.node + "','priority':150},{'director':'" + lvs2.node + "','priority':100}],"
                + "'vips':[{'address':'172.18.42.42'}]}")), 201);
        directors.scheduleWithFixedDelay(() -> {
            try {
                lvs1.beat();
                lvs2.beat();
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        await(() -> store.view("VI_1", List.of(lvs1.node, lvs2.node)).nodes().values().stream()
                .allMatch(v -> v.connections() != null && v.state() != null), "the directors report", Duration.ofSeconds(10));
    }

    @AfterEach
    void stopDirectors() {
        directors.shutdownNow();
    }

    String path() {
        return "/api/v1/clusters/" + c + "/vrrp-instances/VI_1/switchover";
    }

    @Test
    void theBodyNamesADirectorOfTheInstancesClusterThatRunsIt() {
        Http.Response r = operator.post(path(), json("{}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("director");
        r = operator.post(path(), json("{'director':'nobody-" + c + "'}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("director");
        assertThat(r.get("errors").get(0).get("reason").asString()).contains("no director has this node name");
        ok(admin.post("/api/v1/clusters", json("{'name':'" + c + "x'}")), 201);
        ok(admin.post("/api/v1/clusters/" + c + "x/directors", json("{'nodeName':'lvs3-" + c
                + "','managementAddress':'172.18.43.1','interfaceName':'eth0'}")), 201);
        r = operator.post(path(), json("{'director':'lvs3-" + c + "'}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.get("errors").get(0).get("reason").asString()).contains("is not a director of cluster '" + c + "'");
        r = operator.post(path(), json("{'director':'" + lvs2.node + "','timeoutSeconds':0}"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.errorFields()).containsExactly("timeoutSeconds");
        assertThat(operator.post("/api/v1/clusters/" + c + "/vrrp-instances/VI_9/switchover", json("{'director':'" + lvs2.node + "'}"))
                .status()).isEqualTo(404);
        String viewer = Http.newToken(port, TestUsers.adminBasic(), "viewer");
        assertThat(admin.as("Bearer " + viewer).post(path(), json("{'director':'" + lvs2.node + "'}")).status())
                .as("operator's").isEqualTo(403);
        assertThat(admin.as("Bearer " + viewer).get(path()).status()).as("nothing requested yet").isEqualTo(404);
    }

    @Test
    void theTargetMustBeALiveBackup() {
        Http.Response r = operator.post(path(), json("{'director':'" + lvs1.node + "'}"));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorFields()).containsExactly("director");
        assertThat(r.get("errors").get(0).get("reason").asString()).contains("is already master");
    }

    @Test
    void anOfflineTargetIsRefused() throws Exception {
        lvs2.online = false;
        Thread.sleep(3_500); // its heartbeat is older than lvs.split-brain.stale-after (3 s)
        Http.Response r = operator.post(path(), json("{'director':'" + lvs2.node + "'}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(409);
        assertThat(r.errorFields()).containsExactly("director");
        assertThat(r.get("errors").get(0).get("reason").asString()).contains("is offline: last heartbeat");
        assertThat(operator.get(path()).status()).as("refused before anything was recorded").isEqualTo(404);
    }

    @Test
    void aTargetThatDoesNotCatchUpInTimeIsA504WithTheCounts() {
        lvs2.report(100);
        Http.Response r = operator.post(path(), json("{'director':'" + lvs2.node + "','timeoutSeconds':1}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(504);
        assertThat(r.errorFields()).containsExactly("director", "masterConnections", "targetConnections");
        assertThat(r.get("errors").get(1).get("rejectedValue").asLong()).isEqualTo(1000);
        assertThat(r.get("errors").get(2).get("rejectedValue").asLong()).isEqualTo(100);
        assertThat(r.get("detail").asString()).contains("did not catch up", "master 1000 connections, target 100");
        Http.Response latest = operator.get(path());
        assertThat(latest.get("status").asString()).isEqualTo("FAILED");
        assertThat(lvs1.state).isEqualTo(VrrpState.MASTER);
        assertThat(lvs1.releases).hasValue(0);
        assertThat(lvs2.priorities).isEmpty();
        Http.Response events = admin.get("/api/v1/events?kind=SWITCHOVER&cluster=" + c);
        assertThat(events.raw()).contains("\"action\":\"FAILED\"", "did not catch up");
    }

    @Test
    void mastershipMovesToTheTargetAndStaysThereUntilTheHoldIsCleared() throws Exception {
        lvs2.report(500); // behind: the request waits
        CompletableFuture<Http.Response> answer = CompletableFuture.supplyAsync(
                () -> operator.post(path(), json("{'director':'" + lvs2.node + "'}")),
                // its own thread: the common pool has one thread on 2 cores, and another test's task may hold it
                r -> { Thread t = new Thread(r, "switchover-request"); t.setDaemon(true); t.start(); });
        await(() -> {
            if (answer.isDone()) { // it should still be waiting: say what it answered instead of timing out blind
                throw new AssertionError("answered before lvs2 caught up: " + answer.join());
            }
            return operator.get(path()).raw().contains("\"status\":\"CATCHING_UP\"");
        }, "the request waits for lvs2 (latest: " + "see GET " + path() + ")", Duration.ofSeconds(20));
        Thread.sleep(1000);
        assertThat(lvs1.releases).as("nothing handed over while behind").hasValue(0);
        assertThat(lvs2.priorities).isEmpty();
        Http.Response second = operator.post(path(), json("{'director':'" + lvs2.node + "'}"));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.raw()).contains("already CATCHING_UP");
        lvs2.connections = 960; // caught up: 40 short of 1000, within 5 % (50)
        Http.Response r = answer.get(30, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(r.get("from").asString()).isEqualTo(lvs1.node);
        assertThat(r.get("to").asString()).isEqualTo(lvs2.node);
        assertThat(r.get("masterConnections").asLong()).isEqualTo(1000);
        assertThat(r.get("targetConnections").asLong()).isEqualTo(960);
        assertThat(r.get("connectionsAtRisk").asLong()).isEqualTo(40);
        assertThat(r.get("heldPriority").asInt()).isEqualTo(254);
        assertThat(r.get("requestedBy").asString()).startsWith(TestUsers.ADMIN + " (token test-operator");
        assertThat(r.get("targetReadyAt").isNull()).isFalse();
        assertThat(r.get("releasedAt").isNull()).isFalse();
        assertThat(lvs1.releases).as("released once").hasValue(1);
        assertThat(lvs2.state).isEqualTo(VrrpState.MASTER);
        assertThat(lvs1.state).isEqualTo(VrrpState.BACKUP);
        assertThat(lvs2.effective()).isEqualTo(254);
        assertThat(lvs1.effective()).isEqualTo(150);
        Http.Response events = admin.get("/api/v1/events?kind=SWITCHOVER&cluster=" + c);
        assertThat(events.raw()).contains("\"action\":\"COMPLETED\"", "40 connection(s) at risk", "\"connectionsAtRisk\":40",
                "\"actor\":\"" + TestUsers.ADMIN + " (token test-operator");

        // the hold: lvs2 stays at 254 (preempt at lvs1's 150 does not take it back); lvs2 is master now
        Thread.sleep(1000);
        assertThat(lvs2.effective()).isEqualTo(254);
        Http.Response again = operator.post(path(), json("{'director':'" + lvs2.node + "'}"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.raw()).contains("is already master");

        Http.Response cleared = operator.delete(path());
        assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
        assertThat(cleared.get("status").asString()).isEqualTo("CLEARED");
        await(() -> lvs2.effective() == 100, "lvs2 back at its configured priority", Duration.ofSeconds(5));
        assertThat(operator.delete(path()).status()).as("nothing held any more").isEqualTo(404);
        assertThat(admin.get("/api/v1/events?kind=SWITCHOVER&cluster=" + c).raw()).contains("\"action\":\"CLEARED\"");
    }

    @Autowired
    DatabaseStatus database;

    @Autowired
    SwitchoverProperties settings;

    /**
     * The directors' half for real: two {@link VrrpNode}s (their loop threads, the engine, on an in-memory segment
     * instead of raw sockets) and two {@link SwitchoverAgent}s on the database; the test writes only what the heartbeat
     * and the split-brain watch would (heartbeat rows and the nodes' VRRP states).
     */
    @Test
    void realAgentsAndVrrpNodesMoveMastershipAndHoldIt() throws Exception {
        String c2 = c + "r";
        String a = "lvsa-" + c;
        String b = "lvsb-" + c;
        ok(admin.post("/api/v1/clusters", json("{'name':'" + c2 + "'}")), 201);
        for (String d : List.of(a, b)) {
            ok(admin.post("/api/v1/clusters/" + c2 + "/directors", json("{'nodeName':'" + d
                    + "','managementAddress':'172.18.44." + (d.equals(a) ? 1 : 2) + "','interfaceName':'eth0'}")), 201);
        }
        ok(admin.post("/api/v1/clusters/" + c2 + "/vrrp-instances", json("{'name':'VI_R','vrid':61,'interfaceName':'eth0',"
                + "'priorities':[{'director':'" + a + "','priority':150},{'director':'" + b + "','priority':100}],"
                + "'vips':[{'address':'172.18.44.42'}]}")), 201);
        WireSegment wire = new WireSegment();
        WireSegment.Host hostA = wire.host("10.200.0.1");
        WireSegment.Host hostB = wire.host("10.200.0.2");
        VrrpNode nodeA = new VrrpNode(a, hostA, Clock.systemUTC());
        VrrpNode nodeB = new VrrpNode(b, hostB, Clock.systemUTC());
        ScheduledExecutorService reports = Executors.newSingleThreadScheduledExecutor();
        List<SwitchoverAgent> agents = List.of(
                new SwitchoverAgent(a, Duration.ofMillis(200), settings, store, database, provider(nodeA), () -> 500L),
                new SwitchoverAgent(b, Duration.ofMillis(200), settings, store, database, provider(nodeB), () -> 495L));
        try {
            nodeA.configure(List.of(vrrp(150)), Map.of());
            nodeB.configure(List.of(vrrp(100)), Map.of());
            reports.scheduleWithFixedDelay(() -> {
                for (VrrpNode n : List.of(nodeA, nodeB)) {
                    heartbeats.beat(new HeartbeatStore.Beat(n.nodeName(), Instant.now(), "test", "kernel", 0, 1, null, false));
                    states.write(n.nodeName(), n.instances().stream()
                            .map(i -> new VrrpStateStore.State(i.name(), i.state().name(), i.priority())).toList());
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            agents.forEach(SwitchoverAgent::start);
            await(() -> state(nodeA) == VrrpState.MASTER && state(nodeB) == VrrpState.BACKUP, "A master, B backup", Duration.ofSeconds(5));
            // the database must show A as master, not only some state: a report written just before A became master
            // would make the request a 409 ("no director reports being master"), as one CI run saw
            await(() -> store.view("VI_R", List.of(a, b)).nodes().values().stream().allMatch(v -> v.connections() != null
                    && ("MASTER".equals(v.state()) == v.node().equals(a)) && v.state() != null), "both report, A as master",
                    Duration.ofSeconds(5));

            Http.Response r = operator.post("/api/v1/clusters/" + c2 + "/vrrp-instances/VI_R/switchover", json("{'director':'" + b + "'}"));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.get("status").asString()).isEqualTo("COMPLETED");
            assertThat(r.get("connectionsAtRisk").asLong()).isEqualTo(5);
            assertThat(state(nodeB)).isEqualTo(VrrpState.MASTER);
            assertThat(state(nodeA)).isEqualTo(VrrpState.BACKUP);
            assertThat(nodeB.instance("VI_R").orElseThrow().priority()).isEqualTo(254);
            // either A released (priority 0) first, or B, preempting at 254, took over by itself (Master_Down_Interval is only
            // 0.36 s at 100 ms adverts, about one agent round plus the acknowledgement); both end the same
            assertThat(nodeA.instance("VI_R").orElseThrow().lastTransitionReason())
                    .matches("released for a planned switch-over.*|higher-priority advert from 10\\.200\\.0\\.2");
            assertThat(hostB.vips).containsExactly("VI_R");
            assertThat(hostA.vips).isEmpty();

            // A preempts at 150 and its Master_Down_Interval is 0.36 s: 2 s later B is still master (the hold)
            Thread.sleep(2000);
            assertThat(state(nodeB)).isEqualTo(VrrpState.MASTER);
            assertThat(state(nodeA)).isEqualTo(VrrpState.BACKUP);
            assertThat(nodeA.instance("VI_R").orElseThrow().transitions()).as("A did not take it back meanwhile").isEqualTo(3);

            ok(operator.delete("/api/v1/clusters/" + c2 + "/vrrp-instances/VI_R/switchover"), 200);
            await(() -> state(nodeA) == VrrpState.MASTER && state(nodeB) == VrrpState.BACKUP,
                    "the hold ended: A preempts again", Duration.ofSeconds(5));
            assertThat(nodeB.instance("VI_R").orElseThrow().priority()).isEqualTo(100);
        } finally {
            agents.forEach(SwitchoverAgent::stop);
            reports.shutdownNow();
            nodeA.close();
            nodeB.close();
        }
    }

    static VrrpInstanceSpec vrrp(int priority) {
        return new VrrpInstanceSpec("VI_R", 61, "eth0", Addresses.Family.IPV4, 3, 10, priority, true, 0, false, null, List.of(), null,
                List.of(new PlanInput.Vip("172.18.44.42", 24, null, "eth0:61")));
    }

    static VrrpState state(VrrpNode n) {
        return n.instance("VI_R").map(VrrpNode.InstanceSnapshot::state).orElse(null);
    }

    static void ok(Http.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
    }

    static void await(BooleanSupplier condition, String what, Duration within) {
        long until = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
