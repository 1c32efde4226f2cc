package io.lvscp.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.cluster.ClusterRequest;
import io.lvscp.cluster.ClusterService;
import io.lvscp.cluster.DirectorRequest;
import io.lvscp.cluster.DirectorService;
import io.lvscp.cluster.RealServerService;
import io.lvscp.cluster.VirtualServerRequest;
import io.lvscp.cluster.VirtualServerService;
import io.lvscp.cluster.VrrpInstanceRequest;
import io.lvscp.cluster.VrrpInstanceRequest.PriorityDto;
import io.lvscp.cluster.VrrpInstanceRequest.VipDto;
import io.lvscp.cluster.VrrpInstanceService;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole application over HTTP: the web form needs its CSRF token, the JSON API
 * and the actuator do not, and there is no login of any kind yet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:browser;DB_CLOSE_DELAY=-1",
        "lvs.node-name=browser-test-node",
        "lvs.dataplane=dry-run"})
class CsrfProtectionTests {

    private static final Pattern TOKEN = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @Autowired
    ClusterService clusters;
    @Autowired
    DirectorService directors;
    @Autowired
    VrrpInstanceService instances;
    @Autowired
    VirtualServerService virtualServers;
    @Autowired
    RealServerService realServers;

    /** A browser: keeps the session cookie. */
    final HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    /** An API client: no cookies. */
    final HttpClient api = HttpClient.newHttpClient();

    String cluster;
    String form;
    long vsId;

    @BeforeEach
    void virtualServer() {
        cluster = "csrf-" + System.nanoTime();
        clusters.create(new ClusterRequest(cluster, null, null));
        directors.create(cluster, new DirectorRequest(cluster + "-a", "172.18.43.11", "eth0", null));
        instances.create(cluster, new VrrpInstanceRequest("VI_1", 111, "eth0", 2, null, null, null, null, null, null, null, null,
                List.of(new PriorityDto(cluster + "-a", 100)), List.of(new VipDto("172.18.43.42", null, null, null)), null));
        vsId = virtualServers.create(cluster, new VirtualServerRequest(null, "VI_1", "172.18.43.42", 80, "TCP", null, "rr", "DR", null,
                null, null, null, null, null, null, null, null, null, null)).id();
        form = "/ui/clusters/" + cluster + "/virtual-servers/" + vsId + "/real-servers/new";
    }

    @Test
    void formPostWithoutTheTokenIsRefused() throws Exception {
        browser.send(get(form), HttpResponse.BodyHandlers.ofString()); // a session exists, but the token is not sent back

        HttpResponse<String> response = browser.send(postForm(form, "address=172.18.43.21&weight=1"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(realServers.all(cluster, vsId)).isEmpty();
    }

    @Test
    void formPostWithTheTokenOfItsSessionIsAccepted() throws Exception {
        HttpResponse<String> page = browser.send(get(form), HttpResponse.BodyHandlers.ofString());
        Matcher token = TOKEN.matcher(page.body());
        assertThat(token.find()).as("the form carries a _csrf field").isTrue();

        HttpResponse<String> response = browser.send(postForm(form, "_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8)
                + "&address=172.18.43.21&weight=1&state=enabled&type=NONE"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/ui/clusters/" + cluster));
        assertThat(realServers.all(cluster, vsId)).hasSize(1);
    }

    @Test
    void jsonApiNeedsNoTokenAndKeepsTheDefaultSecurityHeaders() throws Exception {
        HttpResponse<String> created = api.send(HttpRequest.newBuilder(uri("/api/v1/clusters"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + cluster + "-api\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(created.headers().firstValue("X-Frame-Options")).hasValue("DENY");

        HttpResponse<String> rs = api.send(HttpRequest.newBuilder(uri("/api/v1/clusters/" + cluster + "/virtual-servers/" + vsId
                + "/real-servers")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"address\":\"172.18.43.22\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rs.statusCode()).isEqualTo(201);
    }

    @Test
    void noLoginAndNoBasicChallenge() throws Exception {
        HttpResponse<String> pages = api.send(get("/ui/clusters"), HttpResponse.BodyHandlers.ofString());
        assertThat(pages.statusCode()).isEqualTo(200);
        assertThat(pages.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(api.send(HttpRequest.newBuilder(uri("/actuator/health")).GET().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThat(api.send(get("/login"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").GET().build();
    }

    private HttpRequest postForm(String path, String body) throws IOException {
        return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
