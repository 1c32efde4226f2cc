package io.lvscp.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.cluster.ClusterRequest;
import io.lvscp.cluster.ClusterService;
import io.lvscp.director.DirectorRequest;
import io.lvscp.director.DirectorService;
import io.lvscp.realserver.RealServerService;
import io.lvscp.virtualserver.VirtualServerRequest;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.vrrpinstance.VrrpInstanceRequest;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.PriorityDto;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.VipDto;
import io.lvscp.vrrpinstance.VrrpInstanceService;
import io.lvscp.api.Http;
import io.lvscp.security.UserService;
import io.lvscp.support.BrowserSession;
import io.lvscp.support.TestUsers;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole application over HTTP: the web form (and the login form) need their CSRF token;
 * the JSON API needs none, but needs credentials in a header and ignores the browser's session.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:browser;DB_CLOSE_DELAY=-1",
        "lvs.node-name=browser-test-node",
        "lvs.dataplane=dry-run"})
class CsrfProtectionTests {

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
    @Autowired
    UserService users;

    /** A browser signed in as an operator: keeps the session cookie. */
    BrowserSession browser;

    String cluster;
    String form;
    long vsId;

    @BeforeEach
    void virtualServer() throws Exception {
        cluster = "csrf-" + System.nanoTime();
        clusters.create(new ClusterRequest(cluster, null, null));
        directors.create(cluster, new DirectorRequest(cluster + "-a", "172.18.43.11", "eth0", null));
        instances.create(cluster, new VrrpInstanceRequest("VI_1", 111, "eth0", 2, null, null, null, null, null, null, null, null,
                List.of(new PriorityDto(cluster + "-a", 100)), List.of(new VipDto("172.18.43.42", null, null, null)), null));
        vsId = virtualServers.create(cluster, new VirtualServerRequest(null, "VI_1", "172.18.43.42", 80, "TCP", null, "rr", "DR", null,
                null, null, null, null, null, null, null, null, null, null)).id();
        form = "/ui/clusters/" + cluster + "/virtual-servers/" + vsId + "/real-servers/new";
        browser = new BrowserSession(port);
        HttpResponse<String> login = browser.login("csrf-operator", TestUsers.ensure(users, "csrf-operator", "operator"));
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).doesNotContain("error"));
    }

    @Test
    void formPostWithoutTheTokenIsRefused() throws Exception {
        browser.get(form); // a session exists, but the token is not sent back

        HttpResponse<String> response = browser.postForm(form, "address=172.18.43.21&weight=1");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(realServers.all(cluster, vsId)).isEmpty();
    }

    @Test
    void formPostWithTheTokenOfItsSessionIsAccepted() throws Exception {
        String token = BrowserSession.csrfToken(browser.get(form).body());

        HttpResponse<String> response = browser.postForm(form, "_csrf=" + BrowserSession.enc(token)
                + "&address=172.18.43.21&weight=1&state=enabled&type=NONE");

        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/ui/clusters/" + cluster));
        assertThat(realServers.all(cluster, vsId)).hasSize(1);
    }

    @Test
    void theLoginFormItselfNeedsItsToken() throws Exception {
        BrowserSession stranger = new BrowserSession(port);
        stranger.get("/login");
        HttpResponse<String> response = stranger.postForm("/login", "username=admin&password=" + TestUsers.ADMIN_PASSWORD);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(stranger.get("/ui/clusters").statusCode()).isEqualTo(302);
    }

    @Test
    void jsonApiNeedsNoTokenButAHeaderAndKeepsTheDefaultSecurityHeaders() throws Exception {
        Http.Response created = Http.admin(port).post("/api/v1/clusters", "{\"name\":\"" + cluster + "-api\"}");
        assertThat(created.status()).isEqualTo(201);

        Http operator = new Http(port, TestUsers.basic("csrf-operator", TestUsers.passwordOf("csrf-operator")));
        Http.Response rs = operator.post("/api/v1/clusters/" + cluster + "/virtual-servers/" + vsId + "/real-servers",
                "{\"address\":\"172.18.43.22\"}");
        assertThat(rs.status()).as(rs.toString()).isEqualTo(201);
    }

    @Test
    void theApiIgnoresTheBrowsersSession() throws Exception {
        HttpResponse<String> r = browser.postForm("/api/v1/clusters/" + cluster + "/virtual-servers/" + vsId + "/real-servers/1/disable", "");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("WWW-Authenticate")).anySatisfy(h -> assertThat(h).startsWith("Bearer"));
    }

    @Test
    void aBrowserWithoutSessionIsSentToTheLoginPageAndHealthIsOpen() throws Exception {
        BrowserSession stranger = new BrowserSession(port);
        HttpResponse<String> pages = stranger.get("/ui/clusters");
        assertThat(pages.statusCode()).isEqualTo(302);
        assertThat(pages.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(pages.headers().firstValue("WWW-Authenticate")).isEmpty();
        HttpResponse<String> login = stranger.get("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(stranger.get("/actuator/health").statusCode()).isEqualTo(200);
    }
}
