package io.lvscp.director;

import io.lvscp.database.DatabaseAvailable;
import static io.lvscp.api.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.LvsControlPlaneApplication;
import io.lvscp.api.Http;
import io.lvscp.support.LabRequirement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two directors (two application contexts in this JVM, node names ha-a and ha-b, dry-run data
 * planes, each with its own state directory) on one real PostgreSQL 15 that this test owns: a
 * Debian cluster "lvscp_ha" on port 5433, created (as root) and dropped here, so stopping it
 * disturbs no other test. Checks issue 6's "several directors": a change through one is applied
 * by both (the propagation time is printed); PostgreSQL stopped: both keep answering and keep their
 * data planes, writes get 503; restarted: both converge, nothing acknowledged is lost; a director
 * started while PostgreSQL is down starts from its local state file, says so, and converges.
 * Without root or Debian's PostgreSQL 15 tools this fails under CI=true and is skipped elsewhere.
 */
class SeveralDirectorsTests {

    static final String CLUSTER = "lvscp_ha";
    static final int PORT = 5433;
    static final String URL = "jdbc:postgresql://localhost:" + PORT + "/lvscp_ha";
    static final String C = "ha";

    @TempDir
    static Path state;

    static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

    @BeforeAll
    static void createCluster() throws Exception {
        boolean tools = Files.isExecutable(Path.of("/usr/bin/pg_createcluster")) && Files.isDirectory(Path.of("/usr/lib/postgresql/15/bin"));
        boolean root = "root".equals(System.getProperty("user.name"));
        LabRequirement.require(tools && root, "a PostgreSQL cluster of its own needs root and Debian's postgresql-15 (pg_createcluster)"
                + (tools ? "" : ": not installed") + (root ? "" : ": not root"));
        if (run("sh", "-c", "pg_lsclusters -h | awk '$1 == 15 && $2 == \"" + CLUSTER + "\"' | grep -q .") != 0) {
            check("pg_createcluster", "pg_createcluster", "15", CLUSTER, "-p", String.valueOf(PORT));
        }
        startPostgres();
        check("create role and database", "su", "postgres", "-c", "psql -q -p " + PORT + " -v ON_ERROR_STOP=1 -c \"DROP DATABASE IF EXISTS lvscp_ha\" "
                + "-c \"DO \\$\\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lvscp_ha') THEN "
                + "CREATE ROLE lvscp_ha LOGIN PASSWORD 'lvscp_ha'; END IF; END \\$\\$\" -c \"CREATE DATABASE lvscp_ha OWNER lvscp_ha\"");
    }

    @AfterAll
    static void dropCluster() throws Exception {
        contexts.forEach(ConfigurableApplicationContext::close);
        if ("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/pg_dropcluster"))) {
            run("pg_dropcluster", "15", CLUSTER, "--stop");
        }
    }

    @Test
    void twoDirectorsShareOneDatabaseAndSurviveItsOutage() throws Exception {
        Director a = start("ha-a");
        Director b = start("ha-b");
        assertThat(a.available).singleElement().extracting(DatabaseAvailable::deferred).isEqualTo(false);

        // the cluster, through A: both directors, one VRRP instance, one virtual server with a real server
        ok(a.http.post("/api/v1/clusters", json("{'name':'" + C + "'}")), 201);
        for (String n : List.of("ha-a", "ha-b")) {
            ok(a.http.post("/api/v1/clusters/" + C + "/directors",
                    json("{'nodeName':'" + n + "','managementAddress':'127.0.0." + (n.endsWith("a") ? 11 : 12) + "','interfaceName':'eth0'}")), 201);
        }
        ok(a.http.post("/api/v1/clusters/" + C + "/vrrp-instances", json("{'name':'vi_1','vrid':51,'interfaceName':'eth0','vrrpVersion':2,"
                + "'advertInterval':1,'authType':'PASS','authPassword':'s3cret','multicastGroup':'224.0.0.18',"
                + "'priorities':[{'director':'ha-a','priority':150},{'director':'ha-b','priority':100}],"
                + "'vips':[{'address':'192.0.2.10','device':'eth0'}]}")), 201);
        long vs = ok(a.http.post("/api/v1/clusters/" + C + "/virtual-servers",
                json("{'vrrpInstance':'vi_1','vip':'192.0.2.10','port':80,'protocol':'TCP','scheduler':'rr','forwarding':'DR'}")), 201)
                .get("id").asLong();
        String rsPath = "/api/v1/clusters/" + C + "/virtual-servers/" + vs + "/real-servers";
        long rs = ok(a.http.post(rsPath, json("{'address':'192.0.2.21','port':80,'weight':1}")), 201).get("id").asLong();
        long gen = generation(a);
        awaitApplied(a, gen);
        awaitApplied(b, gen);

        // a change acknowledged by one director is applied by the other: five samples, alternating the writer
        List<Double> samples = new ArrayList<>();
        long gen2 = gen;
        for (int i = 0; i < 5; i++) {
            Director writer = i % 2 == 0 ? a : b;
            Director reader = i % 2 == 0 ? b : a;
            ok(writer.http.patch(rsPath + "/" + rs, json("{'weight':" + (i == 4 ? 5 : 10 + i) + "}")), 200);
            long acked = System.nanoTime();
            gen2 = generation(writer);
            awaitApplied(reader, gen2);
            double ms = (System.nanoTime() - acked) / 1e6;
            samples.add(ms);
            System.out.printf("PROPAGATION: generation %d acknowledged by %s, applied by %s after %.0f ms (LISTEN/NOTIFY, poll 1 s as fallback)%n", gen2,
                    writer.node, reader.node, ms);
        }
        System.out.printf("PROPAGATION: min %.0f ms, max %.0f ms over %d changes%n", samples.stream().mapToDouble(d -> d).min().orElse(0),
                samples.stream().mapToDouble(d -> d).max().orElse(0), samples.size());
        awaitApplied(a, gen2);
        await(() -> planDirectors(a).size() == 2 && planDirectors(a).stream().allMatch(d -> "in-sync".equals(d.get("state").asString())),
                "the plan lists both directors in sync");
        assertThat(weightIn(a)).isEqualTo(5);
        assertThat(weightIn(b)).isEqualTo(5);
        String tableA = table(a);
        String tableB = table(b);

        // PostgreSQL stops: both keep answering, keep their data planes, report the outage; writes get 503
        check("stop PostgreSQL", "pg_ctlcluster", "15", CLUSTER, "stop", "-m", "fast");
        for (Director d : List.of(a, b)) {
            await(() -> d.http.get("/actuator/health").status() == 503, d.node + " reports the outage in /actuator/health");
            Http.Response h = timed(() -> d.http.get("/actuator/health"));
            assertThat(h.body().at("/components/database/status").asString()).isEqualTo("DOWN");
            assertThat(timed(() -> d.http.get("/actuator/health/liveness")).status()).isEqualTo(200);
            assertThat(timed(() -> d.http.get("/actuator/health/readiness")).status()).isEqualTo(200);
            assertThat(scrape(d)).contains("lvs_database_up{node=\"" + d.node + "\"} 0.0");
            Http.Response write = timed(() -> d.http.patch(rsPath + "/" + rs, json("{'weight':9}")));
            assertThat(write.status()).as(write.toString()).isEqualTo(503);
            assertThat(write.get("type").asString()).isEqualTo("urn:lvscp:problem:database-unavailable");
        }
        Thread.sleep(2_500); // more than two resync intervals (1 s here) on the held state
        for (Director d : List.of(a, b)) {
            Http.Response plan = timed(() -> d.http.get("/api/v1/nodes/" + d.node + "/plan"));
            assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
            assertThat(plan.get("desiredSource").asString()).isEqualTo("local-state");
            assertThat(plan.get("inSync").asBoolean()).isTrue();
            assertThat(timed(() -> d.http.get("/actuator/health")).body().at("/components/dataplane/details/desiredStateSource").asString())
                    .isEqualTo("memory");
        }
        assertThat(table(a)).isEqualTo(tableA);
        assertThat(table(b)).isEqualTo(tableB);

        // PostgreSQL returns: both converge; a change made now (through B) reaches both; nothing acknowledged was lost
        startPostgres();
        for (Director d : List.of(a, b)) {
            await(() -> d.http.get("/actuator/health").status() == 200, d.node + " sees the database again");
        }
        ok(b.http.patch(rsPath + "/" + rs, json("{'weight':6}")), 200);
        long gen3 = generation(b);
        awaitApplied(a, gen3);
        awaitApplied(b, gen3);
        assertThat(weightIn(a)).isEqualTo(6);
        assertThat(ok(a.http.get(rsPath), 200).get("content").size()).isEqualTo(1);
        assertThat(ok(a.http.get("/api/v1/clusters/" + C + "/directors"), 200).get("content").size()).isEqualTo(2);

        // B stops; PostgreSQL stops; B starts again from its local state file, says so, and converges when PostgreSQL returns
        b.context.close();
        check("stop PostgreSQL", "pg_ctlcluster", "15", CLUSTER, "stop", "-m", "fast");
        long t0 = System.nanoTime();
        Director b2 = start("ha-b", false);
        System.out.printf("START DURING OUTAGE: ha-b started in %.1f s with PostgreSQL down%n", (System.nanoTime() - t0) / 1e9);
        await(() -> "file".equals(b2.http.get("/actuator/health").body().at("/components/dataplane/details/desiredStateSource").asString()),
                "ha-b holds its local state file");
        assertThat(b2.http.get("/actuator/health").body().at("/components/dataplane/details/startedFromLocalState").asBoolean()).isTrue();
        assertThat(scrape(b2)).contains("lvs_director_started_from_local_state{node=\"ha-b\"} 1.0");
        // no credentials can be checked on a director that starts during the outage (API 503); the open
        // health endpoint shows its data plane brought to the generation of its local state
        await(() -> b2.http.get("/actuator/health").body().at("/components/dataplane/details/appliedGeneration").asLong() == gen3,
                "ha-b's data plane holds generation " + gen3);
        int b2Port = ((WebServerApplicationContext) b2.context).getWebServer().getPort();
        Http.Response refused = new Http(b2Port, io.lvscp.support.TestUsers.adminBasic()).get("/api/v1/nodes/ha-b/plan");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(b2.available).isEmpty();
        startPostgres();
        await(() -> "database".equals(b2.http.get("/actuator/health").body().at("/components/dataplane/details/desiredStateSource").asString()),
                "ha-b reads the database again");
        await(() -> b2.available.size() == 1, "ha-b publishes DatabaseAvailable once the deferred migration ran");
        Director b3 = b2.authenticated();
        assertThat(table(b3)).isEqualTo(tableB.replace("\"weight\":5", "\"weight\":6"));
        assertThat(b2.available.get(0).deferred()).isTrue();
        ok(a.http.patch(rsPath + "/" + rs, json("{'weight':7}")), 200);
        long gen4 = generation(a);
        awaitApplied(a, gen4);
        awaitApplied(b3, gen4);
        // ha-b's next heartbeat (every second) reports the start from local state and the generation applied
        await(() -> {
            JsonNode hb = node(a, "ha-b");
            return hb.get("startedFromLocalState").asBoolean() && hb.get("appliedGeneration").asLong() == gen4
                    && "in-sync".equals(hb.get("state").asString());
        }, "ha-b's heartbeat says it started from local state and applied generation " + gen4);
        assertThat(node(a, "ha-b").get("clockSkewed").asBoolean()).isFalse();
        JsonNode nodes = ok(a.http.get("/api/v1/nodes"), 200).body();
        System.out.println("NODES: " + nodes);
    }

    /** One director: an application context with its node name and state directory, and the DatabaseAvailable events it published. */
    record Director(String node, ConfigurableApplicationContext context, Http http, List<DatabaseAvailable> available) {
        /** The same director with the test admin's credentials (a token made now: the database must answer). */
        Director authenticated() {
            return new Director(node, context, Http.admin(((WebServerApplicationContext) context).getWebServer().getPort()), available);
        }
    }

    static Director start(String node) {
        return start(node, true);
    }

    /** Starts a director; without credentials when {@code authenticate} is false (the database is down: none can be checked). */
    static Director start(String node, boolean authenticate) {
        List<DatabaseAvailable> available = new java.util.concurrent.CopyOnWriteArrayList<>();
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(LvsControlPlaneApplication.class).profiles("postgres")
                .listeners((org.springframework.context.ApplicationListener<org.springframework.context.ApplicationEvent>) e -> {
                    if (e instanceof org.springframework.context.PayloadApplicationEvent<?> p && p.getPayload() instanceof DatabaseAvailable d) {
                        available.add(d);
                    }
                }).run(
                "--server.port=0", "--lvs.node-name=" + node, "--lvs.dataplane=dry-run", "--lvs.state-dir=" + state.resolve(node),
                "--lvs.reconcile.poll-interval=1s", "--lvs.reconcile.resync-interval=1s", "--spring.datasource.url=" + URL,
                "--spring.datasource.username=lvscp_ha", "--spring.datasource.password=lvscp_ha", "--spring.jmx.enabled=false");
        contexts.add(ctx);
        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        return new Director(node, ctx, authenticate ? Http.admin(port) : new Http(port), available);
    }

    static JsonNode node(Director d, String name) {
        for (JsonNode n : ok(d.http.get("/api/v1/nodes"), 200).get("nodes")) {
            if (name.equals(n.get("nodeName").asString())) {
                return n;
            }
        }
        throw new AssertionError("no node " + name);
    }

    static long generation(Director d) {
        return ok(d.http.get("/api/v1/nodes"), 200).get("generation").asLong();
    }

    static void awaitApplied(Director d, long generation) {
        await(() -> {
            Http.Response p = d.http.get("/api/v1/nodes/" + d.node + "/plan");
            return p.status() == 200 && p.body().at("/dataPlane/appliedGeneration").asLong() >= generation
                    && p.get("inSync").asBoolean();
        }, d.node + " applies generation " + generation);
    }

    static List<JsonNode> planDirectors(Director d) {
        List<JsonNode> out = new ArrayList<>();
        ok(d.http.get("/api/v1/nodes/" + d.node + "/plan"), 200).get("directors").forEach(out::add);
        return out;
    }

    /** The dry-run data plane's table (what the kernel would hold). */
    static String table(Director d) {
        return ok(d.http.get("/api/v1/nodes/" + d.node + "/plan"), 200).get("current").toString();
    }

    static int weightIn(Director d) {
        return ok(d.http.get("/api/v1/nodes/" + d.node + "/plan"), 200).body().at("/current/services/0/destinations/0/weight").asInt();
    }

    /** A request during the outage answers within 5 s (no hang on the database). */
    static Http.Response timed(java.util.function.Supplier<Http.Response> request) {
        long t0 = System.nanoTime();
        Http.Response r = request.get();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("answered without waiting on the database").isLessThan(Duration.ofSeconds(5));
        return r;
    }

    /** /actuator/prometheus as Prometheus reads it (text), within 5 s. */
    static String scrape(Director d) {
        int port = ((WebServerApplicationContext) d.context).getWebServer().getPort();
        long t0 = System.nanoTime();
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).header("Accept", "text/plain")
                    .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
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

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
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

    static void startPostgres() throws Exception {
        check("start PostgreSQL", "pg_ctlcluster", "15", CLUSTER, "start");
        for (int i = 0; i < 100; i++) {
            if (run("su", "postgres", "-c", "pg_isready -q -h localhost -p " + PORT) == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("PostgreSQL cluster " + CLUSTER + " did not start");
    }

    static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    static void check(String what, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0 && !(what.startsWith("start") && out.contains("already running"))) {
            throw new AssertionError(what + " failed (" + rc + "): " + out);
        }
    }
}
