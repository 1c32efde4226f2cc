package io.lvscp.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http;
import io.lvscp.support.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A first start without a configured admin password: one is generated, written to a file only
 * its user may read, and works; calling the bootstrap again, or from two directors at once on
 * an empty database, makes exactly one admin. The actuator here has its own management port:
 * health and the scrape are open there too, the rest needs admin.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:first-start;DB_CLOSE_DELAY=-1",
        "lvs.node-name=first-start-node",
        "lvs.dataplane=dry-run",
        "lvs.security.initial-admin-password=",
        "lvs.security.initial-admin-password-file=target/first-start-test/initial-admin-password",
        "management.server.port=0"})
class FirstStartAuthTests {

    static final Path FILE = Path.of("target/first-start-test/initial-admin-password");

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    InitialAdmin initialAdmin;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void theGeneratedPasswordIsInAPrivateFileAndWorks() throws Exception {
        assertThat(Files.getPosixFilePermissions(FILE)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String password = Files.readString(FILE).trim();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo(TestUsers.ADMIN_PASSWORD);
        assertThat(new Http(port, TestUsers.basic("admin", password)).get("/api/v1/clusters").status()).isEqualTo(200);
        assertThat(new Http(port, TestUsers.adminBasic()).get("/api/v1/clusters").status()).isEqualTo(401);

        assertThat(initialAdmin.ensure()).as("a user exists: nothing to do").isFalse();
        assertThat(Files.readString(FILE).trim()).isEqualTo(password);
    }

    @Test
    void twoDirectorsStartingTogetherMakeOneAdmin() throws Exception {
        jdbc.update("DELETE FROM app_user");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Callable<Boolean> call = () -> {
                    go.await();
                    return initialAdmin.ensure();
                };
                results.add(pool.submit(call));
            }
            go.countDown();
            int created = 0;
            for (Future<Boolean> f : results) {
                created += f.get() ? 1 : 0; // the loser returns false, it does not throw
            }
            assertThat(created).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_user WHERE username = 'admin'", Long.class)).isEqualTo(1);
        String password = Files.readString(FILE).trim();
        assertThat(new Http(port, TestUsers.basic("admin", password)).get("/api/v1/clusters").status()).isEqualTo(200);
    }

    @Test
    void onTheManagementPortHealthAndScrapeAreOpenTheRestNeedsAdmin() throws Exception {
        String password = Files.readString(FILE).trim();
        assertThat(status("/actuator/health/liveness", null)).isEqualTo(200);
        assertThat(status("/actuator/health/readiness", null)).isEqualTo(200);
        assertThat(status("/actuator/prometheus", null)).isEqualTo(200);
        assertThat(status("/actuator/info", null)).isEqualTo(401);
        assertThat(status("/actuator/info", TestUsers.basic("admin", password))).isEqualTo(200);
    }

    int status(String path, String authorization) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + managementPort + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return java.net.http.HttpClient.newHttpClient().send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
