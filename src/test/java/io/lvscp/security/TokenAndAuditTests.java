package io.lvscp.security;

import static io.lvscp.api.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http;
import io.lvscp.api.Http.Response;
import io.lvscp.support.TestUsers;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Users and tokens through the API, end to end: a token works, is stored only as its hash,
 * stops when revoked, its owner disabled, or is capped by its owner's role; who changed what
 * (user, token, address) is in the events; refusals are problem details.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:token-audit;DB_CLOSE_DELAY=-1",
        "lvs.node-name=token-audit-node",
        "lvs.dataplane=dry-run"})
class TokenAndAuditTests {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    Http admin;
    String suffix;
    String alice;
    String alicePassword = "correct horse battery";

    @BeforeEach
    void setUp() {
        admin = Http.admin(port);
        suffix = UUID.randomUUID().toString().substring(0, 8);
        alice = "alice-" + suffix;
        ok(admin.post("/api/v1/users", json("{'username':'" + alice + "','password':'" + alicePassword + "','role':'operator'}")), 201);
    }

    Response ok(Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    Http basicAlice() {
        return new Http(port, TestUsers.basic(alice, alicePassword));
    }

    String token(Http as, String name, String role) {
        return ok(as.post("/api/v1/tokens", json("{'name':'" + name + "'" + (role == null ? "" : ",'role':'" + role + "'") + "}")), 201)
                .get("token").asString();
    }

    /** A cluster with one virtual server and one real server; returns the real server's path. */
    String realServer() {
        String c = "c-" + suffix;
        ok(admin.post("/api/v1/clusters", json("{'name':'" + c + "'}")), 201);
        ok(admin.post("/api/v1/clusters/" + c + "/directors",
                json("{'nodeName':'n-" + suffix + "','managementAddress':'172.18.44.100','interfaceName':'eth0'}")), 201);
        ok(admin.post("/api/v1/clusters/" + c + "/vrrp-instances", json("{'name':'vi_1','vrid':44,'interfaceName':'eth0',"
                + "'priorities':[{'director':'n-" + suffix + "','priority':100}],'vips':[{'address':'172.18.44.42'}]}")), 201);
        long vs = ok(admin.post("/api/v1/clusters/" + c + "/virtual-servers",
                json("{'vrrpInstance':'vi_1','vip':'172.18.44.42','port':80,'protocol':'TCP','scheduler':'rr','forwarding':'DR'}")), 201)
                .get("id").asLong();
        String rs = "/api/v1/clusters/" + c + "/virtual-servers/" + vs + "/real-servers";
        long id = ok(admin.post(rs, json("{'address':'172.18.44.11'}")), 201).get("id").asLong();
        return rs + "/" + id;
    }

    @Test
    void aTokenIsShownOnceStoredHashedUsableAndRevocable() {
        Response created = ok(basicAlice().post("/api/v1/tokens", json("{'name':'ci-deploy'}")), 201);
        String token = created.get("token").asString();
        assertThat(token).startsWith("lvscp_").hasSizeGreaterThan(40);
        assertThat(created.get("role").asString()).as("defaults to the owner's role").isEqualTo("operator");
        long id = created.get("id").asLong();

        Map<String, Object> row = jdbc.queryForMap("SELECT * FROM api_token WHERE id = ?", id);
        assertThat(row.get("TOKEN_HASH")).isEqualTo(TokenService.hash(token));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM api_token WHERE token_hash LIKE ?", Long.class, "%" + token.substring(6, 20) + "%"))
                .isZero();
        assertThat(row.get("LAST_USED_AT")).isNull();

        Http bearer = new Http(port, "Bearer " + token);
        ok(bearer.get("/api/v1/clusters"), 200);
        assertThat(jdbc.queryForMap("SELECT * FROM api_token WHERE id = ?", id).get("LAST_USED_AT")).isNotNull();
        JsonNode listed = ok(bearer.get("/api/v1/tokens"), 200).get("content");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).has("token")).isFalse();
        assertThat(listed.toString()).doesNotContain(token).doesNotContain(TokenService.hash(token));

        ok(bearer.delete("/api/v1/tokens/" + id), 204);
        Response refused = bearer.get("/api/v1/clusters");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.get("detail").asString()).contains("revoked");
        assertThat(ok(admin.get("/api/v1/tokens?owner=" + alice), 200).get("content").get(0).get("revokedAt").isNull()).isFalse();
    }

    @Test
    void theEventOfAChangeNamesTheUserTheTokenAndTheAddress() {
        String rs = realServer();
        String token = token(basicAlice(), "ci-deploy", null);
        ok(new Http(port, "Bearer " + token).post(rs + "/drain", null), 200);
        ok(basicAlice().post(rs + "/enable", null), 200);

        JsonNode events = ok(admin.get("/api/v1/events?kind=CONFIG_CHANGE&size=500"), 200).get("content");
        JsonNode drain = find(events, e -> e.get("summary").asString().contains("draining") || e.get("action").asString().equals("DRAIN"));
        assertThat(drain.get("actor").asString()).isEqualTo(alice + " (token ci-deploy)");
        assertThat(drain.get("source").asString()).isEqualTo("127.0.0.1");
        JsonNode enable = find(events, e -> e.get("actor").asString().equals(alice));
        assertThat(enable.get("source").asString()).isEqualTo("127.0.0.1");
        JsonNode tokenCreated = find(events, e -> e.get("resourceType").asString().equals("token")
                && e.get("summary").asString().equals("created token ci-deploy (operator) for " + alice));
        assertThat(tokenCreated.get("actor").asString()).isEqualTo(alice);
        assertThat(tokenCreated.toString()).doesNotContain(token);
        JsonNode userCreated = find(events, e -> e.get("summary").asString().equals("created user " + alice + " (operator)"));
        assertThat(userCreated.get("actor").asString()).startsWith("admin (token ");
        assertThat(userCreated.toString()).doesNotContain(alicePassword).doesNotContain("{bcrypt}");
    }

    JsonNode find(JsonNode events, java.util.function.Predicate<JsonNode> p) {
        for (JsonNode e : events) {
            if (p.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no such event in " + events);
    }

    @Test
    void aTokenNeverDoesMoreThanItsOwnerMayNow() {
        Response tooHigh = basicAlice().post("/api/v1/tokens", json("{'name':'root','role':'admin'}"));
        assertThat(tooHigh.status()).isEqualTo(400);
        assertThat(tooHigh.errorFields()).containsExactly("role");

        String rs = realServer();
        Http token = new Http(port, "Bearer " + token(basicAlice(), "ops", "operator"));
        ok(token.post(rs + "/disable", null), 200);
        ok(admin.patch("/api/v1/users/" + alice, json("{'role':'viewer'}")), 200);
        assertThat(token.post(rs + "/enable", null).status()).as("capped at the owner's new role").isEqualTo(403);
        ok(token.get(rs), 200);
        ok(admin.patch("/api/v1/users/" + alice, json("{'enabled':false}")), 200);
        assertThat(token.get(rs).status()).as("owner disabled").isEqualTo(401);
        assertThat(basicAlice().get(rs).status()).isEqualTo(401);

        JsonNode events = ok(admin.get("/api/v1/events?kind=CONFIG_CHANGE&size=500"), 200).get("content");
        JsonNode roleChange = find(events, e -> e.get("summary").asString().equals("changed user " + alice + ": viewer"));
        assertThat(roleChange.get("details").get("before").get("role").asString()).isEqualTo("operator");
        assertThat(roleChange.get("details").get("after").get("role").asString()).isEqualTo("viewer");
    }

    @Test
    void usersAreValidatedLikeEveryOtherResource() {
        Response bad = admin.post("/api/v1/users", json("{'username':'Bad Name','password':'short','role':'root'}"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw()).contains("urn:lvscp:problem:invalid-request").doesNotContain("short\"");
        assertThat(bad.errorFields()).containsExactlyInAnyOrder("username", "password", "role");
        assertThat(admin.post("/api/v1/users", json("{'username':'" + alice + "','password':'long enough pass','role':'viewer'}")).status())
                .isEqualTo(409);
        assertThat(admin.get("/api/v1/users/nobody-" + suffix).status()).isEqualTo(404);
        Response me = ok(admin.get("/api/v1/users/" + alice), 200);
        assertThat(me.raw()).doesNotContain("password").doesNotContain("bcrypt");

        Response last = admin.patch("/api/v1/users/admin", json("{'role':'operator'}"));
        assertThat(last.status()).as(last.toString()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/users/admin").status()).isEqualTo(409);
    }

    @Test
    void everybodyChangesTheirOwnPasswordOnlyAdminsOthers() {
        Response noCurrent = basicAlice().put("/api/v1/users/" + alice + "/password", json("{'newPassword':'another long password'}"));
        assertThat(noCurrent.status()).isEqualTo(400);
        assertThat(noCurrent.errorFields()).containsExactly("currentPassword");
        assertThat(basicAlice().put("/api/v1/users/admin/password", json("{'newPassword':'another long password'}")).status())
                .isEqualTo(403);
        ok(basicAlice().put("/api/v1/users/" + alice + "/password",
                json("{'currentPassword':'" + alicePassword + "','newPassword':'another long password'}")), 204);
        assertThat(basicAlice().get("/api/v1/clusters").status()).isEqualTo(401);
        ok(new Http(port, TestUsers.basic(alice, "another long password")).get("/api/v1/clusters"), 200);
        ok(admin.put("/api/v1/users/" + alice + "/password", json("{'newPassword':'" + alicePassword + "'}")), 204);
        ok(basicAlice().get("/api/v1/clusters"), 200);

        List<String> summaries = ok(admin.get("/api/v1/events?kind=CONFIG_CHANGE&size=500"), 200).get("content").valueStream()
                .map(e -> e.get("summary").asString()).toList();
        assertThat(summaries).contains("changed the password of " + alice);
        assertThat(summaries.toString()).doesNotContain("another long password");
    }

    @Test
    void deletingAUserEndsItsTokens() {
        Http token = new Http(port, "Bearer " + token(basicAlice(), "gone", "viewer"));
        ok(token.get("/api/v1/clusters"), 200);
        ok(admin.delete("/api/v1/users/" + alice), 204);
        assertThat(token.get("/api/v1/clusters").status()).isEqualTo(401);
    }
}
