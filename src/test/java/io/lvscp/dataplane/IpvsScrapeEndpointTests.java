package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.StreamedMetrics;
import io.lvscp.health.CheckResult;
import io.lvscp.health.HealthMeters;
import io.lvscp.health.HealthMonitor;
import io.lvscp.support.LabRequirement;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * /actuator/prometheus over HTTP with IPVS series (the host has no IPVS: the endpoint is handed a collector over
 * a table of 1,000 x 10, as ScrapeBench does): both text formats carry every family once, OpenMetrics still ends
 * with # EOF, the name[] filter applies to the IPVS families, and promtool accepts the whole scrape's lvs_ series, with the
 * streamed health families of 10,000 real servers in it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:ipvs-scrape;DB_CLOSE_DELAY=-1", "lvs.node-name=scrape-node", "lvs.dataplane=dry-run"})
class IpvsScrapeEndpointTests {

    @LocalServerPort
    int port;

    @Autowired
    IpvsScrapeEndpoint endpoint;

    @Autowired
    StreamedMetrics streamed;

    @Autowired
    MeterRegistry meters;

    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void detach() {
        endpoint.use(null);
    }

    HttpResponse<String> get(String query, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus" + query)).header("Accept", accept)
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void theIpvsSeriesAreAppendedInBothTextFormats() throws Exception {
        assertThat(get("", "text/plain").body()).doesNotContain("lvs_ipvs_");
        try (IpvsMetricsCollector c = new IpvsMetricsCollector(() -> {
            try {
                return ScrapeBench.table(1000, 1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "scrape-node", () -> "web"); HealthMeters health = HealthMeters.attach(new HealthMonitor(
                d -> CompletableFuture.completedFuture(CheckResult.ok(0)), Clock.systemUTC()), meters, "scrape-node")) {
            endpoint.use(c);
            // and the health families of 10,000 watched real servers, streamed too (a director that probes has them)
            streamed.add(health);
            List<HealthMonitor.Target> targets = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                targets.add(new HealthMonitor.Target(i, 1L, "web", "10.60." + (i / 2500) + "." + (i / 10 % 250 + 1) + ":80/tcp",
                        "10.61." + (i / 250) + "." + (i % 250 + 1) + ":80", null));
            }
            health.targetsChanged(targets);
            HttpResponse<String> om = get("", ScrapeBench.ACCEPT);
            assertThat(om.statusCode()).isEqualTo(200);
            assertThat(om.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
            String text = om.body();
            assertThat(text).endsWith("# EOF\n").containsOnlyOnce("# EOF");
            assertThat(text).containsOnlyOnce("# TYPE lvs_ipvs_real_server_weight gauge").containsOnlyOnce("# TYPE jvm_threads_live_threads gauge")
                    .containsOnlyOnce("# UNIT lvs_ipvs_virtual_server_bytes bytes");
            assertThat(text.lines().filter(l -> l.startsWith("lvs_ipvs_")).count()).isEqualTo(1000 * 5 + 10_000 * 9);
            assertThat(text).containsOnlyOnce("# TYPE lvs_realserver_flaps counter");
            assertThat(text.lines().filter(l -> l.startsWith("lvs_realserver_up{")).count()).isEqualTo(10_000);

            String plain = get("", "text/plain").body();
            assertThat(plain).contains("# TYPE lvs_ipvs_virtual_server_connections_total counter").doesNotContain("# EOF");
            assertThat(plain.lines().filter(l -> l.startsWith("lvs_ipvs_")).count()).isEqualTo(1000 * 5 + 10_000 * 9);
            assertThat(plain.lines().filter(l -> l.startsWith("lvs_realserver_flaps_total{")).count()).isEqualTo(10_000);

            String filtered = get("?includedNames=lvs_ipvs_real_server_weight,jvm_threads_live_threads", "text/plain").body();
            assertThat(filtered.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("[{ ].*", "")).distinct())
                    .containsExactlyInAnyOrder("lvs_ipvs_real_server_weight", "jvm_threads_live_threads");

            LabRequirement.require(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is missing (apt-get install prometheus)");
            io.lvscp.support.Promtool.assertAccepted(io.lvscp.support.Promtool.lvsSeries(plain), "the lvs_ series");
        } finally {
            streamed.sources().stream().filter(s -> s instanceof HealthMeters).forEach(streamed::remove);
        }
    }
}
