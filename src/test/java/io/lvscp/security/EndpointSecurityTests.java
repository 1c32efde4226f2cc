package io.lvscp.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http;
import io.lvscp.support.BrowserSession;
import io.lvscp.support.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint the application maps (read from Spring MVC's handler mapping, so a new one
 * cannot be forgotten) against every kind of caller: none, a wrong, a revoked and an expired
 * token (401, or the login page for the web UI), a role too weak (403), the right role (let
 * through: whatever the answer, not 401 or 403). The expected role is written down here,
 * independently of SecurityConfiguration: GET needs viewer and any other method admin, except
 * where listed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:endpoint-security;DB_CLOSE_DELAY=-1",
        "lvs.node-name=endpoint-security-node",
        "lvs.dataplane=dry-run"})
class EndpointSecurityTests {

    enum Level {
        PUBLIC, VIEWER, OPERATOR, ADMIN
    }

    record Endpoint(String method, String pattern, Level level) {
        String path() {
            // an id or name that exists nowhere: the right role gets a 404 or 400, nothing is changed
            return pattern.replaceAll("\\{[^}]+}", "999999");
        }

        /** The path for a caller: one's own password is the only one a non-admin may change. */
        String path(String username) {
            return pattern.endsWith("/password") ? pattern.replace("{username}", username) : path();
        }

        boolean api() {
            return pattern.startsWith("/api/");
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    static final String RS = "/api/v1/clusters/{cluster}/virtual-servers/{vs}/real-servers";

    /** Who may call what: the exceptions to "GET: viewer, anything else: admin". */
    static Level expected(String method, String pattern) {
        if (pattern.equals("/login") || pattern.equals("/error") || pattern.startsWith("/v3/api-docs") || pattern.startsWith("/swagger-ui")) {
            return Level.PUBLIC;
        }
        if (pattern.startsWith("/api/v1/tokens") || (method.equals("PUT") && pattern.equals("/api/v1/users/{username}/password"))) {
            return Level.VIEWER; // everybody's own tokens and password
        }
        if (pattern.startsWith("/api/v1/users") || pattern.endsWith("/keepalived.conf") || pattern.equals("/ui/import")) {
            return Level.ADMIN;
        }
        String consoleRealServer = "/ui/clusters/{cluster}/virtual-servers/{vs}/real-servers/{id}";
        if (pattern.equals(consoleRealServer + "/weight") || pattern.equals(consoleRealServer + "/remove")) {
            return Level.ADMIN; // the console's weight and removal, as the API's real-server edits and deletes
        }
        if (method.equals("POST") && pattern.matches("\\Q" + consoleRealServer + "\\E/(enable|disable|drain)")) {
            return Level.OPERATOR; // the console's actions, as the API's
        }
        if (pattern.equals("/api/v1/clusters/{cluster}/vrrp-instances/{instance}/switchover") && !method.equals("GET")) {
            return Level.OPERATOR; // a planned switch-over and the end of its hold (issue 16)
        }
        if (pattern.endsWith("/real-servers/new")
                || method.equals("POST") && (pattern.equals(RS) || pattern.matches("\\Q" + RS + "\\E/\\{id}/(enable|disable|drain)"))) {
            return Level.OPERATOR;
        }
        return method.equals("GET") ? Level.VIEWER : Level.ADMIN;
    }

    @LocalServerPort
    int port;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    final HttpClient client = HttpClient.newHttpClient();
    final Map<Level, String> tokens = new EnumMap<>(Level.class);
    final Map<Level, BrowserSession> browsers = new EnumMap<>(Level.class);
    final Map<Level, String> csrf = new EnumMap<>(Level.class);

    List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                for (RequestMethod m : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    out.add(new Endpoint(m.name(), pattern, expected(m.name(), pattern)));
                }
            }
        }
        return out;
    }

    @BeforeEach
    void callers() throws Exception {
        tokens.put(Level.ADMIN, Http.newToken(port, TestUsers.adminBasic(), "admin"));
        for (Level level : List.of(Level.VIEWER, Level.OPERATOR)) {
            String name = "es-" + level.name().toLowerCase();
            String password = TestUsers.ensure(users, name, level.name().toLowerCase());
            tokens.put(level, Http.newToken(port, TestUsers.basic(name, password), level.name().toLowerCase()));
        }
        for (Level level : List.of(Level.VIEWER, Level.OPERATOR, Level.ADMIN)) {
            BrowserSession b = new BrowserSession(port);
            String name = level == Level.ADMIN ? TestUsers.ADMIN : "es-" + level.name().toLowerCase();
            b.login(name, level == Level.ADMIN ? TestUsers.ADMIN_PASSWORD : TestUsers.passwordOf(name));
            browsers.put(level, b);
            csrf.put(level, BrowserSession.csrfToken(b.get("/login").body()));
        }
    }

    @Test
    void everyEndpointIsCoveredAndTheListIsPlausible() {
        List<Endpoint> all = endpoints();
        Set<String> seen = new TreeSet<>();
        all.forEach(e -> seen.add(e.toString()));
        assertThat(seen).contains("POST /api/v1/clusters", "GET /api/v1/events", "POST /api/v1/tokens", "DELETE /api/v1/users/{username}",
                "POST " + RS + "/{id}/drain", "GET /ui/clusters", "POST /ui/import");
        assertThat(all).filteredOn(e -> e.level() == Level.OPERATOR).hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void apiEndpointsRefuseMissingWrongRevokedAndExpiredCredentials() throws Exception {
        String revoked = Http.newToken(port, TestUsers.adminBasic(), "admin");
        Http admin = new Http(port, "Bearer " + tokens.get(Level.ADMIN));
        long revokedId = admin.get("/api/v1/tokens?size=500").body().get("content").valueStream()
                .filter(t -> t.get("name").asString().startsWith("test-admin")).mapToLong(t -> t.get("id").asLong()).max().orElseThrow();
        assertThat(admin.delete("/api/v1/tokens/" + revokedId).status()).isEqualTo(204);
        String expired = Http.newToken(port, TestUsers.adminBasic(), "admin");
        assertThat(jdbc.update("UPDATE api_token SET expires_at = ? WHERE token_hash = ?", java.sql.Timestamp.from(Instant.now().minusSeconds(1)),
                TokenService.hash(expired))).isEqualTo(1);

        Map<String, String> wrong = Map.of("none", "", "unknown token", "Bearer lvscp_" + "x".repeat(43), "not a token", "Bearer nonsense",
                "revoked token", "Bearer " + revoked, "expired token", "Bearer " + expired);
        int checked = 0;
        for (Endpoint e : endpoints()) {
            if (!e.api()) {
                continue;
            }
            for (Map.Entry<String, String> w : wrong.entrySet()) {
                HttpResponse<String> r = api(e, w.getValue());
                assertThat(r.statusCode()).as(e + " with " + w.getKey() + ": " + r.body()).isEqualTo(401);
                assertThat(r.headers().allValues("WWW-Authenticate")).as(e.toString()).anySatisfy(h -> assertThat(h).startsWith("Bearer"));
                assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void apiEndpointsRefuseWeakRolesAndLetTheRightOnesThrough() throws Exception {
        for (Endpoint e : endpoints()) {
            if (!e.api()) {
                continue;
            }
            for (Level caller : List.of(Level.VIEWER, Level.OPERATOR, Level.ADMIN)) {
                HttpResponse<String> r = api(e, e.path(caller == Level.ADMIN ? TestUsers.ADMIN : "es-" + caller.name().toLowerCase()),
                        "Bearer " + tokens.get(caller));
                if (caller.compareTo(e.level()) >= 0) {
                    assertThat(r.statusCode()).as(caller + " on " + e + " (needs " + e.level() + "): " + r.body()).isNotIn(401, 403);
                } else {
                    assertThat(r.statusCode()).as(caller + " on " + e + " (needs " + e.level() + ")").isEqualTo(403);
                    assertThat(r.body()).contains("urn:lvscp:problem:forbidden");
                }
            }
        }
    }

    @Test
    void webPagesSendStrangersToTheLoginPageAndRefuseWeakRoles() throws Exception {
        for (Endpoint e : endpoints()) {
            if (e.api()) {
                continue;
            }
            BrowserSession stranger = new BrowserSession(port);
            HttpResponse<String> anon = web(stranger, e, stranger.get("/login").body());
            if (e.level() == Level.PUBLIC) {
                assertThat(anon.statusCode()).as(e.toString()).isNotIn(401, 403);
                continue;
            }
            assertThat(anon.statusCode()).as("stranger on " + e).isEqualTo(302);
            assertThat(anon.headers().firstValue("Location")).as(e.toString()).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
            for (Level caller : List.of(Level.VIEWER, Level.OPERATOR, Level.ADMIN)) {
                HttpResponse<String> r = web(browsers.get(caller), e, null, csrf.get(caller));
                if (caller.compareTo(e.level()) >= 0) {
                    assertThat(r.statusCode()).as(caller + " on " + e).isNotIn(401, 403);
                    assertThat(r.headers().firstValue("Location").orElse("")).as(caller + " on " + e).doesNotEndWith("/login");
                } else {
                    assertThat(r.statusCode()).as(caller + " on " + e + " (needs " + e.level() + ")").isEqualTo(403);
                }
            }
        }
    }

    @Test
    void actuatorHealthAndPrometheusAreOpenTheRestNeedsAdmin() throws Exception {
        Endpoint health = new Endpoint("GET", "/actuator/health/liveness", Level.PUBLIC);
        assertThat(api(health, "").statusCode()).isEqualTo(200);
        assertThat(api(new Endpoint("GET", "/actuator/health/readiness", Level.PUBLIC), "").statusCode()).isEqualTo(200);
        assertThat(api(new Endpoint("GET", "/actuator/prometheus", Level.PUBLIC), "").statusCode()).isEqualTo(200);
        for (String path : List.of("/actuator", "/actuator/info")) {
            Endpoint e = new Endpoint("GET", path, Level.ADMIN);
            assertThat(api(e, "").statusCode()).as(path).isEqualTo(401);
            assertThat(api(e, "Bearer " + tokens.get(Level.OPERATOR)).statusCode()).as(path).isEqualTo(403);
            assertThat(api(e, "Bearer " + tokens.get(Level.ADMIN)).statusCode()).as(path).isEqualTo(200);
            assertThat(api(e, TestUsers.adminBasic()).statusCode()).as(path).isEqualTo(200);
        }
    }

    HttpResponse<String> api(Endpoint e, String authorization) throws Exception {
        return api(e, e.path(), authorization);
    }

    HttpResponse<String> api(Endpoint e, String path, String authorization) throws Exception {
        boolean body = !e.method().equals("GET") && !e.method().equals("DELETE");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(e.method(), body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                .header("Accept", e.api() ? "application/json, application/problem+json" : "*/*");
        if (body) {
            b.header("Content-Type", e.method().equals("PATCH") ? "application/merge-patch+json" : "application/json");
        }
        if (!authorization.isEmpty()) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> web(BrowserSession browser, Endpoint e, String loginPage) throws Exception {
        return web(browser, e, loginPage, BrowserSession.csrfToken(loginPage));
    }

    HttpResponse<String> web(BrowserSession browser, Endpoint e, String unused, String csrfToken) throws Exception {
        if (e.method().equals("GET")) {
            return browser.get(e.path());
        }
        return browser.postForm(e.path(), "_csrf=" + BrowserSession.enc(csrfToken));
    }
}
