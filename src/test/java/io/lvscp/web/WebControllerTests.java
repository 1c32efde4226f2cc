package io.lvscp.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldError;
import io.lvscp.api.PageResponse;
import io.lvscp.model.Cluster;
import io.lvscp.cluster.ClusterResponse;
import io.lvscp.cluster.ClusterService;
import io.lvscp.director.DirectorResponse;
import io.lvscp.director.DirectorService;
import io.lvscp.model.HealthCheckSettings;
import io.lvscp.model.RealServer;
import io.lvscp.model.RealServerRepository;
import io.lvscp.realserver.RealServerRequest;
import io.lvscp.realserver.RealServerRequest.HealthCheck;
import io.lvscp.realserver.RealServerResponse;
import io.lvscp.realserver.RealServerService;
import io.lvscp.model.VirtualServer;
import io.lvscp.virtualserver.VirtualServerResponse;
import io.lvscp.virtualserver.VirtualServerService;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.PriorityDto;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.VipDto;
import io.lvscp.vrrpinstance.VrrpInstanceResponse;
import io.lvscp.vrrpinstance.VrrpInstanceService;
import io.lvscp.common.CheckType;
import io.lvscp.common.RealServerState;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.lvscp.support.SliceSecurity;
import org.springframework.security.test.context.support.WithMockUser;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Pageable;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.servlet.MockMvc;

/** The web pages and the add-real-server form, with the services mocked and the real security configuration. */
@WebMvcTest(controllers = {ClusterPagesController.class, RealServerFormController.class, RealServerActionsController.class})
@Import(SliceSecurity.class)
@WithMockUser(roles = "OPERATOR")
class WebControllerTests {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final String FORM = "/ui/clusters/lab/virtual-servers/5/real-servers/new";

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ClusterService clusters;
    @MockitoBean
    DirectorService directors;
    @MockitoBean
    VrrpInstanceService instances;
    @MockitoBean
    VirtualServerService virtualServers;
    @MockitoBean
    RealServerService realServers;
    @MockitoBean
    RealServerRepository realServerRepository;
    @MockitoBean
    io.lvscp.realserver.RealServerHealthSource health;

    private final VirtualServerResponse vs = virtualServer(5, 80, "DR");

    @BeforeEach
    void cluster() {
        ClusterResponse lab = new ClusterResponse(1L, "lab", "Lab pair", 0, T, T);
        given(clusters.all()).willReturn(List.of(lab, new ClusterResponse(2L, "edge", null, 0, T, T)));
        given(clusters.get("lab")).willReturn(lab);
        given(clusters.get("nope")).willThrow(ApiException.notFound("cluster 'nope'"));
        given(directors.all("lab")).willReturn(List.of(
                new DirectorResponse(1L, "lab", "lvs1", "172.18.42.11", "eth0", 0, T, T),
                new DirectorResponse(2L, "lab", "lvs2", "172.18.42.12", "eth0", 0, T, T)));
        given(instances.all("lab")).willReturn(List.of(new VrrpInstanceResponse(1L, "lab", "VI_1", 110, "eth0", "IPV4", 2, 1, true, 0,
                "PASS", true, "224.0.0.18", List.of(), null, List.of(new PriorityDto("lvs1", 150), new PriorityDto("lvs2", 100)),
                List.of(new VipDto("172.18.42.42", 32, "eth0", "eth0:1")), 0, T, T)));
        given(virtualServers.get("lab", 5)).willReturn(vs);
    }

    @Test
    void rootRedirectsToTheClusters() throws Exception {
        mvc.perform(get("/")).andExpect(status().isFound()).andExpect(redirectedUrl("/ui/clusters"));
    }

    @Test
    void listsClustersWithLinks() throws Exception {
        mvc.perform(get("/ui/clusters"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/html"))
                .andExpect(content().string(allOf(
                        containsString("<a href=\"/ui/clusters/lab\">lab</a>"),
                        containsString("Lab pair"),
                        containsString("<a href=\"/ui/clusters/edge\">edge</a>"))))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"));
    }

    @Test
    void clusterPageShowsDirectorsInstancesAndVirtualServersWithTheirRealServers() throws Exception {
        VirtualServerResponse other = virtualServer(6, 443, "DR");
        given(virtualServers.list(eq("lab"), any(Pageable.class))).willReturn(new PageResponse<>(List.of(vs, other), 0, 50, 2, 1));
        given(realServerRepository.findByVirtualServerIdIn(any())).willReturn(List.of(
                realServer(6, 9, "172.18.42.22", 443, 1, CheckType.TCP_CHECK, null),
                realServer(5, 8, "172.18.42.21", 80, 3, CheckType.HTTP_GET, "/health")));
        given(health.health(8L)).willReturn(java.util.Optional.of(new io.lvscp.realserver.RealServerHealth("down", T, T,
                "bad_status: status 503, expected 200", T, 1.5, "HTTP_GET 172.18.42.21:80/health", "lvs1", null)));

        mvc.perform(get("/ui/clusters/lab"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("data-director=\"lvs1\""),
                        containsString("data-director=\"lvs2\""),
                        containsString("<td class=\"num\">110</td>"),
                        containsString("eth0:1"),
                        containsString("<span>lvs1</span>: <span class=\"num\">150</span>"),
                        containsString("data-vs=\"172.18.42.42:80/tcp\""),
                        containsString("data-vs=\"172.18.42.42:443/tcp\""),
                        containsString("id=\"rs-8\" data-rs=\"172.18.42.21:80\""),
                        containsString("id=\"rs-9\" data-rs=\"172.18.42.22:443\""),
                        containsString("/health"),
                        containsString("class=\"health health-down\""),
                        containsString("bad_status: status 503, expected 200"),
                        containsString("href=\"/ui/clusters/lab/virtual-servers/5/real-servers/new?page=1\""),
                        not(containsString("class=\"pager\"")))));

        // one query for the real servers of the whole page
        @SuppressWarnings("unchecked")
        ArgumentCaptor<Collection<Long>> ids = ArgumentCaptor.forClass(Collection.class);
        verify(realServerRepository, times(1)).findByVirtualServerIdIn(ids.capture());
        assertThat(ids.getValue()).containsExactlyInAnyOrder(5L, 6L);
    }

    @Test
    void virtualServersArePagedByFifty() throws Exception {
        given(virtualServers.list(eq("lab"), any(Pageable.class))).willReturn(new PageResponse<>(List.of(vs), 2, 50, 1000, 20));
        given(realServerRepository.findByVirtualServerIdIn(any())).willReturn(List.of());

        mvc.perform(get("/ui/clusters/lab").param("page", "3"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("Showing 101–150 of 1000"),
                        containsString("Page 3 of 20"),
                        containsString("href=\"/ui/clusters/lab?page=2\" rel=\"prev\""),
                        containsString("href=\"/ui/clusters/lab?page=4\" rel=\"next\""))));

        ArgumentCaptor<Pageable> pageable = ArgumentCaptor.forClass(Pageable.class);
        verify(virtualServers).list(eq("lab"), pageable.capture());
        assertThat(pageable.getValue().getPageNumber()).isEqualTo(2);
        assertThat(pageable.getValue().getPageSize()).isEqualTo(50);
    }

    @Test
    void unknownClusterIsAnHtml404() throws Exception {
        mvc.perform(get("/ui/clusters/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("text/html"))
                .andExpect(content().string(containsString("cluster &#39;nope&#39; not found")));
    }

    @Test
    void formHasLabelledInputsAndACsrfToken() throws Exception {
        mvc.perform(get(FORM).param("page", "3"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("<input type=\"hidden\" name=\"_csrf\""),
                        containsString("<label for=\"address\">"),
                        containsString("id=\"address\" name=\"address\""),
                        containsString("<label for=\"weight\">"),
                        containsString("id=\"weight\" name=\"weight\" value=\"1\""),
                        containsString("<select id=\"state\" name=\"state\""),
                        containsString("<option value=\"MISC_CHECK\">"),
                        containsString("id=\"delayLoop\" name=\"delayLoop\""),
                        containsString("name=\"returnPage\" value=\"3\""),
                        containsString("Empty: 80, the virtual server&#39;s port"),
                        not(containsString("field-error")))));
    }

    @Test
    void refusedFormShowsTheErrorsInlineAndKeepsTheInput() throws Exception {
        given(realServers.create(eq("lab"), eq(5L), any())).willThrow(ApiException.invalid(List.of(
                new FieldError("address", "'172.18.42.999' is not a valid IPv4 address (999 > 255)", "172.18.42.999"),
                new FieldError("weight", "must be between 0 and 65535", 70000),
                new FieldError("healthCheck.path", "must start with '/'", "health"),
                new FieldError("healthCheck.digest", "must be an MD5 digest", "x"))));

        mvc.perform(post(FORM).with(csrf())
                        .param("address", "172.18.42.999").param("weight", "70000").param("state", "enabled")
                        .param("type", "HTTP_GET").param("path", "health"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(allOf(
                        containsString("id=\"error-summary\""),
                        containsString("<p class=\"field-error\" id=\"address-error\"><span class=\"visually-hidden\">Error: </span>"
                                + "&#39;172.18.42.999&#39; is not a valid IPv4 address (999 &gt; 255)</p>"),
                        containsString("id=\"weight-error\"><span class=\"visually-hidden\">Error: </span>must be between 0 and 65535</p>"),
                        containsString("id=\"path-error\""),
                        containsString("healthCheck.digest: must be an MD5 digest"),
                        containsString("id=\"address\" name=\"address\" value=\"172.18.42.999\""),
                        containsString("id=\"weight\" name=\"weight\" value=\"70000\""),
                        containsString("id=\"path\" name=\"path\" value=\"health\""),
                        containsString("<option value=\"HTTP_GET\" selected=\"selected\">"),
                        containsString("aria-invalid=\"true\" aria-describedby=\"weight-hint weight-error\""),
                        not(containsString("id=\"port-error\"")))));
    }

    @Test
    void conflictIsA409WithTheErrorOnTheAddress() throws Exception {
        given(realServers.create(eq("lab"), eq(5L), any())).willThrow(
                ApiException.conflict("address", "172.18.42.21:80 is already real server 8 of virtual server 172.18.42.42:80/tcp",
                        "172.18.42.21"));

        mvc.perform(post(FORM).with(csrf()).param("address", "172.18.42.21").param("weight", "1"))
                .andExpect(status().isConflict())
                .andExpect(content().string(containsString("id=\"address-error\"><span class=\"visually-hidden\">Error: </span>"
                        + "172.18.42.21:80 is already real server 8")));
    }

    @Test
    void duplicateCaughtByTheUniqueKeyIsA409OnTheAddress() throws Exception {
        given(realServers.create(eq("lab"), eq(5L), any())).willThrow(new DataIntegrityViolationException(
                "Unique index or primary key violation: \"PUBLIC.UK_REAL_SERVER_ENDPOINT_INDEX_A ON PUBLIC.REAL_SERVER\""));

        mvc.perform(post(FORM).with(csrf()).param("address", "172.18.42.21").param("weight", "1"))
                .andExpect(status().isConflict())
                .andExpect(content().string(containsString("id=\"address-error\"><span class=\"visually-hidden\">Error: </span>"
                        + "this real server is already in the virtual server")));
    }

    @Test
    void textInANumberFieldIsRefusedWithoutAskingTheService() throws Exception {
        mvc.perform(post(FORM).with(csrf()).param("address", "172.18.42.250").param("weight", "two"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("id=\"weight-error\"><span class=\"visually-hidden\">Error: </span>"
                        + "&#39;two&#39; is not a whole number")));
        verify(realServers, never()).create(anyString(), anyLong(), any());
    }

    @Test
    void postWithoutCsrfTokenIsForbidden() throws Exception {
        mvc.perform(post(FORM).param("address", "172.18.42.250").param("weight", "2"))
                .andExpect(status().isForbidden());
        verify(realServers, never()).create(anyString(), anyLong(), any());
    }

    @Test
    void acceptedFormRedirectsToTheClusterPageWithAFlashMessage() throws Exception {
        given(realServers.create(eq("lab"), eq(5L), any())).willReturn(new RealServerResponse(12L, 5L, "172.18.42.250", 80, 2, "enabled",
                false, null, null, new HealthCheck("HTTP_GET", "/health", "200", null, null, null, null, null, null, null, null), 0, T, T));

        mvc.perform(post(FORM).with(csrf())
                        .param("address", " 172.18.42.250 ").param("port", "").param("weight", "2").param("state", "enabled")
                        .param("type", "HTTP_GET").param("path", "/health").param("statusCodes", "").param("command", "")
                        .param("connectTimeout", "3").param("retry", "").param("delayBeforeRetry", "").param("delayLoop", "")
                        .param("returnPage", "2"))
                .andExpect(status().is(HttpStatus.SEE_OTHER.value()))
                .andExpect(redirectedUrl("/ui/clusters/lab?page=2#rs-12"))
                .andExpect(flash().attribute("flash", "Added real server 172.18.42.250:80 to 172.18.42.42:80/tcp."))
                .andExpect(flash().attribute("addedRealServer", 12L));

        ArgumentCaptor<RealServerRequest> request = ArgumentCaptor.forClass(RealServerRequest.class);
        verify(realServers).create(eq("lab"), eq(5L), request.capture());
        assertThat(request.getValue()).isEqualTo(new RealServerRequest("172.18.42.250", null, 2, "enabled", null, null, null,
                new HealthCheck("HTTP_GET", "/health", null, null, null, null, null, 3, null, null, null), null));
    }

    private void onePageWithOneRealServer() {
        given(virtualServers.list(eq("lab"), any(Pageable.class))).willReturn(new PageResponse<>(List.of(vs), 0, 50, 1, 1));
        given(realServerRepository.findByVirtualServerIdIn(any())).willReturn(List.of(
                realServer(5, 8, "172.18.42.21", 80, 3, CheckType.HTTP_GET, "/health")));
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerSeesNoWriteControls() throws Exception {
        onePageWithOneRealServer();
        mvc.perform(get("/ui/clusters/lab"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("id=\"rs-8\""),
                        not(containsString("Add real server")),
                        not(containsString("<form method=\"post\" action=\"/ui/clusters/lab/virtual-servers")),
                        not(containsString(">Drain<")), not(containsString("id=\"remove-8\"")), not(containsString("id=\"weight-8\"")),
                        not(containsString("href=\"/ui/import\"")))));
    }

    @Test
    void anOperatorSeesStateActionsButNotWeightOrRemoveWhichAreAdmins() throws Exception {
        onePageWithOneRealServer();
        mvc.perform(get("/ui/clusters/lab"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("action=\"/ui/clusters/lab/virtual-servers/5/real-servers/8/drain\""),
                        containsString("action=\"/ui/clusters/lab/virtual-servers/5/real-servers/8/disable\""),
                        not(containsString("real-servers/8/enable")),
                        containsString("name=\"_csrf\""),
                        not(containsString("id=\"remove-8\"")), not(containsString("id=\"weight-8\"")))));
    }

    @Test
    @WithMockUser(roles = "ADMIN")
    void anAdminAlsoSeesWeightAndRemove() throws Exception {
        onePageWithOneRealServer();
        mvc.perform(get("/ui/clusters/lab/live"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(
                        containsString("id=\"live\""),
                        not(containsString("<header")),
                        containsString("href=\"/ui/clusters/lab/virtual-servers/5/real-servers/8/weight?page=1\""),
                        containsString("href=\"/ui/clusters/lab/virtual-servers/5/real-servers/8/remove?page=1\""))));
    }

    @Test
    @WithMockUser(username = "vera", roles = "VIEWER")
    void aViewersDrainIsRefusedWithTheRoleNotAStaleForm() throws Exception {
        mvc.perform(post("/ui/clusters/lab/virtual-servers/5/real-servers/8/drain").with(csrf()))
                .andExpect(status().isForbidden())
                .andExpect(status().reason(allOf(containsString("signed in as vera with the role viewer"), not(containsString("reload")))));
        verify(realServers, never()).setState(anyString(), anyLong(), anyLong(), any(), any());
    }

    @Test
    void aDrainWithoutCsrfTokenIsRefusedAsAnOutdatedForm() throws Exception {
        mvc.perform(post("/ui/clusters/lab/virtual-servers/5/real-servers/8/drain"))
                .andExpect(status().isForbidden())
                .andExpect(status().reason(containsString("reload the page")));
        verify(realServers, never()).setState(anyString(), anyLong(), anyLong(), any(), any());
    }

    @Test
    @WithMockUser(roles = "ADMIN")
    void removeWithoutTheConfirmationShowsTheConfirmationAndRemovesNothing() throws Exception {
        given(realServers.get("lab", 5, 8)).willReturn(new RealServerResponse(8L, 5L, "172.18.42.21", 80, 3, "enabled", false, null, null,
                new HealthCheck("NONE", null, null, null, null, null, null, null, null, null, null), 4, T, T));
        mvc.perform(post("/ui/clusters/lab/virtual-servers/5/real-servers/8/remove").with(csrf()))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(allOf(containsString("id=\"confirm-remove\""), containsString("its open connections are cut"))));
        verify(realServers, never()).delete(anyString(), anyLong(), anyLong());

        mvc.perform(post("/ui/clusters/lab/virtual-servers/5/real-servers/8/remove").with(csrf()).param("confirm", "yes").param("page", "2"))
                .andExpect(status().is(HttpStatus.SEE_OTHER.value()))
                .andExpect(redirectedUrl("/ui/clusters/lab?page=2#vs-5"))
                .andExpect(flash().attribute("flash", "Removed real server 172.18.42.21:80 from 172.18.42.42:80/tcp."));
        verify(realServers).delete("lab", 5, 8);
    }

    @Test
    void anOperatorCannotRemove() throws Exception {
        mvc.perform(post("/ui/clusters/lab/virtual-servers/5/real-servers/8/remove").with(csrf()).param("confirm", "yes"))
                .andExpect(status().isForbidden());
        verify(realServers, never()).delete(anyString(), anyLong(), anyLong());
    }

    private static VirtualServerResponse virtualServer(long id, int port, String forwarding) {
        return new VirtualServerResponse(id, "lab", null, "172.18.42.42:" + port + "/tcp", "VI_1", "IPV4", "172.18.42.42", port, "TCP",
                null, "rr", forwarding, null, null, 60, 5, 1, 1, false, 1, 0, null, 0, T, T);
    }

    private static RealServer realServer(long vsId, long id, String address, int port, int weight, CheckType type, String path) {
        VirtualServer v = new VirtualServer(new Cluster("lab", null));
        ReflectionTestUtils.setField(v, "id", vsId);
        RealServer r = new RealServer(v);
        ReflectionTestUtils.setField(r, "id", id);
        r.setAddress(address);
        r.setPort(port);
        r.setWeight(weight);
        r.setState(RealServerState.ENABLED);
        r.setHealthCheck(new HealthCheckSettings(type, path, path == null ? null : "200", null, null, null, null, null, null, null, null, null,
                null, false, null, null, null));
        return r;
    }
}
