package io.lvscp.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.TestUsers;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 13's fuzz, kept: bad requests generated from the service's own OpenAPI description
 * ({@code /v3/api-docs}, read over HTTP from the running application, H2), sent to every write
 * operation (POST, PUT, PATCH, DELETE) over real HTTP. For each operation: every role (none, a
 * wrong token, wrong Basic, viewer, operator, admin), bad path parameters, wrong content types,
 * bodies that are not JSON or not an object, duplicate and unknown keys, and for every property
 * of the request schema (and of its nested objects and lists) values of the wrong type, floats
 * for whole numbers, huge and negative numbers, empty and blank strings, control and bidi
 * characters, oversize text, null, and the property left out.
 *
 * <p>Asserted for every response: no status of 500 or more; every error is
 * {@code application/problem+json} with its status; and after every refusal the stored
 * configuration (every configuration table, the users, the tokens, the configuration events and
 * the generation counter, read over JDBC) is exactly what it was before. Deterministic (fixed
 * inputs, fixed seed); the counts are printed for the record.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:api;DB_CLOSE_DELAY=-1",
        "spring.jpa.hibernate.ddl-auto=validate",
        "lvs.node-name=lvs1-local",
        "lvs.dataplane=dry-run",
        "lvs.reconcile.poll-interval=50ms"})
class ApiFuzzTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final long SEED = 13;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Random random = new Random(SEED);
    private final Map<Integer, Integer> byStatus = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int requests;
    private int refusals;
    private int wrongPasswords;
    private long snapshotNanos;
    private String snapshot;

    // the seed every operation points at
    private final String cluster = "fuzz-c";
    private String node1;
    private String vsId;
    private String rsId;
    private String tokenId;
    private final String victim = "fuzz-victim";
    private final Map<String, String> roles = new LinkedHashMap<>();

    // ---- the run ---------------------------------------------------------------------------------

    @Test
    void everyWriteOperationRefusesBadRequestsCleanly() throws Exception {
        long t0 = System.nanoTime();
        seed();
        JsonNode docs = JSON.readTree(raw("GET", "/v3/api-docs", null, null, null).body());
        JsonNode schemas = docs.path("components").path("schemas");
        int operations = 0;
        snapshot = snapshot();
        for (Map.Entry<String, JsonNode> path : docs.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                operations++;
                fuzz(method, path.getKey(), op.getValue(), schemas);
            }
        }
        // a right password resets the brake's count for this address, for the tests that share this application
        Http.newToken(port, TestUsers.adminBasic(), "viewer");
        int errors = byStatus.entrySet().stream().filter(e -> e.getKey() >= 400).mapToInt(Map.Entry::getValue).sum();
        System.out.printf("ApiFuzzTests: %d write operations, %d requests, %d error responses (%d refusals checked for unchanged data),"
                + " by status %s, %d failures; %.1f s (%.1f s of it reading the stored data)%n", operations, requests, errors, refusals,
                byStatus, failures.size(), (System.nanoTime() - t0) / 1e9, snapshotNanos / 1e9);
        assertThat(operations).as("write operations in /v3/api-docs").isGreaterThanOrEqualTo(25);
        assertThat(failures).as("failures (first 50 of " + failures.size() + ")").hasSizeLessThanOrEqualTo(0);
    }

    private void fuzz(String method, String template, JsonNode op, JsonNode schemas) throws Exception {
        String path = fill(template, Map.of());
        JsonNode content = op.path("requestBody").path("content");
        if (template.equals("/api/v1/import/keepalived")) {
            fuzzImport();
            return;
        }
        String contentType = content.has("application/json") ? "application/json" : null;
        JsonNode schema = contentType == null ? null : resolve(content.get("application/json").path("schema"), schemas);
        ObjectNode base = base(template, method);
        boolean destructive = method.equals("DELETE") || template.endsWith("/enable") || template.endsWith("/disable")
                || template.endsWith("/drain");

        // each role, with an empty object and with a sensible body
        for (Map.Entry<String, String> role : roles.entrySet()) {
            if (destructive && role.getKey().equals("admin")) {
                continue; // would succeed and remove the seed
            }
            if (role.getKey().equals("wrong password") && wrongPasswords++ >= 6) {
                continue; // the login brake locks the address after a few (LoginThrottle); its 429 is tested elsewhere
            }
            check(method, path, contentType, contentType == null ? null : "{}", role.getValue(), "role " + role.getKey() + ", {}");
            if (contentType != null) {
                check(method, path, contentType, base.toString(), role.getValue(), "role " + role.getKey() + ", base body");
            }
        }
        String admin = roles.get("admin");
        // bad path parameters
        for (String param : params(template)) {
            for (String bad : List.of("%2F", "a%00b", "%E2%80%AE", "-1", "0", "99999999999999999999", "abc", "x".repeat(3000), "%25",
                    "..", "a%3Bb", "%20", "%C0%AF")) {
                String p = fill(template, Map.of(param, bad));
                check(method, p, contentType, contentType == null ? null : base.toString(), admin, "path " + param + "=" + shorten(bad));
            }
        }
        if (contentType == null) {
            return;
        }
        // content types
        for (String ct : new String[] {"text/plain", "application/xml", null, "multipart/form-data", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded", "application/json; charset=bogus", "*/*", "application/octet-stream"}) {
            check(method, path, ct, base.toString(), admin, "content type " + ct);
        }
        // bodies that are not a JSON object
        String firstKey = base.properties().isEmpty() ? "name" : base.properties().iterator().next().getKey();
        for (String body : new String[] {"", " ", "{", "}", "[]", "null", "\"x\"", "5", "true", "{\"a\":}", "{'a':1}", "{\"a\":1,}",
                "{\"" + firstKey + "\":1,\"" + firstKey + "\":2}", base.toString().replaceFirst("\\{", "{\"" + firstKey + "\":null,"),
                "\u0000", "{\"x\":\"\\ud800\"}", "[".repeat(5000) + "]".repeat(5000), "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}",
                junk(200), junk(5000)}) {
            check(method, path, contentType, body, admin, "body " + shorten(body));
        }
        // unknown field
        ObjectNode unknown = base.deepCopy();
        unknown.put("bogusField", 1);
        check(method, path, contentType, unknown.toString(), admin, "unknown field");
        if (schema == null || !schema.has("properties")) {
            return;
        }
        // every property: left out, and each bad value of its kind
        for (Map.Entry<String, JsonNode> prop : schema.get("properties").properties()) {
            String name = prop.getKey();
            if (base.has(name)) {
                ObjectNode without = base.deepCopy();
                without.remove(name);
                check(method, path, contentType, without.toString(), admin, "without " + name);
            }
            for (JsonNode bad : badValues(resolve(prop.getValue(), schemas), schemas, 0)) {
                ObjectNode body = base.deepCopy();
                body.set(name, bad);
                check(method, path, contentType, body.toString(), admin, name + "=" + shorten(bad.toString()));
            }
            // the same key twice
            String dup = base.toString().replaceFirst("\\{", "{\"" + name + "\":" + sample(resolve(prop.getValue(), schemas)) + ",");
            if (base.has(name)) {
                check(method, path, contentType, dup, admin, "duplicate " + name);
            }
        }
    }

    /** The import: text and multipart bodies, its query parameters, oversize. */
    private void fuzzImport() throws Exception {
        String admin = roles.get("admin");
        String p = "/api/v1/import/keepalived?cluster=fuzz-import";
        for (Map.Entry<String, String> role : roles.entrySet()) {
            if (!role.getKey().equals("admin")) {
                check("POST", p, "text/plain", "virtual_server 10.0.0.1 80 {\n}\n", role.getValue(), "import as " + role.getKey());
            }
        }
        for (String q : new String[] {"", "?cluster=", "?cluster=a%00b", "?cluster=%E2%80%AE", "?cluster=fuzz-import&dryRun=abc",
                "?cluster=fuzz-import&directors=nonsense", "?cluster=fuzz-import&directors=a=b", "?cluster=" + "x".repeat(3000)}) {
            check("POST", "/api/v1/import/keepalived" + q, "text/plain", "global_defs {\n}\n", admin, "import query " + shorten(q));
        }
        for (String body : new String[] {"", "{", "}", "virtual_server {", "\u0000\u0001", "include /etc/passwd\n", junk(3000),
                "vrrp_instance x {\n virtual_router_id 1.5\n}\n", "virtual_server 10.0.0.1 99999 {\n}\n",
                "{".repeat(3000), "virtual_server 10.0.0.1 80 {\n real_server 10.0.0.2 80 {\n weight -5\n }\n}\n"}) {
            check("POST", p, "text/plain", body, admin, "import text " + shorten(body));
        }
        check("POST", p, "text/plain", "#".repeat(4 * 1024 * 1024 + 1), admin, "import text over the limit");
        for (String ct : new String[] {"multipart/form-data", "multipart/form-data; boundary=XX", "multipart/form-data; boundary=",
                "application/json", "application/xml", null}) {
            check("POST", p, ct, "--XX\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.conf\"\r\n\r\nabc", admin,
                    "import content type " + ct);
        }
        check("POST", p, "multipart/form-data; boundary=XX",
                "--XX\r\nContent-Disposition: form-data; name=\"files\"\r\n\r\nabc\r\n--XX--\r\n", admin, "import part without file name");
        check("POST", p, "multipart/form-data; boundary=XX",
                "--XX\r\nContent-Disposition: form-data; name=\"other\"; filename=\"a\"\r\n\r\nabc\r\n--XX--\r\n", admin,
                "import without files part");
        check("POST", p, "multipart/form-data; boundary=XX", "--XX\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\"\r\n"
                + "\r\n" + "#".repeat(4 * 1024 * 1024 + 1) + "\r\n--XX--\r\n", admin, "import multipart over the limit");
    }

    // ---- one request ------------------------------------------------------------------------------

    private void check(String method, String path, String contentType, String body, String authorization, String what)
            throws Exception {
        HttpResponse<String> r;
        try {
            r = raw(method, path, contentType, body, authorization);
        } catch (java.io.IOException e) {
            fail(method, path, what, "no answer: " + e);
            return;
        }
        requests++;
        int status = r.statusCode();
        byStatus.merge(status, 1, Integer::sum);
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            fail(method, path, what, status + " " + shorten(r.body()));
        }
        if (status >= 400) {
            refusals++;
            if (!type.startsWith("application/problem+json")) {
                fail(method, path, what, status + " with Content-Type '" + type + "': " + shorten(r.body()));
            } else {
                try {
                    JsonNode problem = JSON.readTree(r.body());
                    if (problem.path("status").asInt() != status || !problem.path("type").asString("").startsWith("urn:lvscp:problem:")) {
                        fail(method, path, what, "problem without its status or type: " + shorten(r.body()));
                    }
                } catch (RuntimeException e) {
                    fail(method, path, what, "problem body is not JSON: " + shorten(r.body()));
                }
            }
            String after = snapshot();
            if (!after.equals(snapshot)) {
                fail(method, path, what, status + " refused, but stored data changed");
                snapshot = after;
            }
        } else {
            snapshot = snapshot(); // an accepted write: the new state is the reference
        }
    }

    private void fail(String method, String path, String what, String why) {
        String line = method + " " + shorten(path) + " [" + what + "]: " + why;
        if (failures.size() < 50) {
            System.out.println("ApiFuzzTests FAILURE " + line);
        }
        failures.add(line);
    }

    private HttpResponse<String> raw(String method, String path, String contentType, String body, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The stored configuration, as a digest: what a refused request must leave alone. */
    private String snapshot() throws Exception {
        long t0 = System.nanoTime();
        try {
            return digest();
        } finally {
            snapshotNanos += System.nanoTime() - t0;
        }
    }

    private String digest() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (String sql : List.of("SELECT * FROM cluster ORDER BY id", "SELECT * FROM director ORDER BY id",
                "SELECT * FROM vrrp_instance ORDER BY id", "SELECT * FROM vrrp_priority ORDER BY 1, 2",
                "SELECT * FROM vrrp_unicast_peer ORDER BY 1, 2", "SELECT * FROM vrrp_vip ORDER BY 1, 2",
                "SELECT * FROM virtual_server ORDER BY id", "SELECT * FROM real_server ORDER BY id", "SELECT * FROM app_user ORDER BY id",
                "SELECT id, name, owner_id, role, expires_at, revoked_at FROM api_token ORDER BY id",
                "SELECT * FROM config_state", "SELECT COUNT(*), MAX(id) FROM event WHERE kind = 'CONFIG_CHANGE'")) {
            md.update(jdbc.queryForList(sql).toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    // ---- the seed and the bodies -----------------------------------------------------------------

    private void seed() throws Exception {
        String adminBasic = TestUsers.adminBasic();
        String admin = "Bearer " + Http.newToken(port, adminBasic, "admin");
        roles.put("none", null);
        roles.put("wrong token", "Bearer lvscp_not-a-token");
        // a user name nobody has: failed logins count per name and per address (the brake), so few of these are sent
        roles.put("wrong password", TestUsers.basic("fuzz-nobody", "not-the-password"));
        roles.put("viewer", "Bearer " + Http.newToken(port, adminBasic, "viewer"));
        roles.put("operator", "Bearer " + Http.newToken(port, adminBasic, "operator"));
        roles.put("admin", admin);
        Http http = new Http(port, admin);
        node1 = "fuzz-lvs1";
        must(http.post("/api/v1/clusters", "{\"name\":\"" + cluster + "\",\"description\":\"fuzz seed\"}"));
        must(http.post("/api/v1/clusters/" + cluster + "/directors",
                "{\"nodeName\":\"" + node1 + "\",\"managementAddress\":\"10.13.0.1\",\"interfaceName\":\"eth0\"}"));
        must(http.post("/api/v1/clusters/" + cluster + "/directors",
                "{\"nodeName\":\"fuzz-lvs2\",\"managementAddress\":\"10.13.0.2\",\"interfaceName\":\"eth0\"}"));
        must(http.post("/api/v1/clusters/" + cluster + "/vrrp-instances", vrrpInstance("vi_1", 113).toString()));
        vsId = must(http.post("/api/v1/clusters/" + cluster + "/virtual-servers", virtualServer(80).toString())).get("id").asString();
        rsId = must(http.post("/api/v1/clusters/" + cluster + "/virtual-servers/" + vsId + "/real-servers", realServer("10.13.1.1")
                .toString())).get("id").asString();
        must(http.post("/api/v1/users", "{\"username\":\"" + victim + "\",\"password\":\"fuzz-victim-password\",\"role\":\"viewer\"}"));
        tokenId = must(http.post("/api/v1/tokens", "{\"name\":\"fuzz-victim-token\",\"role\":\"viewer\"}")).get("id").asString();
    }

    private static Http.Response must(Http.Response r) {
        if (r.status() / 100 != 2) {
            throw new IllegalStateException("seed failed: " + r);
        }
        return r;
    }

    private ObjectNode vrrpInstance(String name, int vrid) {
        ObjectNode o = JSON.createObjectNode().put("name", name).put("vrid", vrid).put("interfaceName", "eth0").put("vrrpVersion", 2)
                .put("advertInterval", 1).put("authType", "PASS").put("authPassword", "fuzzpass").put("multicastGroup", "224.0.42.20");
        ArrayNode priorities = o.putArray("priorities");
        priorities.addObject().put("director", node1).put("priority", 100);
        priorities.addObject().put("director", "fuzz-lvs2").put("priority", 99);
        o.putArray("vips").addObject().put("address", "10.13.0.42").put("device", "eth0").put("label", "eth0:1");
        return o;
    }

    private static ObjectNode virtualServer(int port) {
        return JSON.createObjectNode().put("vrrpInstance", "vi_1").put("vip", "10.13.0.42").put("port", port).put("protocol", "TCP")
                .put("scheduler", "rr").put("forwarding", "DR").put("delayLoop", 6);
    }

    private static ObjectNode realServer(String address) {
        ObjectNode o = JSON.createObjectNode().put("address", address).put("port", 80).put("weight", 1);
        o.putObject("healthCheck").put("type", "HTTP_GET").put("path", "/").put("statusCodes", "200").put("connectTimeout", 3);
        return o;
    }

    /** A body that would be accepted (or nearly), so each bad value is the only thing wrong. */
    private ObjectNode base(String template, String method) {
        boolean post = method.equals("POST");
        if (template.endsWith("/clusters") || template.endsWith("/clusters/{cluster}")) {
            return JSON.createObjectNode().put("name", post ? "fuzz-new" : cluster).put("description", "d");
        }
        if (template.endsWith("/directors") || template.endsWith("/directors/{director}")) {
            return JSON.createObjectNode().put("nodeName", post ? "fuzz-new-node" : node1).put("managementAddress", "10.13.0.9")
                    .put("interfaceName", "eth0");
        }
        if (template.endsWith("/vrrp-instances") || template.endsWith("/vrrp-instances/{instance}")) {
            return vrrpInstance(post ? "vi_new" : "vi_1", post ? 114 : 113);
        }
        if (template.endsWith("/virtual-servers") || template.endsWith("/virtual-servers/{id}")) {
            return virtualServer(post ? 81 : 80);
        }
        if (template.endsWith("/real-servers") || template.endsWith("/real-servers/{id}")) {
            return realServer(post ? "10.13.1.2" : "10.13.1.1");
        }
        if (template.endsWith("/users")) {
            return JSON.createObjectNode().put("username", "fuzz-new-user").put("password", "a-long-passphrase").put("role", "viewer");
        }
        if (template.endsWith("/users/{username}")) {
            return JSON.createObjectNode().put("role", "viewer").put("enabled", true);
        }
        if (template.endsWith("/password")) {
            return JSON.createObjectNode().put("newPassword", "another-long-passphrase");
        }
        if (template.endsWith("/tokens")) {
            return JSON.createObjectNode().put("name", "fuzz-new-token").put("role", "viewer");
        }
        return JSON.createObjectNode();
    }

    /** Values no property of this schema accepts as they are (some are refused only in context). */
    private List<JsonNode> badValues(JsonNode schema, JsonNode schemas, int depth) {
        List<JsonNode> out = new ArrayList<>();
        String type = schema.path("type").asString("");
        String format = schema.path("format").asString("");
        switch (type) {
            case "integer", "number" -> {
                out.add(NODES.numberNode(1.5));
                out.add(NODES.numberNode(-1));
                out.add(NODES.numberNode(new java.math.BigInteger("99999999999999999999")));
                out.add(NODES.numberNode(2147483648L));
                out.add(NODES.numberNode(1e300));
                out.add(NODES.stringNode("1"));
                out.add(NODES.stringNode(""));
                out.add(NODES.booleanNode(true));
            }
            case "boolean" -> {
                out.add(NODES.numberNode(-1));
                out.add(NODES.numberNode(1));
                out.add(NODES.stringNode("true"));
                out.add(NODES.stringNode(""));
            }
            case "string" -> {
                out.add(NODES.numberNode(5));
                out.add(NODES.numberNode(1.5));
                out.add(NODES.booleanNode(false));
                out.add(NODES.stringNode(""));
                out.add(NODES.stringNode("   "));
                out.add(NODES.stringNode("a\u0000b"));
                out.add(NODES.stringNode("a\u001b[31mb"));
                out.add(NODES.stringNode("a\u202eb"));
                out.add(NODES.stringNode("a\u2067b"));
                out.add(NODES.stringNode("a\u0085b"));
                out.add(NODES.stringNode("x".repeat(70_000)));
                if (format.equals("date-time")) {
                    out.add(NODES.stringNode("garbage"));
                    out.add(NODES.stringNode("2001-01-01T00:00:00Z"));
                    out.add(NODES.stringNode("null"));
                }
            }
            case "array" -> {
                out.add(NODES.stringNode(""));
                out.add(NODES.numberNode(5));
                out.add(NODES.objectNode());
                out.add(NODES.arrayNode().addNull());
                if (depth < 2) {
                    for (JsonNode item : badValues(resolve(schema.path("items"), schemas), schemas, depth + 1)) {
                        out.add(NODES.arrayNode().add(item));
                    }
                }
            }
            default -> {
                if (schema.has("properties")) {
                    out.add(NODES.stringNode(""));
                    out.add(NODES.numberNode(5));
                    out.add(NODES.arrayNode());
                    if (depth < 2) {
                        for (Map.Entry<String, JsonNode> p : schema.get("properties").properties()) {
                            for (JsonNode v : badValues(resolve(p.getValue(), schemas), schemas, depth + 1)) {
                                out.add(NODES.objectNode().set(p.getKey(), v));
                            }
                        }
                    }
                }
            }
        }
        out.add(NODES.nullNode());
        return out;
    }

    private static String sample(JsonNode schema) {
        return switch (schema.path("type").asString("")) {
            case "integer", "number" -> "1";
            case "boolean" -> "true";
            case "string" -> "\"x\"";
            case "array" -> "[]";
            default -> "{}";
        };
    }

    private static JsonNode resolve(JsonNode schema, JsonNode schemas) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            return schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return schema;
    }

    private static List<String> params(String template) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(template);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The path with the seed's values, except the overridden ones (already URL-encoded). */
    private String fill(String template, Map<String, String> overrides) {
        Map<String, Supplier<String>> values = new LinkedHashMap<>();
        values.put("cluster", () -> cluster);
        values.put("director", () -> node1);
        values.put("instance", () -> "vi_1");
        values.put("vs", () -> vsId);
        values.put("username", () -> victim);
        String out = template;
        for (String param : params(template)) {
            String value;
            if (overrides.containsKey(param)) {
                value = overrides.get(param);
            } else if (param.equals("id")) {
                value = template.contains("/real-servers/") ? rsId : template.contains("/tokens/") ? tokenId : vsId;
            } else {
                value = URLEncoder.encode(values.getOrDefault(param, () -> "x").get(), StandardCharsets.UTF_8);
            }
            out = out.replace("{" + param + "}", value);
        }
        return out;
    }

    private String junk(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String shorten(String s) {
        if (s == null) {
            return "null";
        }
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 120 ? printable.substring(0, 120) + "...(" + s.length() + " chars)" : printable;
    }
}
