package io.lvscp.api;

import static io.lvscp.api.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13: the API refuses every bad request cleanly, over real HTTP on H2 (the same
 * application context as {@link H2ApiTests} and {@link ApiFuzzTests}): a 400 (or 401, 404,
 * 405, 406, 413, 415) problem naming the field, never a 500, never another content type, and
 * nothing written.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:api;DB_CLOSE_DELAY=-1",
        "spring.jpa.hibernate.ddl-auto=validate",
        "lvs.node-name=lvs1-local",
        "lvs.dataplane=dry-run",
        "lvs.reconcile.poll-interval=50ms"})
class ApiHardeningTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBLEM = "application/problem+json";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    Http http;
    String token;
    String c;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void setUp() {
        http = Http.admin(port);
        c = "hard-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A raw exchange: status, Content-Type and body. */
    record Raw(int status, String contentType, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
        }
    }

    Raw send(String method, String pathAndQuery, String contentType, byte[] body, String authorization, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Raw(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    Raw admin(String method, String path, String contentType, String body) throws Exception {
        return send(method, path, contentType, body == null ? null : body.getBytes(StandardCharsets.UTF_8), bearer());
    }

    String bearer() {
        if (token == null) {
            token = "Bearer " + Http.newToken(port, TestUsers.adminBasic(), "admin");
        }
        return token;
    }

    long writes() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM event", Long.class) + 1000L * jdbc.queryForObject(
                "SELECT generation FROM config_state WHERE id = 1", Long.class);
    }

    /** A problem with this status, naming the field (when given), and nothing written. */
    Raw problem(Raw r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.contentType()).as(r.toString()).startsWith(PROBLEM);
        JsonNode body = r.json();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("type").asString()).startsWith("urn:lvscp:problem:");
        if (field != null) {
            java.util.List<String> fields = new java.util.ArrayList<>();
            body.path("errors").forEach(e -> fields.add(e.get("field").asString()));
            assertThat(fields).as(r.toString()).contains(field);
            assertThat(body.get("detail").asString()).contains(field);
        }
        return r;
    }

    Raw refused(String method, String path, String contentType, String body, int status, String field) throws Exception {
        bearer();
        long before = writes();
        Raw r = problem(admin(method, path, contentType, body), status, field);
        assertThat(writes()).as("nothing written by " + method + " " + path).isEqualTo(before);
        return r;
    }

    void cluster() throws Exception {
        assertThat(admin("POST", "/api/v1/clusters", "application/json", json("{'name':'" + c + "'}")).status()).isEqualTo(201);
        for (String node : new String[] {c + "-a", c + "-b"}) {
            assertThat(admin("POST", "/api/v1/clusters/" + c + "/directors", "application/json",
                    json("{'nodeName':'" + node + "','managementAddress':'10.0.0." + (node.endsWith("a") ? 1 : 2)
                            + "','interfaceName':'eth0'}")).status()).isEqualTo(201);
        }
    }

    String instance(int vrid, String extra) {
        return json("{'name':'vi_1','vrid':" + vrid + ",'interfaceName':'eth0','vrrpVersion':2,'advertInterval':1,"
                + "'priorities':[{'director':'" + c + "-a','priority':100},{'director':'" + c + "-b','priority':99}],"
                + "'vips':[{'address':'172.18.42.42','device':'eth0','label':'eth0:1'}]" + extra + "}");
    }

    long virtualServer() throws Exception {
        cluster();
        assertThat(admin("POST", "/api/v1/clusters/" + c + "/vrrp-instances", "application/json", instance(110, "")).status())
                .isEqualTo(201);
        Raw vs = admin("POST", "/api/v1/clusters/" + c + "/virtual-servers", "application/json",
                json("{'vrrpInstance':'vi_1','vip':'172.18.42.42','port':80,'protocol':'TCP','scheduler':'rr','forwarding':'DR'}"));
        assertThat(vs.status()).as(vs.toString()).isEqualTo(201);
        return vs.json().get("id").asLong();
    }

    // ---- passwords ---------------------------------------------------------------------------

    @Test
    void aPasswordOverBcryptsSeventyTwoBytesIsRefusedWithAReason() throws Exception {
        String ascii73 = "a".repeat(73);
        String utf8Over = "\u00e9".repeat(37); // 37 characters, 74 bytes
        for (String pw : new String[] {ascii73, utf8Over}) {
            Raw r = refused("POST", "/api/v1/users", "application/json",
                    JSON.writeValueAsString(java.util.Map.of("username", "long-" + pw.length(), "password", pw, "role", "viewer")), 400,
                    "password");
            assertThat(r.json().get("detail").asString()).contains("72 bytes");
            assertThat(r.body()).doesNotContain(pw);
            refused("PUT", "/api/v1/users/admin/password", "application/json",
                    JSON.writeValueAsString(java.util.Map.of("newPassword", pw)), 400, "newPassword");
        }
        // exactly 72 bytes is fine
        Raw ok = admin("POST", "/api/v1/users", "application/json", JSON.writeValueAsString(
                java.util.Map.of("username", "pw72-" + c, "password", "b".repeat(72), "role", "viewer")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    }

    @Test
    void basicAuthNeverAcceptsTwoDifferentPasswords() throws Exception {
        String user = "twins-" + c;
        String pw72 = "p".repeat(72);
        assertThat(admin("POST", "/api/v1/users", "application/json",
                JSON.writeValueAsString(java.util.Map.of("username", user, "password", pw72, "role", "viewer"))).status()).isEqualTo(201);
        assertThat(send("GET", "/api/v1/clusters", null, null, TestUsers.basic(user, pw72)).status()).isEqualTo(200);
        // bcrypt alone would accept this one: its first 72 bytes are the password
        problem(send("GET", "/api/v1/clusters", null, null, TestUsers.basic(user, pw72 + "x")), 401, null);
        assertThat(send("GET", "/api/v1/clusters", null, null, TestUsers.basic(user, pw72)).status()).isEqualTo(200);
    }

    // ---- tokens ------------------------------------------------------------------------------

    @Test
    void expiresAtMustBeAValidFutureInstant() throws Exception {
        for (String bad : new String[] {"\"\"", "\" \"", "\"garbage\"", "\"null\"", "\"2001-01-01T00:00:00Z\"", "true", "{}", "[]",
                "\"2030-13-01T00:00:00Z\""}) {
            refused("POST", "/api/v1/tokens", "application/json", "{\"name\":\"exp\",\"expiresAt\":" + bad + "}", 400, "expiresAt");
        }
        Raw never = admin("POST", "/api/v1/tokens", "application/json", "{\"name\":\"no-expiry\"}");
        assertThat(never.status()).isEqualTo(201);
        assertThat(never.json().get("expiresAt").isNull()).isTrue();
    }

    // ---- strict JSON -------------------------------------------------------------------------

    @Test
    void valuesOfTheWrongTypeAreRefusedNotCoerced() throws Exception {
        long vs = virtualServer();
        String rs = "/api/v1/clusters/" + c + "/virtual-servers/" + vs + "/real-servers";
        refused("POST", rs, "application/json", json("{'address':'172.18.42.111','weight':1.5}"), 400, "weight");
        refused("POST", rs, "application/json", json("{'address':'172.18.42.111','weight':'5'}"), 400, "weight");
        refused("POST", rs, "application/json", json("{'address':'172.18.42.111','inhibitOnFailure':-1}"), 400, "inhibitOnFailure");
        refused("POST", rs, "application/json", json("{'address':'172.18.42.111','inhibitOnFailure':'true'}"), 400, "inhibitOnFailure");
        refused("POST", rs, "application/json", json("{'address':1}"), 400, "address");
        refused("POST", rs, "application/json", json("{'address':'172.18.42.111','healthCheck':{'type':'TCP_CHECK','path':true}}"), 400,
                "healthCheck.path");
        refused("POST", rs, "application/json", json("{'address':'172.18.42.111','weight':1,'weight':2}"), 400, "weight");
        refused("POST", rs, "application/json",
                json("{'address':'172.18.42.111','healthCheck':{'type':'TCP_CHECK','type':'HTTP_GET'}}"), 400, "healthCheck.type");
        refused("POST", rs, "application/json", json("{'address':'172.18.42.111','weight':99999999999999999999}"), 400, "weight");
        refused("POST", "/api/v1/clusters/" + c + "/vrrp-instances", "application/json", instance(0, "").replace("\"vrid\":0", "\"vrid\":1.5"),
                400, "vrid");
        refused("POST", "/api/v1/users", "application/json", json("{'username':'u-" + c + "','password':'a-long-passphrase',"
                + "'role':'viewer','enabled':-1}"), 400, "enabled");
        refused("POST", "/api/v1/clusters", "application/json", json("{'name':5}"), 400, "name");
        refused("POST", "/api/v1/clusters", "application/json", json("{'name':'x" + c + "','description':true}"), 400, "description");
        refused("PATCH", "/api/v1/clusters/" + c, "application/merge-patch+json", json("{'description':1.5}"), 400, "description");
        refused("PATCH", rs.replace("/real-servers", ""), "application/merge-patch+json", json("{'port':80.5}"), 400, "port");
        refused("PATCH", rs.replace("/real-servers", ""), "application/merge-patch+json", json("{'delayLoop':6,'delayLoop':7}"), 400,
                "delayLoop");
    }

    @Test
    void aSorryServerWithoutAnAddressIsRefusedNotDropped() throws Exception {
        long vs = virtualServer();
        String path = "/api/v1/clusters/" + c + "/virtual-servers/" + vs;
        refused("PATCH", path, "application/merge-patch+json", json("{'sorryServer':{'port':-1}}"), 400, "sorryServer.address");
        refused("PATCH", path, "application/merge-patch+json", json("{'sorryServer':{'port':8080}}"), 400, "sorryServer.address");
        refused("PATCH", path, "application/merge-patch+json", json("{'sorryServer':{'address':'172.18.42.9','port':-1}}"), 400,
                "sorryServer.port");
        Raw ok = admin("PATCH", path, "application/merge-patch+json", json("{'sorryServer':{'address':'172.18.42.9','port':8080}}"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("sorryServer").get("port").asInt()).isEqualTo(8080);
    }

    @Test
    void textRefusesControlAndBidiOverrideCharacters() throws Exception {
        long vs = virtualServer();
        for (String bad : new String[] {"\\u0000", "\\u001b[31m", "\\u202e", "\\u2066", "\\u0085", "\\u007f", "\\n", "\\t"}) {
            refused("POST", "/api/v1/clusters", "application/json", "{\"name\":\"n" + bad + "x\"}", 400, "name");
            refused("PATCH", "/api/v1/clusters/" + c, "application/merge-patch+json", "{\"description\":\"d" + bad + "\"}", 400,
                    "description");
            refused("POST", "/api/v1/users", "application/json",
                    "{\"username\":\"u" + bad + "\",\"password\":\"a-long-passphrase\",\"role\":\"viewer\"}", 400, "username");
            refused("POST", "/api/v1/tokens", "application/json", "{\"name\":\"t" + bad + "\"}", 400, "name");
            refused("PATCH", "/api/v1/clusters/" + c + "/vrrp-instances/vi_1", "application/merge-patch+json",
                    "{\"vips\":[{\"address\":\"172.18.42.42\",\"device\":\"eth0\",\"label\":\"eth0:" + bad + "\"}]}", 400, "vips[0].label");
            refused("POST", "/api/v1/clusters/" + c + "/virtual-servers/" + vs + "/real-servers", "application/json",
                    "{\"address\":\"172.18.42.111\",\"healthCheck\":{\"type\":\"HTTP_GET\",\"path\":\"/" + bad + "\"}}", 400,
                    "healthCheck.path");
        }
        Raw r = refused("POST", "/api/v1/clusters", "application/json", "{\"name\":\"evil\\u202etxt.exe\"}", 400, "name");
        assertThat(r.body()).doesNotContain("\u202e").contains("U+202E");
        // ordinary non-ASCII text is fine
        Raw ok = admin("PATCH", "/api/v1/clusters/" + c, "application/merge-patch+json", "{\"description\":\"Zürich – 東京\"}");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    }

    @Test
    void pagingAndFilterParametersAreChecked() throws Exception {
        for (String list : new String[] {"/api/v1/clusters", "/api/v1/events", "/api/v1/users", "/api/v1/tokens"}) {
            problem(admin("GET", list + "?size=-1", null, null), 400, "size");
            problem(admin("GET", list + "?size=0", null, null), 400, "size");
            problem(admin("GET", list + "?size=501", null, null), 400, "size");
            problem(admin("GET", list + "?size=abc", null, null), 400, "size");
            problem(admin("GET", list + "?page=-1", null, null), 400, "page");
            problem(admin("GET", list + "?page=x", null, null), 400, "page");
            assertThat(admin("GET", list + "?page=0&size=10", null, null).status()).isEqualTo(200);
        }
        problem(admin("GET", "/api/v1/events?kind=BOGUS", null, null), 400, "kind");
        assertThat(admin("GET", "/api/v1/events?kind=CONFIG_CHANGE", null, null).status()).isEqualTo(200);
    }

    // ---- every error is a problem ------------------------------------------------------------

    @Test
    void errorsOutsideTheControllersAreProblemsToo() throws Exception {
        cluster();
        problem(admin("GET", "/api/v1/no-such-thing", null, null), 404, null);
        // a browser's Accept header does not turn an API error into an HTML page
        problem(send("GET", "/api/v1/no-such-thing", null, null, bearer(), "Accept", "text/html,application/xhtml+xml"), 404, null);
        problem(send("DELETE", "/api/v1/clusters", null, null, bearer(), "Accept", "text/html"), 405, null);
        problem(admin("GET", "/actuator/no-such-endpoint", null, null), 404, null);
        problem(admin("DELETE", "/api/v1/clusters", null, null), 405, null);
        problem(send("GET", "/api/v1/clusters", null, null, bearer(), "Accept", "application/xml"), 406, null);
        // PATCH with a wrong or no Content-Type (a 415 from the handler mapping, not from a controller)
        refused("PATCH", "/api/v1/clusters/" + c, "text/plain", "{}", 415, null);
        refused("PATCH", "/api/v1/clusters/" + c, null, "{}", 415, null);
        refused("POST", "/api/v1/clusters", "text/plain", "{}", 415, null);
        // multipart without a boundary, and truncated
        refused("POST", "/api/v1/import/keepalived?cluster=" + c, "multipart/form-data", "abc", 400, null);
        refused("POST", "/api/v1/import/keepalived?cluster=" + c, "multipart/form-data; boundary=XX",
                "--XX\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.conf\"\r\n\r\nabc", 400, null);
        // rejected by Tomcat or the firewall before any servlet
        problem(admin("GET", "/api/v1/clusters/a%2Fb", null, null), 400, null);
        problem(admin("GET", "/api/v1/clusters/a%00b", null, null), 400, null);
        problem(admin("GET", "/api/v1/clusters/a%3Bb", null, null), 400, null);
        problem(admin("GET", "/api/v1/clusters?q=" + "a".repeat(100_000), null, null), 400, null);
        problem(admin("GET", "/api/v1/clusters/" + c + "/virtual-servers/not-a-number", null, null), 400, null);
        // the security filter chains
        problem(send("GET", "/api/v1/clusters", null, null, null), 401, null);
        problem(send("GET", "/actuator/info", null, null, "Bearer lvscp_wrong"), 401, null);
        String viewer = "Bearer " + Http.newToken(port, bearer(), "viewer");
        problem(send("POST", "/api/v1/clusters", "application/json", json("{'name':'v" + c + "'}").getBytes(), viewer), 403, null);
        problem(send("GET", "/actuator/env", null, null, viewer), 403, null);
        // invalid JSON and an empty body
        refused("POST", "/api/v1/clusters", "application/json", "{\"name\":", 400, null);
        refused("POST", "/api/v1/clusters", "application/json", "", 400, null);
    }

    @Test
    void openEndpointsIgnoreCredentials() throws Exception {
        for (String path : new String[] {"/actuator/health", "/actuator/health/liveness", "/actuator/prometheus"}) {
            for (String auth : new String[] {null, "Bearer lvscp_expired-or-unknown", "Bearer junk", TestUsers.basic("admin", "wrong"),
                    TestUsers.basic("nobody", "x"), "Basic !!!", bearer()}) {
                Raw r = send("GET", path, null, null, auth);
                assertThat(r.status()).as(path + " with " + auth + ": " + r).isEqualTo(200);
            }
        }
    }

    // ---- import size ---------------------------------------------------------------------------

    @Test
    void anImportOverTheSizeLimitIsA413Problem() throws Exception {
        cluster();
        bearer();
        byte[] big = new byte[4 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) '#');
        long before = writes();
        Raw text = send("POST", "/api/v1/import/keepalived?dryRun=true&cluster=" + c, "text/plain", big, bearer());
        problem(text, 413, "body");
        assertThat(text.json().get("detail").asString()).contains("lvs.importer.max-size");
        String boundary = "b0undary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"k.conf\"\r\n"
                + "Content-Type: text/plain\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] multipart = new byte[head.length + big.length + tail.length];
        System.arraycopy(head, 0, multipart, 0, head.length);
        System.arraycopy(big, 0, multipart, head.length, big.length);
        System.arraycopy(tail, 0, multipart, head.length + big.length, tail.length);
        problem(send("POST", "/api/v1/import/keepalived?dryRun=true&cluster=" + c, "multipart/form-data; boundary=" + boundary, multipart,
                bearer()), 413, null);
        assertThat(writes()).isEqualTo(before);
        // an empty text body is a 400 naming it
        refused("POST", "/api/v1/import/keepalived?dryRun=true&cluster=" + c, "text/plain", "", 400, "body");
        // file names are text too
        refused("POST", "/api/v1/import/keepalived?cluster=" + c + "&file=a%1Bb.conf", "text/plain", "global_defs {\n}\n", 400, "file");
        refused("POST", "/api/v1/import/keepalived?cluster=" + c, "multipart/form-data; boundary=XX",
                "--XX\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\u202eb.conf\"\r\n\r\nglobal_defs {\n}\n\r\n--XX--\r\n",
                400, "files");
    }
}
