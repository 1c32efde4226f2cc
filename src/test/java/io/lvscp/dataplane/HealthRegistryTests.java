package io.lvscp.dataplane;

import static io.lvscp.api.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lvscp.api.Http;
import io.lvscp.api.Http.Response;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The service end to end with probes on (lvs.health.probe-in-dry-run) against a real
 * HTTP server on 127.0.0.1: this node is the cluster's director, the VIP and the real
 * server are loopback addresses, so nothing leaves the host.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:health;DB_CLOSE_DELAY=-1",
        "lvs.node-name=hc-local",
        "lvs.dataplane=dry-run",
        "lvs.reconcile.poll-interval=100ms",
        "lvs.health.probe-in-dry-run=true",
        "lvs.health.reload-interval=100ms",
        // not the default (auto: the native loop on Linux): the property reaches the prober
        "lvs.health.prober=nio"})
class HealthRegistryTests {

    @LocalServerPort
    int port;

    @Autowired
    HealthRegistry registry;

    @Autowired
    MeterRegistry meters;

    @Autowired
    IpvsScrapeEndpoint scrape;

    HttpServer backend;
    volatile int status = 200;

    @AfterEach
    void stop() {
        if (backend != null) {
            backend.stop(0);
        }
    }

    static <T> T await(Supplier<T> value, java.util.function.Predicate<T> done, long maxMs) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMs;
        T v = value.get();
        while (!done.test(v) && System.currentTimeMillis() < end) {
            Thread.sleep(50);
            v = value.get();
        }
        assertThat(done.test(v)).as("within " + maxMs + " ms: " + v).isTrue();
        return v;
    }

    @Test
    void aRealServerThatFailsItsCheckLeavesThePlanAndComesBack() throws Exception {
        assertThat(registry.proberKind()).as("lvs.health.prober=nio").isEqualTo("nio");
        assertThat(meters.config().clock()).as("the registry's clock: the loop pass's time on the native prober's loop")
                .isSameAs(io.lvscp.health.LoopTime.micrometerClock());
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        backend.createContext("/", ex -> {
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        backend.start();
        int p = backend.getAddress().getPort();
        Http http = Http.admin(port);
        String c = "hc";
        assertThat(http.post("/api/v1/clusters", json("{'name':'" + c + "'}")).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/clusters/" + c + "/directors",
                json("{'nodeName':'hc-local','managementAddress':'127.0.0.1','interfaceName':'lo'}")).status()).isEqualTo(201);
        assertThat(http.post("/api/v1/clusters/" + c + "/vrrp-instances", json("{'name':'vi','vrid':51,'interfaceName':'lo',"
                + "'vrrpVersion':2,'priorities':[{'director':'hc-local','priority':100}],'vips':[{'address':'127.0.0.42'}]}")).status())
                .isEqualTo(201);
        Response vs = http.post("/api/v1/clusters/" + c + "/virtual-servers", json("{'vrrpInstance':'vi','vip':'127.0.0.42','port':" + p
                + ",'scheduler':'rr','forwarding':'DR','delayLoop':1,'connectTimeout':1,'retry':0,'delayBeforeRetry':1}"));
        assertThat(vs.status()).as(vs.toString()).isEqualTo(201);
        String rsPath = "/api/v1/clusters/" + c + "/virtual-servers/" + vs.get("id").asLong() + "/real-servers";
        Response rs = http.post(rsPath, json("{'address':'127.0.0.1','healthCheck':{'type':'HTTP_GET','path':'/health'}}"));
        assertThat(rs.status()).as(rs.toString()).isEqualTo(201);
        long id = rs.get("id").asLong();

        JsonNode health = await(() -> http.get(rsPath + "/" + id).body().get("health"),
                h -> h != null && h.get("lastCheckedAt") != null && !h.get("lastCheckedAt").isNull(), 5000);
        assertThat(health.get("status").asString()).isEqualTo("up");
        assertThat(health.get("latencyMs").asDouble()).isPositive();
        assertThat(destinations(http)).isEqualTo(1);
        assertThat(scraped("lvs_realserver_up", "real_server=\"127.0.0.1:" + p + "\"", "virtual_server=\"127.0.0.42:" + p + "/tcp\"",
                "cluster=\"" + c + "\"", "node=\"hc-local\"")).isEqualTo(1.0);

        long v0 = registry.version();
        status = 503;
        // delay_loop 1 s, retry 0: down after one loop, then out of the plan at the agent's next poll
        // (the waits are generous bounds for a loaded machine, not timings; the bench measures timing)
        await(() -> registry.downRealServers().contains(id), d -> d, 10000);
        assertThat(registry.version()).isGreaterThan(v0);
        await(() -> destinations(http), n -> n == 0, 10000);
        JsonNode down = http.get(rsPath + "/" + id).body().get("health");
        assertThat(down.get("status").asString()).isEqualTo("down");
        assertThat(down.get("lastError").asString()).startsWith("bad_status: status 503");
        JsonNode event = await(() -> http.get("/api/v1/events?cluster=" + c + "&size=1").body().get("content").get(0),
                e -> e.get("kind").asString().equals("HEALTH"), 3000);
        assertThat(event.get("action").asString()).isEqualTo("DOWN");
        assertThat(event.get("resourceId").asLong()).isEqualTo(id);
        assertThat(event.get("summary").asString()).contains("127.0.0.1:" + p).contains("DOWN");
        assertThat(meters.get("lvs.healthcheck.failures").tag("reason", "bad_status").counter().count()).isPositive();

        status = 200;
        await(() -> destinations(http), n -> n == 1, 4000);
        assertThat(http.get(rsPath + "/" + id).body().get("health").get("status").asString()).isEqualTo("up");
        assertThat(scraped("lvs_realserver_flaps_total", "real_server=\"127.0.0.1:" + p + "\"")).isEqualTo(2.0);
    }

    /** The value of the one series {@code name} with these labels in /actuator/prometheus (Prometheus text). */
    double scraped(String name, String... labels) {
        String text = new String(scrape.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, null).getBody(), StandardCharsets.UTF_8);
        List<String> found = text.lines().filter(l -> l.startsWith(name + "{") && Arrays.stream(labels).allMatch(l::contains)).toList();
        assertThat(found).as(name + " " + Arrays.toString(labels)).hasSize(1);
        return Double.parseDouble(found.get(0).substring(found.get(0).lastIndexOf(' ') + 1));
    }

    int destinations(Http http) {
        JsonNode services = http.get("/api/v1/nodes/hc-local/plan").body().get("desired").get("services");
        return services.isEmpty() ? 0 : services.get(0).get("destinations").size();
    }
}
