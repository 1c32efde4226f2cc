package io.lvscp.splitbrain;

import static io.lvscp.api.Http.json;
import static io.lvscp.support.TestVrrpNodes.provider;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lvscp.api.Http;
import io.lvscp.LvsProperties;
import io.lvscp.common.Addresses;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.director.HeartbeatStore;
import io.lvscp.event.EventService;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.switchover.WireSegment;
import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.node.VrrpNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Set;
import io.lvscp.support.BrowserSession;
import io.lvscp.support.TestUsers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Split brain through a real database: the service under test is an observer ("lvs0-observer", an API
 * node, dry-run); two directors, lvs1 and lvs2 of a cluster made through the API, write their
 * heartbeats and VRRP states every second into the same database through the service's own stores
 * (as their processes would). When lvs2 becomes master as well (multicast cut), the SPLIT_BRAIN event
 * (DETECTED), the metrics, the webhook notification and the console's red line appear within 3 s;
 * when lvs2 is backup again, the CLEARED event. Subclasses pick the database (H2, PostgreSQL).
 */
abstract class SplitBrainDatabaseSuite {

    /**
     * One receiver for every subclass (a static of this class is shared by H2 and PostgreSQL): it is never
     * stopped by a subclass, or the class that runs second would notify a closed port. It ends with the JVM.
     */
    static final HttpServer WEBHOOK;
    static final List<String> HOOKS = new CopyOnWriteArrayList<>();

    static {
        try {
            WEBHOOK = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        WEBHOOK.createContext("/hook", x -> {
            HOOKS.add(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        WEBHOOK.start();
    }

    @DynamicPropertySource
    static void webhook(DynamicPropertyRegistry registry) {
        registry.add("lvs.notify.webhook.url", () -> "http://127.0.0.1:" + WEBHOOK.getAddress().getPort() + "/hook");
    }

    @LocalServerPort
    int port;

    @Autowired
    HeartbeatStore heartbeats;

    @Autowired
    VrrpStateStore states;

    final Map<String, String> vrrp = new ConcurrentHashMap<>();
    final ScheduledExecutorService directors = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopDirectors() {
        directors.shutdownNow();
    }

    /** One heartbeat of each fake director, with its VRRP state. */
    void beat(String cluster) {
        for (String node : List.of("lvs1-" + cluster, "lvs2-" + cluster)) {
            heartbeats.beat(new HeartbeatStore.Beat(node, Instant.now(), "test", "kernel", 0, 1, null, false));
            states.write(node, List.of(new VrrpStateStore.State("VI_1", vrrp.get(node), node.startsWith("lvs1") ? 150 : 100)));
        }
    }

    @Test
    void twoMastersOfOneInstanceAreReportedWithinThreeSecondsAndClearedWhenOneStepsDown() throws Exception {
        Http http = Http.admin(port);
        String c = "sb-" + UUID.randomUUID().toString().substring(0, 6);
        String lvs1 = "lvs1-" + c;
        String lvs2 = "lvs2-" + c;
        ok(http.post("/api/v1/clusters", json("{'name':'" + c + "'}")), 201);
        ok(http.post("/api/v1/clusters/" + c + "/directors", json("{'nodeName':'" + lvs1 + "','managementAddress':'172.18.42.100','interfaceName':'eth0'}")), 201);
        ok(http.post("/api/v1/clusters/" + c + "/directors", json("{'nodeName':'" + lvs2 + "','managementAddress':'172.18.42.200','interfaceName':'eth0'}")), 201);
        vrrp.put(lvs1, "MASTER");
        vrrp.put(lvs2, "BACKUP");
        directors.scheduleWithFixedDelay(() -> beat(c), 0, 1, TimeUnit.SECONDS);
        await(() -> scrape().contains("lvs_vrrp_masters{cluster=\"" + c + "\",instance=\"VI_1\",node=\"lvs0-observer\"} 1.0"),
                "the observer counts one master", Duration.ofSeconds(10));
        // every director as this node reads the database: online, and behind (they applied generation 1 only)
        await(() -> scrape().contains("lvs_director_offline{cluster=\"" + c + "\",director=\"" + lvs2 + "\",node=\"lvs0-observer\"} 0.0"),
                "lvs2 online in lvs_director_offline", Duration.ofSeconds(15));
        assertThat(scrape()).contains("lvs_director_behind{cluster=\"" + c + "\",director=\"" + lvs1 + "\",node=\"lvs0-observer\"} 1.0");
        Thread.sleep(2_500);
        assertThat(events(http, c)).as("no split brain with one master").doesNotContain("SPLIT_BRAIN");

        // the multicast between them is cut: lvs2 becomes master too and writes its state at once
        vrrp.put(lvs2, "MASTER");
        long t0 = System.nanoTime();
        directors.execute(() -> beat(c));
        await(() -> events(http, c).contains("DETECTED"), "the SPLIT_BRAIN event", Duration.ofSeconds(10));
        Duration detected = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("Split brain through the database (" + getClass().getSimpleName() + "): event " + detected.toMillis()
                + " ms after the second master's report");
        assertThat(detected).as("the event within 3 s of the split").isLessThanOrEqualTo(Duration.ofSeconds(3));
        String events = events(http, c);
        assertThat(events).contains("Split brain: VI_1 of cluster " + c + " has 2 masters (" + lvs1 + " priority 150, " + lvs2
                + " priority 100)");
        String metrics = scrape();
        assertThat(metrics).contains("lvs_vrrp_split_brain_detected{cluster=\"" + c + "\",instance=\"VI_1\",node=\"lvs0-observer\"} 1.0")
                .contains("lvs_vrrp_masters{cluster=\"" + c + "\",instance=\"VI_1\",node=\"lvs0-observer\"} 2.0")
                .contains("lvs_vrrp_split_brain_episodes_total{cluster=\"" + c + "\",instance=\"VI_1\",node=\"lvs0-observer\"} 1.0");
        BrowserSession console = new BrowserSession(port);
        console.login("admin", TestUsers.ADMIN_PASSWORD);
        String live = console.get("/ui/clusters/" + c + "/live").body();
        assertThat(live).contains("id=\"split-brain\"").contains("Split brain: two masters for one VRRP instance")
                .contains(lvs1 + ", " + lvs2);
        await(() -> HOOKS.stream().anyMatch(h -> h.contains("\"kind\":\"SPLIT_BRAIN\"") && h.contains("\"action\":\"DETECTED\"")
                && h.contains(c)), "the webhook notification", Duration.ofSeconds(10));

        // multicast restored: lvs2 hears lvs1 and goes back to backup
        vrrp.put(lvs2, "BACKUP");
        directors.execute(() -> beat(c));
        await(() -> events(http, c).contains("CLEARED"), "the CLEARED event", Duration.ofSeconds(10));
        assertThat(events(http, c)).contains("Split brain over: VI_1 of cluster " + c + " has at most one master again");
        assertThat(scrape()).contains("lvs_vrrp_split_brain_detected{cluster=\"" + c + "\",instance=\"VI_1\",node=\"lvs0-observer\"} 0.0");
        assertThat(console.get("/ui/clusters/" + c + "/live").body()).doesNotContain("id=\"split-brain\"");
        await(() -> HOOKS.stream().anyMatch(h -> h.contains("\"action\":\"CLEARED\"") && h.contains(c)), "the CLEARED notification",
                Duration.ofSeconds(10));
        // recorded once, by the first node with a fresh heartbeat (this observer), not once per director
        assertThat(events.split("\"DETECTED\"", -1)).hasSize(2);
    }

    /** What a restarting director asks before it keeps the VIPs a crash left (issue 16, item 5). */
    @Test
    void aRestartingDirectorFindsTheOtherFreshMastersOfItsOwnCluster() throws Exception {
        Http http = Http.admin(port);
        String c = "rs-" + UUID.randomUUID().toString().substring(0, 6);
        String other = "ro-" + UUID.randomUUID().toString().substring(0, 6);
        ok(http.post("/api/v1/clusters", json("{'name':'" + c + "'}")), 201);
        ok(http.post("/api/v1/clusters", json("{'name':'" + other + "'}")), 201);
        for (String[] d : List.of(new String[] {c, "lvs1-" + c}, new String[] {c, "lvs2-" + c}, new String[] {other, "lvs9-" + other})) {
            ok(http.post("/api/v1/clusters/" + d[0] + "/directors", json("{'nodeName':'" + d[1]
                    + "','managementAddress':'172.18.42.100','interfaceName':'eth0'}")), 201);
        }
        // lvs1 crashed while master (its last row still says so); lvs2 took over; another cluster's VI_1 has its own master
        states.write("lvs1-" + c, List.of(new VrrpStateStore.State("VI_1", "MASTER", 150)));
        states.write("lvs2-" + c, List.of(new VrrpStateStore.State("VI_1", "MASTER", 100), new VrrpStateStore.State("VI_2", "BACKUP", 100)));
        states.write("lvs9-" + other, List.of(new VrrpStateStore.State("VI_2", "MASTER", 100)));

        assertThat(states.otherMasters("lvs1-" + c, List.of("VI_1", "VI_2"), Duration.ofSeconds(3)))
                .isEqualTo(Map.of("VI_1", List.of("lvs2-" + c), "VI_2", List.of()));
        assertThat(states.otherMasters("lvs2-" + c, List.of("VI_1"), Duration.ofSeconds(3)))
                .isEqualTo(Map.of("VI_1", List.of("lvs1-" + c)));
        // a node without a Director record has no cluster: no one is its instances' master
        assertThat(states.otherMasters("nobody-" + c, List.of("VI_1"), Duration.ofSeconds(3))).isEqualTo(Map.of("VI_1", List.of()));
        // reports older than stale-after are not counted (a director that stopped reporting)
        Thread.sleep(1_100);
        assertThat(states.otherMasters("lvs1-" + c, List.of("VI_1"), Duration.ofMillis(500))).isEqualTo(Map.of("VI_1", List.of()));
    }

    @Autowired
    DatabaseStatus database;

    @Autowired
    EventService eventService;

    /**
     * lvs.split-brain.step-down for real: two {@link VrrpNode}s (their loop threads and engine, on an in-memory segment
     * that can be cut) and their two {@link SplitBrainWatch}es with step-down on, on this database; the test writes only
     * the heartbeat rows. The segment is cut: B becomes master too, then steps down and stays backup while the cut lasts
     * (with 100 ms adverts its Master_Down_Interval is 0.36 s); A dies as a box does (no word: its last row says MASTER):
     * when that row is stale, B's hold ends and B takes over.
     */
    @Test
    void withStepDownTheLowerMasterStepsDownStaysBackupThroughTheCutAndTakesOverWhenTheWinnerDies() throws Exception {
        Http http = Http.admin(port);
        String c = "sd-" + UUID.randomUUID().toString().substring(0, 6);
        String a = "lvsa-" + c;
        String b = "lvsb-" + c;
        ok(http.post("/api/v1/clusters", json("{'name':'" + c + "'}")), 201);
        for (String d : List.of(a, b)) {
            ok(http.post("/api/v1/clusters/" + c + "/directors", json("{'nodeName':'" + d
                    + "','managementAddress':'172.18.45." + (d.equals(a) ? 1 : 2) + "','interfaceName':'eth0'}")), 201);
        }
        WireSegment wire = new WireSegment();
        WireSegment.Host hostA = wire.host("10.200.0.1");
        WireSegment.Host hostB = wire.host("10.200.0.2");
        VrrpNode nodeA = new VrrpNode(a, hostA, Clock.systemUTC());
        VrrpNode nodeB = new VrrpNode(b, hostB, Clock.systemUTC());
        Set<String> alive = ConcurrentHashMap.newKeySet();
        alive.addAll(List.of(a, b));
        SplitBrainProperties stepDown = new SplitBrainProperties(true, Duration.ofSeconds(3), true);
        SplitBrainWatch watchA = new SplitBrainWatch(props(a), stepDown, states, database, provider(nodeA), eventService,
                new SimpleMeterRegistry());
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        SplitBrainWatch watchB = new SplitBrainWatch(props(b), stepDown, states, database, provider(nodeB), eventService, metersB);
        try {
            nodeA.configure(List.of(vrrp(150)), Map.of());
            nodeB.configure(List.of(vrrp(100)), Map.of());
            directors.scheduleWithFixedDelay(() -> alive.forEach(n -> heartbeats.beat(new HeartbeatStore.Beat(n, Instant.now(), "test",
                    "kernel", 0, 1, null, false))), 0, 200, TimeUnit.MILLISECONDS);
            watchA.start();
            watchB.start();
            await(() -> state(nodeA) == VrrpState.MASTER && state(nodeB) == VrrpState.BACKUP, "A master, B backup", Duration.ofSeconds(5));

            wire.cut = true;
            long t0 = System.nanoTime();
            await(() -> state(nodeB) == VrrpState.MASTER, "B master too (it hears no adverts)", Duration.ofSeconds(5));
            await(() -> events(http, c).contains("STEPPED_DOWN"), "B steps down", Duration.ofSeconds(10));
            System.out.println("Step-down (" + getClass().getSimpleName() + "): " + (System.nanoTime() - t0) / 1_000_000
                    + " ms from the cut to B's STEPPED_DOWN event");
            assertThat(events(http, c)).contains(b + " steps down from VI_S of cluster " + c);
            assertThat(state(nodeB)).isEqualTo(VrrpState.BACKUP);
            assertThat(hostB.vips).isEmpty();
            assertThat(hostA.vips).containsExactly("VI_S");
            assertThat(nodeB.instance("VI_S").orElseThrow().lastTransitionReason()).startsWith("stepped down: split brain");
            // the episode ends as B and A see it (B reports BACKUP); the observer records DETECTED / CLEARED only if it confirmed it
            await(() -> watchB.episodes().isEmpty() && watchA.episodes().isEmpty(), "the episode ends", Duration.ofSeconds(5));
            long transitions = nodeB.instance("VI_S").orElseThrow().transitions();
            Thread.sleep(3_000); // more than eight Master_Down_Intervals, the cut still there
            assertThat(state(nodeB)).as("held as backup while A reports MASTER").isEqualTo(VrrpState.BACKUP);
            assertThat(nodeB.instance("VI_S").orElseThrow().transitions()).as("no flapping").isEqualTo(transitions);
            assertThat(metersB.get("lvs.vrrp.split.brain.held").tag("node", b).gauge().value()).isEqualTo(1);
            assertThat(events(http, c).split("\"STEPPED_DOWN\"", -1)).as("once").hasSize(2);

            // A dies as a box does: no more heartbeat nor state rows; its last row says MASTER until it is stale
            watchA.stop();
            alive.remove(a);
            nodeA.close();
            long died = System.nanoTime();
            await(() -> state(nodeB) == VrrpState.MASTER, "B takes over once A's report is stale", Duration.ofSeconds(10));
            System.out.println("Step-down (" + getClass().getSimpleName() + "): B master " + (System.nanoTime() - died) / 1_000_000
                    + " ms after A died (stale-after 3 s)");
            assertThat(hostB.vips).containsExactly("VI_S");
            await(() -> events(http, c).contains("HOLD_ENDED"), "the end of the hold recorded", Duration.ofSeconds(5));
            assertThat(events(http, c)).contains(b + " no longer holds VI_S of cluster " + c + " as backup: the other master's report is stale");
            assertThat(watchB.held()).isEmpty();
        } finally {
            watchA.stop();
            watchB.stop();
            nodeA.close();
            nodeB.close();
        }
    }

    static LvsProperties props(String node) {
        return new LvsProperties(node, LvsProperties.DataPlaneMode.DRY_RUN, null, null, null, null, null);
    }

    static VrrpInstanceSpec vrrp(int priority) {
        return new VrrpInstanceSpec("VI_S", 62, "eth0", Addresses.Family.IPV4, 3, 10, priority, true, 0, false, null, List.of(), null,
                List.of(new PlanInput.Vip("172.18.45.42", 24, null, "eth0:62")));
    }

    static VrrpState state(VrrpNode n) {
        return n.instance("VI_S").map(VrrpNode.InstanceSnapshot::state).orElse(null);
    }

    String events(Http http, String cluster) {
        return ok(http.get("/api/v1/events?kind=SPLIT_BRAIN&cluster=" + cluster + "&size=50"), 200).raw();
    }

    String scrape() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/prometheus")).header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Http.Response ok(Http.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    static void await(BooleanSupplier condition, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException | AssertionError e) {
                // not yet
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("timed out waiting until " + what);
    }
}
