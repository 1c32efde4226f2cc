package io.lvscp.security;

import static io.lvscp.api.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http;
import io.lvscp.api.Http.Response;
import io.lvscp.support.TestUsers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Known secrets (a VRRP PASS password, SMTP and webhook credentials, a user's password, an API
 * token, the initial admin password) set, then looked for in every GET the API maps (as admin,
 * on real resources), the actuator, the event table and the log. The one deliberate exception
 * is the admin-only keepalived.conf export, which must carry auth_pass for keepalived.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:secrets;DB_CLOSE_DELAY=-1",
        "lvs.node-name=secret-lvs1",
        "lvs.dataplane=dry-run",
        "lvs.notify.email.smtp-server=127.0.0.1",
        "lvs.notify.email.smtp-port=9",
        "lvs.notify.email.to=ops@example.org",
        "lvs.notify.email.username=mailer",
        "lvs.notify.email.password=SmtpSecret-4711",
        "lvs.notify.webhook.url=http://hook:HookUserSecret-11@127.0.0.1:9/services/HookPathSecret-22"})
class SecretsNeverShownTests {

    static final String VRRP_PASS = "VrSecr7x";
    static final String USER_PASSWORD = "UserSecret-12345";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void noSecretInAnyResponseEventOrLogLine(CapturedOutput output) {
        Http admin = Http.admin(port);
        ok(admin.post("/api/v1/clusters", json("{'name':'sec'}")), 201);
        ok(admin.post("/api/v1/clusters/sec/directors",
                json("{'nodeName':'secret-lvs1','managementAddress':'172.18.45.100','interfaceName':'eth0'}")), 201);
        ok(admin.post("/api/v1/clusters/sec/vrrp-instances", json("{'name':'vi_1','vrid':45,'interfaceName':'eth0','vrrpVersion':2,"
                + "'authType':'PASS','authPassword':'" + VRRP_PASS + "','priorities':[{'director':'secret-lvs1','priority':100}],"
                + "'vips':[{'address':'172.18.45.42'}]}")), 201);
        long vs = ok(admin.post("/api/v1/clusters/sec/virtual-servers",
                json("{'vrrpInstance':'vi_1','vip':'172.18.45.42','port':80,'protocol':'TCP','scheduler':'rr','forwarding':'DR'}")), 201)
                .get("id").asLong();
        long rs = ok(admin.post("/api/v1/clusters/sec/virtual-servers/" + vs + "/real-servers", json("{'address':'172.18.45.11'}")), 201)
                .get("id").asLong();
        ok(admin.patch("/api/v1/clusters/sec/vrrp-instances/vi_1", json("{'authPassword':'" + VRRP_PASS + "'}")), 200);
        ok(admin.post("/api/v1/users", json("{'username':'sec-user','password':'" + USER_PASSWORD + "','role':'viewer'}")), 201);
        String token = Http.newToken(port, TestUsers.basic("sec-user", USER_PASSWORD), "viewer");
        ok(new Http(port, "Bearer " + token).get("/api/v1/tokens"), 200);
        ok(admin.put("/api/v1/users/sec-user/password", json("{'newPassword':'" + USER_PASSWORD + "-2'}")), 204);

        List<String> secrets = List.of(VRRP_PASS, USER_PASSWORD, token, token.substring(6), TokenService.hash(token), "SmtpSecret-4711",
                "HookUserSecret-11", "HookPathSecret-22", TestUsers.ADMIN_PASSWORD, "{bcrypt}");

        List<String> bodies = new ArrayList<>();
        List<String> gets = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            if (!info.getMethodsCondition().getMethods().contains(RequestMethod.GET)) {
                continue;
            }
            for (String pattern : info.getPatternValues()) {
                if (pattern.endsWith("/keepalived.conf") || !pattern.startsWith("/api/")) {
                    continue; // the export must hold auth_pass; the web pages render the same API data
                }
                String path = pattern.replace("{cluster}", "sec").replace("{director}", "secret-lvs1").replace("{node}", "secret-lvs1")
                        .replace("{instance}", "vi_1").replace("{vs}", Long.toString(vs)).replace("/virtual-servers/{id}", "/virtual-servers/" + vs)
                        .replace("/real-servers/{id}", "/real-servers/" + rs).replace("{username}", "sec-user");
                Response r = admin.get(path);
                gets.add(path + " " + r.status());
                bodies.add(path + " -> " + r.raw());
            }
        }
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/info", "/actuator/prometheus")) {
            bodies.add(path + " -> " + admin.get(path).raw());
        }
        assertThat(gets).as("the GETs reached real resources").filteredOn(g -> g.endsWith(" 200")).hasSizeGreaterThan(15);
        assertThat(export()).as("the export, admin only").contains(VRRP_PASS);

        List<String> events = jdbc.queryForList("SELECT * FROM event").stream().map(Object::toString).toList();
        assertThat(events).hasSizeGreaterThan(8);
        String log = output.getAll();
        for (String secret : secrets) {
            assertThat(bodies).as("responses").noneSatisfy(b -> assertThat(b).contains(secret));
            assertThat(events).as("events").noneSatisfy(e -> assertThat(e).contains(secret));
            assertThat(log).as("log").doesNotContain(secret);
        }
    }

    String export() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + port + "/api/v1/clusters/sec/directors/secret-lvs1/keepalived.conf"))
                    .header("Authorization", TestUsers.adminBasic()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Response ok(Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }
}
