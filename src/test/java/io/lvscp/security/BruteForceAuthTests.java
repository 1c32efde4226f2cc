package io.lvscp.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http;
import io.lvscp.support.BrowserSession;
import io.lvscp.support.TestUsers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Password guessing over HTTP, on the API (Basic) and the login form: after the allowance,
 * even the right password is refused (429 with Retry-After; the login page says so), and a
 * success before that resets the count. The growth of the lock over time is in LoginThrottleTests.
 * A long first lock, so nothing here depends on timing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:brute-force;DB_CLOSE_DELAY=-1",
        "lvs.node-name=brute-force-node",
        "lvs.dataplane=dry-run",
        "lvs.security.login.max-failures-per-user=3",
        "lvs.security.login.max-failures-per-address=1000",
        "lvs.security.login.first-delay=10m"})
class BruteForceAuthTests {

    @LocalServerPort
    int port;
    @Autowired
    UserService users;

    @Test
    void basicAuthIsLockedAfterThreeFailuresEvenWithTheRightPassword() {
        String password = TestUsers.ensure(users, "bf-api", "viewer");
        Http wrong = new Http(port, TestUsers.basic("bf-api", "guess"));
        for (int i = 0; i < 3; i++) {
            assertThat(wrong.get("/api/v1/clusters").status()).isEqualTo(401);
        }
        Http.Response locked = new Http(port, TestUsers.basic("bf-api", password)).get("/api/v1/clusters");
        assertThat(locked.status()).as(locked.toString()).isEqualTo(429);
        assertThat(locked.get("type").asString()).isEqualTo("urn:lvscp:problem:too-many-login-failures");
        assertThat(Long.parseLong(rawRetryAfter("bf-api", password))).as("the first lock, 10 min, in whole seconds").isBetween(500L, 600L);
        // another user from the same address is not affected
        String other = TestUsers.ensure(users, "bf-other", "viewer");
        assertThat(new Http(port, TestUsers.basic("bf-other", other)).get("/api/v1/clusters").status()).isEqualTo(200);
    }

    @Test
    void aSuccessResetsTheCount() {
        String password = TestUsers.ensure(users, "bf-reset", "viewer");
        Http wrong = new Http(port, TestUsers.basic("bf-reset", "guess"));
        Http right = new Http(port, TestUsers.basic("bf-reset", password));
        for (int round = 0; round < 3; round++) {
            assertThat(wrong.get("/api/v1/clusters").status()).isEqualTo(401);
            assertThat(wrong.get("/api/v1/clusters").status()).isEqualTo(401);
            assertThat(right.get("/api/v1/clusters").status()).as("round " + round).isEqualTo(200);
        }
    }

    @Test
    void theLoginFormSaysSoAndRefusesTheRightPassword() throws Exception {
        String password = TestUsers.ensure(users, "bf-form", "viewer");
        BrowserSession browser = new BrowserSession(port);
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = browser.login("bf-form", "guess");
            assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?error"));
        }
        HttpResponse<String> r = browser.login("bf-form", password);
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login?locked"));
        assertThat(browser.get("/login?locked").body()).contains("Too many failed sign-ins");
        assertThat(browser.get("/ui/clusters").statusCode()).as("not signed in").isEqualTo(302);
        // the API's Basic is braked by the same count
        assertThat(new Http(port, TestUsers.basic("bf-form", password)).get("/api/v1/clusters").status()).isEqualTo(429);
    }

    private String rawRetryAfter(String user, String password) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/clusters")).header("Authorization", TestUsers.basic(user, password))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).headers().firstValue("Retry-After").orElse(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
