package io.lvscp.api;

import static io.lvscp.api.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The REST API end to end, over real HTTP against a real database. Subclasses pick
 * the database (H2, PostgreSQL); every test makes its own cluster, so they share one.
 *
 * <p>The cluster is the article's: VRID 110, VIP 172.18.42.42:80, rr, DR, two real
 * servers with HTTP_GET. Nothing here sends a packet to those addresses: the data
 * plane is dry-run.
 */
public abstract class ApiSuite {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    String c;
    String lvs1;
    String lvs2;

    @BeforeEach
    void setUp() {
        http = Http.admin(port);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        c = "wtc-" + suffix;
        lvs1 = "lvs1-" + suffix;
        lvs2 = "lvs2-" + suffix;
    }

    // ---- helpers -----------------------------------------------------------------------

    Response ok(Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    /** Creates the article's cluster up to the virtual server; returns the virtual server's id. */
    long articleCluster() {
        ok(http.post("/api/v1/clusters", json("{'name':'" + c + "','description':'LVS-DR with keepalived, as in the article'}")), 201);
        ok(http.post("/api/v1/clusters/" + c + "/directors",
                json("{'nodeName':'" + lvs1 + "','managementAddress':'172.18.42.100','interfaceName':'eth0'}")), 201);
        ok(http.post("/api/v1/clusters/" + c + "/directors",
                json("{'nodeName':'" + lvs2 + "','managementAddress':'172.18.42.200','interfaceName':'eth0'}")), 201);
        ok(http.post("/api/v1/clusters/" + c + "/vrrp-instances", instanceJson("vi_1", 110, "lm97gg51")), 201);
        Response vs = ok(http.post("/api/v1/clusters/" + c + "/virtual-servers",
                json("{'vrrpInstance':'vi_1','vip':'172.18.42.42','port':80,'protocol':'TCP','scheduler':'rr','forwarding':'DR','delayLoop':6}")),
                201);
        return vs.get("id").asLong();
    }

    String instanceJson(String name, int vrid, String password) {
        return json("{'name':'" + name + "','vrid':" + vrid + ",'interfaceName':'eth0','vrrpVersion':2,'advertInterval':1,"
                + "'authType':'PASS','authPassword':'" + password + "','multicastGroup':'224.0.42.20',"
                + "'priorities':[{'director':'" + lvs1 + "','priority':100},{'director':'" + lvs2 + "','priority':99}],"
                + "'vips':[{'address':'172.18.42.42','device':'eth0','label':'eth0:1'}]}");
    }

    static String realServerJson(String address) {
        return json("{'address':'" + address + "','port':80,'weight':1,'healthCheck':{'type':'HTTP_GET','path':'/','statusCodes':'200',"
                + "'connectTimeout':3,'retry':3,'delayBeforeRetry':3}}");
    }

    String rsPath(long vs) {
        return "/api/v1/clusters/" + c + "/virtual-servers/" + vs + "/real-servers";
    }

    long generation() {
        return jdbc.queryForObject("SELECT generation FROM config_state WHERE id = 1", Long.class);
    }

    long eventCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM event", Long.class);
    }

    /** Asserts a problem response naming the field, and that nothing was written. */
    void refused(Callable<Response> call, int status, String field) throws Exception {
        long gen = generation();
        long events = eventCount();
        Response r = call.call();
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.get("type").asString()).startsWith("urn:lvscp:problem:");
        assertThat(r.get("status").asInt()).isEqualTo(status);
        assertThat(r.errorFields()).as(r.toString()).contains(field);
        assertThat(r.get("detail").asString()).contains(field);
        assertThat(generation()).as("configuration generation unchanged").isEqualTo(gen);
        assertThat(eventCount()).as("no event recorded").isEqualTo(events);
    }

    // ---- the tour -------------------------------------------------------------------------

    /** Heartbeats: this process reports itself; a director no process runs is never-seen; the plan lists the cluster's directors. */
    @Test
    void nodesListHeartbeatsAndThePlanTheDirectorsOfItsCluster() throws InterruptedException {
        articleCluster();
        JsonNode self = null;
        for (int i = 0; i < 100 && self == null; i++) {
            for (JsonNode n : ok(http.get("/api/v1/nodes"), 200).get("nodes")) {
                if ("lvs1-local".equals(n.get("nodeName").asString())) {
                    self = n;
                }
            }
            if (self == null) {
                Thread.sleep(100);
            }
        }
        assertThat(self).as("this process's heartbeat").isNotNull();
        assertThat(self.get("dataPlaneMode").asString()).isEqualTo("dry-run");
        assertThat(self.get("clockSkewed").asBoolean()).isFalse();
        assertThat(self.get("offline").asBoolean()).isFalse();

        JsonNode nodes = ok(http.get("/api/v1/nodes?cluster=" + c), 200).body();
        assertThat(nodes.get("nodes")).hasSize(2);
        assertThat(nodes.get("nodes").get(0).get("nodeName").asString()).isEqualTo(lvs1);
        assertThat(nodes.get("nodes").get(0).get("state").asString()).isEqualTo("never-seen");

        Response plan = ok(http.get("/api/v1/nodes/" + lvs1 + "/plan"), 200);
        assertThat(plan.get("desiredSource").asString()).isEqualTo("database");
        assertThat(plan.get("directors")).hasSize(2);
        assertThat(plan.get("directors").get(1).get("nodeName").asString()).isEqualTo(lvs2);
    }

    @Test
    void theArticleClusterCompilesToEachDirectorsPlan() {
        long gen0 = generation();
        long vs = articleCluster();
        ok(http.post(rsPath(vs), realServerJson("172.18.42.111")), 201);
        ok(http.post(rsPath(vs), realServerJson("172.18.42.222")), 201);
        assertThat(generation()).isEqualTo(gen0 + 7);

        Response plan = ok(http.get("/api/v1/nodes/" + lvs1 + "/plan"), 200);
        JsonNode desired = plan.get("desired");
        assertThat(desired.get("services")).hasSize(1);
        JsonNode svc = desired.get("services").get(0);
        assertThat(svc.get("key").get("address").asString()).isEqualTo("172.18.42.42");
        assertThat(svc.get("key").get("port").asInt()).isEqualTo(80);
        assertThat(svc.get("key").get("protocol").asString()).isEqualTo("TCP");
        assertThat(svc.get("scheduler").asString()).isEqualTo("rr");
        assertThat(svc.get("destinations")).hasSize(2);
        assertThat(svc.get("destinations").get(0).get("address").asString()).isEqualTo("172.18.42.111");
        assertThat(svc.get("destinations").get(0).get("forwarding").asString()).isEqualTo("DR");
        assertThat(svc.get("destinations").get(1).get("weight").asInt()).isEqualTo(1);
        assertThat(desired.get("vrrpInstances").get(0).get("priority").asInt()).isEqualTo(100);
        assertThat(desired.get("vrrpInstances").get(0).get("vrid").asInt()).isEqualTo(110);
        // another node's plan starts from an empty table: every step to build it
        List<String> commands = new ArrayList<>();
        plan.get("changes").forEach(s -> commands.add(s.get("command").asString()));
        assertThat(commands).containsExactly("ipvsadm -A -t 172.18.42.42:80 -s rr",
                "ipvsadm -a -t 172.18.42.42:80 -r 172.18.42.111:80 -g -w 1",
                "ipvsadm -a -t 172.18.42.42:80 -r 172.18.42.222:80 -g -w 1",
                "start VRRP instance vi_1 (VRID 110 on eth0, priority 100)");

        Response backup = ok(http.get("/api/v1/nodes/" + lvs2 + "/plan"), 200);
        assertThat(backup.get("desired").get("vrrpInstances").get(0).get("priority").asInt()).isEqualTo(99);
        assertThat(backup.get("desired").get("services")).isEqualTo(desired.get("services"));
    }

    @Test
    void realServerSetupScriptHoldsEveryVipTheHostServesAndParses() throws Exception {
        long vs = articleCluster();
        long rs = ok(http.post(rsPath(vs), realServerJson("172.18.42.111")), 201).get("id").asLong();
        long https = ok(http.post("/api/v1/clusters/" + c + "/virtual-servers", json("{'vrrpInstance':'vi_1','vip':'172.18.42.42','port':443,"
                + "'protocol':'TCP','scheduler':'rr','forwarding':'DR'}")), 201).get("id").asLong();
        ok(http.post(rsPath(https), json("{'address':'172.18.42.111','port':443}")), 201);

        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + rsPath(vs) + "/" + rs + "/setup.sh")).header("Authorization", io.lvscp.support.TestUsers.adminBasic()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/x-shellscript"));
        assertThat(r.body()).startsWith("#!/bin/bash").contains("VIPS4=(172.18.42.42)").contains("VIP 172.18.42.42 for 172.18.42.42:80/tcp, 172.18.42.42:443/tcp").contains("cluster:     " + c)
                .contains("arp_ignore").contains("--undo");
        // bash itself parses it
        java.nio.file.Path f = java.nio.file.Files.createTempFile("setup", ".sh");
        java.nio.file.Files.writeString(f, r.body());
        Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
        assertThat(new String(p.getInputStream().readAllBytes())).isEmpty();
        assertThat(p.waitFor()).isZero();
        java.nio.file.Files.delete(f);

        assertThat(http.get(rsPath(vs) + "/999999/setup.sh").status()).isEqualTo(404);
    }

    @Autowired
    io.lvscp.database.DrainProgressStore drainProgress;

    /** Issue 16, item 4: a real server's own drain timeout, and each director's progress in its GET. */
    @Test
    void aDrainHasATimeoutOfItsOwnAndShowsEachDirectorsProgress() throws Exception {
        long vs = articleCluster();
        String body = "{'address':'172.18.42.111','port':80,'weight':1,'drainTimeout':%s}";
        refused(() -> http.post(rsPath(vs), json(body.formatted("0"))), 400, "drainTimeout");
        refused(() -> http.post(rsPath(vs), json(body.formatted("604801"))), 400, "drainTimeout");
        Response created = ok(http.post(rsPath(vs), json(body.formatted("120"))), 201);
        long rs = created.get("id").asLong();
        assertThat(created.get("drainTimeout").asInt()).isEqualTo(120);
        assertThat(created.body().has("drain")).as("not draining: no drain shown").isFalse();
        long other = ok(http.post(rsPath(vs), realServerJson("172.18.42.222")), 201).get("id").asLong();
        assertThat(ok(http.get(rsPath(vs) + "/" + other), 200).body().has("drainTimeout")).as("the directors' default").isFalse();

        // the drain request may set it too; a bad one is a problem naming the field, and nothing changes
        refused(() -> http.post(rsPath(vs) + "/" + rs + "/drain", json("{'timeout':-5}")), 400, "timeout");
        assertThat(ok(http.get(rsPath(vs) + "/" + rs), 200).get("state").asString()).isEqualTo("enabled");
        Response drained = ok(http.post(rsPath(vs) + "/" + rs + "/drain", json("{'timeout':30}")), 200);
        assertThat(drained.get("state").asString()).isEqualTo("draining");
        assertThat(drained.get("drainTimeout").asInt()).isEqualTo(30);
        Response got = ok(http.get(rsPath(vs) + "/" + rs), 200);
        assertThat(got.get("drain").get("since").asString()).isNotBlank();
        assertThat(got.get("drain").get("directors")).as("no director has reported yet").isEmpty();

        // each director reports what its kernel still holds (as its node agent does after each round)
        java.time.Instant deadline = java.time.Instant.parse(got.get("drain").get("since").asString()).plusSeconds(30);
        drainProgress.write(lvs1, List.of(new io.lvscp.database.DrainProgressStore.Row(lvs1, rs, "WAITING", 3, 1, 2, true, deadline, null)));
        drainProgress.write(lvs2, List.of(new io.lvscp.database.DrainProgressStore.Row(lvs2, rs, "DRAINED", 0, 0, 0, false, deadline, null)));
        JsonNode directors = ok(http.get(rsPath(vs) + "/" + rs), 200).get("drain").get("directors");
        assertThat(directors).hasSize(2);
        assertThat(directors.get(0).get("node").asString()).isEqualTo(lvs1);
        assertThat(directors.get(0).get("phase").asString()).isEqualTo("WAITING");
        assertThat(directors.get(0).get("active").asInt()).isEqualTo(3);
        assertThat(directors.get(0).get("inactive").asInt()).isEqualTo(1);
        assertThat(directors.get(0).get("templates").asInt()).isEqualTo(2);
        assertThat(directors.get(0).get("inTable").asBoolean()).isTrue();
        assertThat(java.time.Instant.parse(directors.get(0).get("deadline").asString())).isEqualTo(deadline);
        assertThat(directors.get(0).get("reportedAt").asString()).isNotBlank();
        assertThat(directors.get(1).get("node").asString()).isEqualTo(lvs2);
        assertThat(directors.get(1).get("phase").asString()).isEqualTo("DRAINED");
        assertThat(directors.get(1).get("inTable").asBoolean()).isFalse();
        // the list of the virtual server's real servers shows it as well, and so does the console's real-server row
        assertThat(ok(http.get(rsPath(vs)), 200).raw()).contains("\"phase\":\"WAITING\"");
        io.lvscp.support.BrowserSession console = new io.lvscp.support.BrowserSession(port);
        console.login("admin", io.lvscp.support.TestUsers.ADMIN_PASSWORD);
        String page = console.get("/ui/clusters/" + c).body();
        assertThat(page).contains("data-node=\"" + lvs1 + "\" data-phase=\"WAITING\">" + lvs1 + ": draining, 3 active, 1 inactive, 2 templates<")
                .contains(lvs2 + ": drained, 0 active, 0 inactive, 0 templates, out of IPVS<");

        // merge patch: null gives the directors' default back
        Response patched = ok(http.patch(rsPath(vs) + "/" + rs, "{\"drainTimeout\":null}"), 200);
        assertThat(patched.body().has("drainTimeout")).isFalse();

        // PUT replaces the whole real server: what GET showed, sent back, keeps the drain timeout; left out, it goes
        // back to the directors' default, as a weight left out goes back to 1 (PATCH keeps what it does not name)
        JsonNode withTimeout = ok(http.patch(rsPath(vs) + "/" + rs, "{\"drainTimeout\":60,\"weight\":3}"), 200).body();
        assertThat(ok(http.put(rsPath(vs) + "/" + rs, withTimeout.toString()), 200).get("drainTimeout").asInt()).isEqualTo(60);
        tools.jackson.databind.node.ObjectNode without = (tools.jackson.databind.node.ObjectNode) withTimeout.deepCopy();
        without.remove("drainTimeout");
        without.remove("weight");
        Response replaced = ok(http.put(rsPath(vs) + "/" + rs, without.toString()), 200);
        assertThat(replaced.body().has("drainTimeout")).as("left out of a PUT: the directors' default").isFalse();
        assertThat(replaced.get("weight").asInt()).isEqualTo(1);
        assertThat(replaced.get("state").asString()).as("sent back as GET showed it").isEqualTo("draining");
        drainProgress.write(lvs1, List.of());
        drainProgress.write(lvs2, List.of());
    }

    @Test
    void realServerActionsDrainAndDisable() {
        long vs = articleCluster();
        long rs1 = ok(http.post(rsPath(vs), realServerJson("172.18.42.111")), 201).get("id").asLong();
        ok(http.post(rsPath(vs), realServerJson("172.18.42.222")), 201);

        assertThat(ok(http.post(rsPath(vs) + "/" + rs1 + "/drain", null), 200).get("state").asString()).isEqualTo("draining");
        JsonNode dests = ok(http.get("/api/v1/nodes/" + lvs1 + "/plan"), 200).get("desired").get("services").get(0).get("destinations");
        assertThat(dests).hasSize(2);
        assertThat(dests.get(0).get("weight").asInt()).as("draining means weight 0").isZero();

        ok(http.post(rsPath(vs) + "/" + rs1 + "/disable", null), 200);
        dests = ok(http.get("/api/v1/nodes/" + lvs1 + "/plan"), 200).get("desired").get("services").get(0).get("destinations");
        assertThat(dests).hasSize(1);
        assertThat(dests.get(0).get("address").asString()).isEqualTo("172.18.42.222");

        ok(http.post(rsPath(vs) + "/" + rs1 + "/enable", null), 200);
        dests = ok(http.get("/api/v1/nodes/" + lvs1 + "/plan"), 200).get("desired").get("services").get(0).get("destinations");
        assertThat(dests).hasSize(2);
        assertThat(dests.get(0).get("weight").asInt()).isEqualTo(1);

        Response events = ok(http.get("/api/v1/events?cluster=" + c + "&size=3"), 200);
        assertThat(events.get("content").get(0).get("action").asString()).isEqualTo("ENABLED");
        assertThat(events.get("content").get(1).get("action").asString()).isEqualTo("DISABLED");
        assertThat(events.get("content").get(2).get("action").asString()).isEqualTo("DRAINING");
        assertThat(events.get("content").get(0).get("details").get("before").get("state").asString()).isEqualTo("disabled");
    }

    @Test
    void addressesAreStoredInCanonicalForm() {
        ok(http.post("/api/v1/clusters", json("{'name':'" + c + "'}")), 201);
        ok(http.post("/api/v1/clusters/" + c + "/directors",
                json("{'nodeName':'" + lvs1 + "','managementAddress':'2001:DB8:0:0:0:0:0:0064','interfaceName':'eth0'}")), 201);
        Response i = ok(http.post("/api/v1/clusters/" + c + "/vrrp-instances",
                json("{'name':'v6','vrid':7,'interfaceName':'eth0','vrrpVersion':3,'priorities':[{'director':'" + lvs1 + "','priority':150}],"
                        + "'vips':[{'address':'2001:0db8:0000:0000:0000:0000:0000:0042'}]}")), 201);
        assertThat(i.get("vips").get(0).get("address").asString()).isEqualTo("2001:db8::42");
        assertThat(i.get("vips").get(0).get("prefixLength").asInt()).isEqualTo(128);
        assertThat(i.get("multicastGroup").asString()).isEqualTo("ff02::12");
        assertThat(i.get("advertInterval").asInt()).as("v3 default: 100 centiseconds").isEqualTo(100);
        Response vs = ok(http.post("/api/v1/clusters/" + c + "/virtual-servers",
                json("{'vrrpInstance':'v6','vip':'2001:DB8::42','port':443,'scheduler':'wlc','forwarding':'dr'}")), 201);
        assertThat(vs.get("vip").asString()).isEqualTo("2001:db8::42");
        assertThat(vs.get("label").asString()).isEqualTo("[2001:db8::42]:443/tcp");
        assertThat(ok(http.get("/api/v1/clusters/" + c + "/directors/" + lvs1), 200).get("managementAddress").asString())
                .isEqualTo("2001:db8::64");
    }

    @Test
    void thePassPasswordIsNeverShown() {
        articleCluster();
        Response i = ok(http.get("/api/v1/clusters/" + c + "/vrrp-instances/vi_1"), 200);
        assertThat(i.raw()).doesNotContain("lm97gg51");
        assertThat(i.get("authPasswordSet").asBoolean()).isTrue();
        assertThat(ok(http.get("/api/v1/events?cluster=" + c + "&size=100"), 200).raw()).doesNotContain("lm97gg51");
        // a full update that leaves the password out keeps it
        JsonNode body = i.body();
        Response put = ok(http.put("/api/v1/clusters/" + c + "/vrrp-instances/vi_1", body.toString().replace("\"preemptDelay\":0",
                "\"preemptDelay\":5")), 200);
        assertThat(put.get("authPasswordSet").asBoolean()).isTrue();
        assertThat(put.get("preemptDelay").asInt()).isEqualTo(5);
    }

    @Test
    void patchChangesOnlyWhatItNames() {
        long vs = articleCluster();
        long rs = ok(http.post(rsPath(vs), realServerJson("172.18.42.111")), 201).get("id").asLong();
        Response p = ok(http.patch(rsPath(vs) + "/" + rs, json("{'weight':7}")), 200);
        assertThat(p.get("weight").asInt()).isEqualTo(7);
        assertThat(p.get("healthCheck").get("type").asString()).isEqualTo("HTTP_GET");
        assertThat(p.get("version").asInt()).isEqualTo(1);
        Response cl = ok(http.patch("/api/v1/clusters/" + c, json("{'description':null}")), 200);
        assertThat(cl.get("description").isNull()).as("null in a merge patch removes").isTrue();
        assertThat(cl.get("name").asString()).isEqualTo(c);
    }

    @Test
    void listsArePagedAndFilteredByCluster() {
        long vs = articleCluster();
        for (int k = 1; k <= 5; k++) {
            ok(http.post(rsPath(vs), realServerJson("172.18.42." + (100 + k))), 201);
        }
        Response page = ok(http.get("/api/v1/real-servers?cluster=" + c + "&size=2&page=1"), 200);
        assertThat(page.get("content")).hasSize(2);
        assertThat(page.get("totalElements").asInt()).isEqualTo(5);
        assertThat(page.get("totalPages").asInt()).isEqualTo(3);
        assertThat(ok(http.get("/api/v1/directors?cluster=" + c), 200).get("totalElements").asInt()).isEqualTo(2);
        assertThat(ok(http.get("/api/v1/vrrp-instances?cluster=" + c), 200).get("totalElements").asInt()).isEqualTo(1);
        assertThat(ok(http.get("/api/v1/virtual-servers?cluster=" + c), 200).get("totalElements").asInt()).isEqualTo(1);
        assertThat(ok(http.get("/api/v1/clusters/" + c + "/virtual-servers?size=50"), 200).get("content")).hasSize(1);
        assertThat(http.get("/api/v1/virtual-servers?cluster=nosuch-" + c).status()).isEqualTo(404);
    }

    @Test
    void vrrpStateOfAnotherNodeIsWhatTheDatabaseSaysAndAnUnknownNodeIsA404() {
        articleCluster();
        Response r = ok(http.get("/api/v1/nodes/" + lvs2 + "/vrrp"), 200);
        assertThat(r.get("cluster").asString()).isEqualTo(c);
        assertThat(r.get("local").asBoolean()).isFalse();
        JsonNode i = r.get("instances").get(0);
        assertThat(i.get("name").asString()).isEqualTo("vi_1");
        assertThat(i.get("vrid").asInt()).isEqualTo(110);
        assertThat(i.get("priority").asInt()).isEqualTo(99);
        assertThat(i.get("state").asString()).isEqualTo("UNKNOWN");
        assertThat(r.toString()).doesNotContain("lm97gg51"); // never the password
        Response missing = http.get("/api/v1/nodes/no-such-node/vrrp");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.get("type").asString()).isEqualTo("urn:lvscp:problem:not-found");
    }

    @Test
    void theDryRunAgentAppliesThisNodesPlan() throws InterruptedException {
        // lvs.node-name is "lvs1-local" in these tests
        String local = "lvs1-local";
        lvs1 = local;
        jdbc.update("DELETE FROM vrrp_priority WHERE director_id IN (SELECT id FROM director WHERE node_name = ?)", local);
        jdbc.update("DELETE FROM director WHERE node_name = ?", local);
        long vs = articleCluster();
        ok(http.post(rsPath(vs), realServerJson("172.18.42.111")), 201);
        Response plan = null;
        for (int k = 0; k < 200; k++) {
            plan = ok(http.get("/api/v1/nodes/" + local + "/plan"), 200);
            if (plan.get("inSync").asBoolean()) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(plan.get("inSync").asBoolean()).as(plan.toString()).isTrue();
        assertThat(plan.get("current").get("services").get(0).get("destinations")).hasSize(1);
        assertThat(plan.get("dataPlane").get("mode").asString()).isEqualTo("dry-run");
        assertThat(plan.get("changes")).isEmpty();
        List<String> applied = new ArrayList<>();
        plan.get("recentlyApplied").forEach(a -> applied.add(a.get("description").asString()));
        assertThat(applied).as("what the dry-run data plane would have run").contains(
                "ipvsadm -A -t 172.18.42.42:80 -s rr", "ipvsadm -a -t 172.18.42.42:80 -r 172.18.42.111:80 -g -w 1");
        Response health = ok(http.get("/actuator/health"), 200);
        assertThat(health.get("components").get("dataplane").get("details").get("mode").asString()).isEqualTo("dry-run");
        assertThat(health.get("components").get("dataplane").get("details").get("reason").asString()).isEqualTo("lvs.dataplane=dry-run");
    }

    /** Connection synchronisation: stored, shown with the sync id defaulting to the VRID, in each director's plan, switched off by null. */
    @Test
    void connectionSyncIsStoredShownPlannedAndSwitchedOff() {
        articleCluster();
        String path = "/api/v1/clusters/" + c + "/vrrp-instances/vi_1";
        Response p = ok(http.patch(path, json("{'connectionSync':{'interfaceName':'eth1','maxLength':1400,'group':'224.0.0.82',"
                + "'port':8849,'ttl':2}}")), 200);
        JsonNode s = p.get("connectionSync");
        assertThat(s.get("interfaceName").asString()).isEqualTo("eth1");
        assertThat(s.get("syncId").asInt()).as("defaults to the VRID").isEqualTo(110);
        assertThat(s.get("maxLength").asInt()).isEqualTo(1400);
        assertThat(s.get("group").asString()).isEqualTo("224.0.0.82");
        assertThat(s.get("port").asInt()).isEqualTo(8849);
        assertThat(s.get("ttl").asInt()).isEqualTo(2);
        assertThat(ok(http.get(path), 200).get("connectionSync").get("syncId").asInt()).isEqualTo(110);

        Response plan = ok(http.get("/api/v1/nodes/" + lvs2 + "/plan"), 200);
        assertThat(plan.get("desired").get("connectionSync").get("interfaceName").asString()).isEqualTo("eth1");
        List<String> steps = new ArrayList<>();
        plan.get("changes").forEach(x -> steps.add(x.get("command").asString()));
        assertThat(steps).contains(
                "ipvsadm --start-daemon master --mcast-interface eth1 --syncid 110 --sync-maxlen 1400 --mcast-group 224.0.0.82 --mcast-port 8849 --mcast-ttl 2",
                "ipvsadm --start-daemon backup --mcast-interface eth1 --syncid 110 --sync-maxlen 1400 --mcast-group 224.0.0.82 --mcast-port 8849 --mcast-ttl 2");

        Response off = ok(http.patch(path, json("{'connectionSync':null}")), 200);
        assertThat(off.get("connectionSync").isNull()).isTrue();
        Response after = ok(http.get("/api/v1/nodes/" + lvs2 + "/plan"), 200);
        assertThat(after.get("desired").get("connectionSync").isNull()).isTrue();
        assertThat(after.get("changes").toString()).doesNotContain("daemon");
    }

    /** The dry-run data plane records the sync daemon steps and shows the daemons it would run in the plan. */
    @Test
    void theDryRunAgentRecordsTheSyncDaemonSteps() throws InterruptedException {
        String local = "lvs1-local";
        lvs1 = local;
        jdbc.update("DELETE FROM vrrp_priority WHERE director_id IN (SELECT id FROM director WHERE node_name = ?)", local);
        jdbc.update("DELETE FROM director WHERE node_name = ?", local);
        articleCluster();
        ok(http.patch("/api/v1/clusters/" + c + "/vrrp-instances/vi_1", json("{'connectionSync':{'interfaceName':'eth1','syncId':7}}")), 200);
        Response plan = null;
        for (int k = 0; k < 200; k++) {
            plan = ok(http.get("/api/v1/nodes/" + local + "/plan"), 200);
            if (plan.get("inSync").asBoolean() && plan.get("syncDaemons").size() == 2) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(plan.get("syncDaemons")).as(plan.toString()).hasSize(2);
        assertThat(plan.get("syncDaemons").get(0).get("role").asString()).isEqualTo("master");
        assertThat(plan.get("syncDaemons").get(1).get("description").asString()).isEqualTo("backup sync daemon (mcast=eth1, syncid=7)");
        List<String> applied = new ArrayList<>();
        plan.get("recentlyApplied").forEach(a -> applied.add(a.get("description").asString()));
        assertThat(applied).contains("ipvsadm --start-daemon master --mcast-interface eth1 --syncid 7",
                "ipvsadm --start-daemon backup --mcast-interface eth1 --syncid 7");
        String metrics = ok(http.getText("/actuator/prometheus"), 200).raw();
        assertThat(metrics).containsPattern("lvs_sync_daemon_state\\{[^}]*role=\"master\"[^}]*\\} 1");
    }

    @Test
    void connectionSyncThatCannotWork() throws Exception {
        articleCluster();
        String path = "/api/v1/clusters/" + c + "/vrrp-instances/vi_1";
        refused(() -> http.patch(path, json("{'connectionSync':{'interfaceName':'eth 1'}}")), 400, "connectionSync.interfaceName");
        refused(() -> http.patch(path, json("{'connectionSync':{}}")), 400, "connectionSync.interfaceName");
        refused(() -> http.patch(path, json("{'connectionSync':{'interfaceName':'eth1','syncId':256}}")), 400, "connectionSync.syncId");
        refused(() -> http.patch(path, json("{'connectionSync':{'interfaceName':'eth1','group':'10.0.0.1'}}")), 400, "connectionSync.group");
        refused(() -> http.patch(path, json("{'connectionSync':{'interfaceName':'eth1','ttl':0}}")), 400, "connectionSync.ttl");
        refused(() -> http.patch(path, json("{'connectionSync':{'interfaceName':'eth1','port':70000}}")), 400, "connectionSync.port");
        refused(() -> http.patch(path, json("{'connectionSync':{'interfaceName':'eth1','maxLength':0}}")), 400, "connectionSync.maxLength");
        // the kernel runs one master and one backup daemon per director: a second instance of the same directors cannot have it
        ok(http.patch(path, json("{'connectionSync':{'interfaceName':'eth1'}}")), 200);
        String second = instanceJson("vi_2", 111, "secret").replace("172.18.42.42", "172.18.42.43").replace("eth0:1", "eth0:2");
        refused(() -> http.post("/api/v1/clusters/" + c + "/vrrp-instances",
                second.substring(0, second.length() - 1) + ",\"connectionSync\":{\"interfaceName\":\"eth1\"}}"), 409, "connectionSync");
        ok(http.post("/api/v1/clusters/" + c + "/vrrp-instances", second), 201);
    }

    @Test
    void openApiAndSwaggerUiAreServed() {
        Response doc = ok(http.get("/v3/api-docs"), 200);
        assertThat(doc.get("paths").has("/api/v1/clusters")).isTrue();
        assertThat(doc.get("paths").has("/api/v1/clusters/{cluster}/virtual-servers/{vs}/real-servers/{id}/drain")).isTrue();
        assertThat(doc.get("paths").has("/api/v1/nodes/{node}/plan")).isTrue();
        assertThat(http.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void concurrentEditsOfOneVersionAreDetectedNotMerged() throws Exception {
        long vs = articleCluster();
        long rs = ok(http.post(rsPath(vs), realServerJson("172.18.42.111")), 201).get("id").asLong();
        JsonNode current = ok(http.get(rsPath(vs) + "/" + rs), 200).body();
        int writers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int k = 0; k < writers; k++) {
                String body = current.toString().replace("\"weight\":1", "\"weight\":" + (10 + k));
                results.add(pool.submit(() -> {
                    start.await();
                    return http.put(rsPath(vs) + "/" + rs, body).status();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(200, 409);
            assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok(http.get(rsPath(vs) + "/" + rs), 200).get("version").asInt()).isEqualTo(1);
    }

    // ---- bad input: a problem naming the field, and nothing written --------------------------

    /** The article's cluster with one real server, for the bad-input tests. */
    long cluster() {
        long vs = articleCluster();
        ok(http.post(rsPath(vs), realServerJson("172.18.42.111")), 201);
        return vs;
    }

    String vsJson(String vip, int port, String scheduler, String forwarding) {
        return json("{'vrrpInstance':'vi_1','vip':'" + vip + "','port':" + port + ",'scheduler':'" + scheduler + "','forwarding':'"
                + forwarding + "'}");
    }

    @Test
    void malformedAddress() throws Exception {
        long vs = cluster();
        refused(() -> http.post("/api/v1/clusters/" + c + "/virtual-servers", vsJson("172.18.42.300", 81, "rr", "DR")), 400, "vip");
        refused(() -> http.post(rsPath(vs), realServerJson("172.18.42")), 400, "address");
        refused(() -> http.post(rsPath(vs), realServerJson("lb.example.org")), 400, "address");
        refused(() -> http.post("/api/v1/clusters/" + c + "/directors",
                json("{'nodeName':'x-" + lvs1 + "','managementAddress':'1.2.3.4.5','interfaceName':'eth0'}")), 400, "managementAddress");
    }

    @Test
    void wrongFamilyAddress() throws Exception {
        long vs = cluster();
        refused(() -> http.post(rsPath(vs), realServerJson("2001:db8::5")), 400, "address");
    }

    @Test
    void vipNotInTheVrrpInstance() throws Exception {
        long vs = cluster();
        refused(() -> http.post("/api/v1/clusters/" + c + "/virtual-servers", vsJson("172.18.42.43", 80, "rr", "DR")), 400, "vip");
    }

    @Test
    void portsOutsideTheRange() throws Exception {
        long vs = cluster();
        refused(() -> http.post("/api/v1/clusters/" + c + "/virtual-servers", vsJson("172.18.42.42", 70000, "rr", "DR")), 400, "port");
        refused(() -> http.post("/api/v1/clusters/" + c + "/virtual-servers", vsJson("172.18.42.42", 0, "rr", "DR")), 400, "port");
        refused(() -> http.post(rsPath(vs), json("{'address':'172.18.42.50','port':81}")), 400, "port");
    }

    @Test
    void weightOutsideTheRange() throws Exception {
        long vs = cluster();
        refused(() -> http.post(rsPath(vs), json("{'address':'172.18.42.50','weight':65536}")), 400, "weight");
        refused(() -> http.post(rsPath(vs), json("{'address':'172.18.42.50','weight':-1}")), 400, "weight");
        refused(() -> http.post(rsPath(vs), json("{'address':'172.18.42.50','weight':'heavy'}")), 400, "weight");
    }

    @Test
    void unknownSchedulerOrForwarding() throws Exception {
        long vs = cluster();
        refused(() -> http.post("/api/v1/clusters/" + c + "/virtual-servers", vsJson("172.18.42.42", 443, "fastest", "DR")), 400,
                "scheduler");
        refused(() -> http.post("/api/v1/clusters/" + c + "/virtual-servers", vsJson("172.18.42.42", 443, "rr", "DSR")), 400,
                "forwarding");
    }

    @Test
    void vridOutsideTheRangeOrReusedOnTheInterface() throws Exception {
        long vs = cluster();
        refused(() -> http.post("/api/v1/clusters/" + c + "/vrrp-instances", instanceJson("vi_2", 256, "secret")), 400, "vrid");
        refused(() -> http.post("/api/v1/clusters/" + c + "/vrrp-instances", instanceJson("vi_2", 0, "secret")), 400, "vrid");
        refused(() -> http.post("/api/v1/clusters/" + c + "/vrrp-instances", instanceJson("vi_2", 110, "secret")), 409, "vrid");
    }

    @Test
    void passPasswordOverEightCharacters() throws Exception {
        long vs = cluster();
        refused(() -> http.post("/api/v1/clusters/" + c + "/vrrp-instances", instanceJson("vi_2", 111, "lm97gg51x")), 400,
                "authPassword");
    }

    @Test
    void priorityOutOfRangeOr255ForANonOwner() throws Exception {
        long vs = cluster();
        refused(() -> http.post("/api/v1/clusters/" + c + "/vrrp-instances",
                instanceJson("vi_2", 111, "secret").replace("\"priority\":100", "\"priority\":255")), 400, "priorities[0].priority");
        refused(() -> http.post("/api/v1/clusters/" + c + "/vrrp-instances",
                instanceJson("vi_2", 111, "secret").replace("\"priority\":100", "\"priority\":0")), 400, "priorities[0].priority");
    }

    @Test
    void multicastGroupThatIsNotMulticast() throws Exception {
        long vs = cluster();
        // the article's own typo: 244.0.42.20
        refused(() -> http.post("/api/v1/clusters/" + c + "/vrrp-instances",
                instanceJson("vi_2", 111, "secret").replace("224.0.42.20", "244.0.42.20")), 400, "multicastGroup");
    }

    @Test
    void duplicateVipPortProtocol() throws Exception {
        long vs = cluster();
        refused(() -> http.post("/api/v1/clusters/" + c + "/virtual-servers", vsJson("172.18.42.42", 80, "wlc", "DR")), 409, "vip");
    }

    @Test
    void duplicateRealServer() throws Exception {
        long vs = cluster();
        refused(() -> http.post(rsPath(vs), realServerJson("172.18.42.111")), 409, "address");
    }

    @Test
    void staleVersion() throws Exception {
        long vs = cluster();
        JsonNode v0 = ok(http.get("/api/v1/clusters/" + c), 200).body();
        ok(http.put("/api/v1/clusters/" + c, v0.toString().replace("the article", "first edit")), 200);
        refused(() -> http.put("/api/v1/clusters/" + c, v0.toString().replace("the article", "second edit")), 409, "version");
        refused(() -> http.put("/api/v1/clusters/" + c, v0.toString(), "\"0\""), 412, "If-Match");
        refused(() -> http.patch("/api/v1/clusters/" + c, json("{'description':'x','version':0}")), 409, "version");
        refused(() -> http.put("/api/v1/clusters/" + c, json("{'name':'" + c + "'}")), 400, "version");
    }

    @Test
    void deletingAClusterWithVirtualServersNeedsCascade() throws Exception {
        long vs = cluster();
        refused(() -> http.delete("/api/v1/clusters/" + c), 409, "cascade");
        ok(http.delete("/api/v1/clusters/" + c + "?cascade=true"), 204);
        assertThat(http.get("/api/v1/clusters/" + c).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/nodes/" + lvs1 + "/plan").status()).isEqualTo(404);
    }

    static String checkJson(String address, String healthCheck) {
        return json("{'address':'" + address + "','healthCheck':" + healthCheck + "}");
    }

    @Test
    void healthChecksThatCannotWork() throws Exception {
        long vs = cluster();
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'HTTP_GET','statusCodes':'200,600'}")), 400,
                "healthCheck.statusCodes");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'HTTP_GET','statusCodes':'99'}")), 400,
                "healthCheck.statusCodes");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'TCP_CHECK','connectTimeout':-1}")), 400,
                "healthCheck.connectTimeout");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'TCP_CHECK','delayBeforeRetry':-3}")), 400,
                "healthCheck.delayBeforeRetry");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'MISC_CHECK','command':'/nonexistent/check --port 80'}")),
                400, "healthCheck.command");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'MISC_CHECK','command':'/etc/passwd'}")), 400,
                "healthCheck.command");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'MISC_CHECK','command':'no-such-program-lvscp'}")), 400,
                "healthCheck.command");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'MISC_CHECK','command':'/bin/true','miscTimeout':0}")),
                400, "healthCheck.miscTimeout");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'HTTP_GET','rise':0}")), 400, "healthCheck.rise");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'HTTP_GET','fall':101}")), 400, "healthCheck.fall");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'HTTP_GET','connectIp':'172.18.42'}")), 400,
                "healthCheck.connectIp");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'HTTP_GET','bindTo':'2001:db8::1'}")), 400,
                "healthCheck.bindTo");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'HTTP_GET','tlsVerify':true}")), 400,
                "healthCheck.tlsVerify");
        refused(() -> http.post(rsPath(vs), checkJson("172.18.42.50", "{'type':'MISC_CHECK','command':'/bin/true','connectIp':'10.0.0.1'}")),
                400, "healthCheck.connectIp");
    }

    @Test
    void healthCheckKnobsAreStoredAndShown() {
        long vs = articleCluster();
        Response misc = ok(http.post(rsPath(vs), checkJson("172.18.42.111",
                "{'type':'MISC_CHECK','command':'/bin/true --port 80','miscTimeout':5,'rise':2,'fall':3}")), 201);
        assertThat(misc.get("healthCheck").get("command").asString()).isEqualTo("/bin/true --port 80");
        assertThat(misc.get("healthCheck").get("miscTimeout").asInt()).isEqualTo(5);
        assertThat(misc.get("healthCheck").get("rise").asInt()).isEqualTo(2);
        assertThat(misc.get("healthCheck").get("fall").asInt()).isEqualTo(3);
        Response ssl = ok(http.post(rsPath(vs), checkJson("172.18.42.222",
                "{'type':'SSL_GET','path':'/health','statusCodes':'200-299,301','virtualhost':'www.example.org','tlsVerify':true,"
                        + "'connectIp':'172.18.42.223','connectPort':8443,'bindTo':'172.18.42.100'}")), 201);
        JsonNode hc = ssl.get("healthCheck");
        assertThat(hc.get("tlsVerify").asBoolean()).isTrue();
        assertThat(hc.get("connectIp").asString()).isEqualTo("172.18.42.223");
        assertThat(hc.get("bindTo").asString()).isEqualTo("172.18.42.100");
        assertThat(hc.get("statusCodes").asString()).isEqualTo("200-299,301");
        // a GET can be sent back as it is (health is read-only and ignored)
        JsonNode got = ok(http.get(rsPath(vs) + "/" + ssl.get("id").asLong()), 200).body();
        assertThat(got.has("health")).as("this node is not a director of the cluster: no findings").isFalse();
        ok(http.put(rsPath(vs) + "/" + ssl.get("id").asLong(), got.toString()), 200);
    }

    @Test
    void theLocalDirectorsRealServersAreUncheckedInDryRun() throws InterruptedException {
        String local = "lvs1-local";
        lvs1 = local;
        jdbc.update("DELETE FROM vrrp_priority WHERE director_id IN (SELECT id FROM director WHERE node_name = ?)", local);
        jdbc.update("DELETE FROM director WHERE node_name = ?", local);
        long vs = articleCluster();
        long rs = ok(http.post(rsPath(vs), realServerJson("172.18.42.111")), 201).get("id").asLong();
        JsonNode health = null;
        for (int k = 0; k < 100; k++) {
            health = ok(http.get(rsPath(vs) + "/" + rs), 200).body().get("health");
            if (health != null) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(health).as("the registry picked the real server up").isNotNull();
        assertThat(health.get("status").asString()).isEqualTo("unchecked");
        assertThat(health.get("note").asString()).contains("dry-run").contains("lvs.health.probe-in-dry-run");
        assertThat(health.get("check").asString()).isEqualTo("HTTP_GET 172.18.42.111:80/");
        assertThat(health.get("node").asString()).isEqualTo(local);
        JsonNode listed = ok(http.get(rsPath(vs)), 200).body().get("content").get(0);
        assertThat(listed.get("health").get("status").asString()).isEqualTo("unchecked");
    }

    @Test
    void unknownNodeInPlan() {
        Response r = http.get("/api/v1/nodes/no-such-node/plan");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.get("detail").asString()).contains("no-such-node");
    }

    @Test
    void unknownFieldAndMalformedJson() throws Exception {
        long vs = cluster();
        refused(() -> http.post(rsPath(vs), json("{'address':'172.18.42.50','wieght':3}")), 400, "wieght");
        Response r = http.post(rsPath(vs), "{\"address\":");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.get("detail").asString()).contains("JSON");
    }
}
