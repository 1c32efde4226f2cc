package io.lvscp.cluster;

import io.lvscp.realserver.RealServerController;
import io.lvscp.realserver.RealServerResponse;
import io.lvscp.realserver.RealServerService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.lvscp.api.ApiException;
import io.lvscp.realserver.RealServerRequest.HealthCheck;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import io.lvscp.support.SliceSecurity;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The HTTP layer of the JSON API with the services mocked: status codes, ETags and
 * RFC 9457 problem details for input that never reaches a service (malformed JSON,
 * wrong types, unknown fields, bad paths and paging) and for refusals the services
 * raise. Every domain refusal is also exercised end to end in ApiSuite.
 */
@WebMvcTest(controllers = {ClusterController.class, RealServerController.class})
@Import(SliceSecurity.class)
@WithMockUser(roles = "ADMIN")
class ApiControllerTests {

    static final String RS = "/api/v1/clusters/wtc/virtual-servers/1/real-servers";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    ClusterService clusters;
    @MockitoBean
    RealServerService realServers;

    static RealServerResponse rs(long version) {
        return new RealServerResponse(3L, 1L, "172.18.42.111", 80, 1, "enabled", false, null, null,
                new HealthCheck("HTTP_GET", "/", "200", null, null, null, null, 3, 3, 3, null), version, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void createAnswers201WithLocationAndETag() throws Exception {
        when(realServers.create(eq("wtc"), eq(1L), any())).thenReturn(rs(0));
        mvc.perform(post(RS).contentType(MediaType.APPLICATION_JSON).content("{\"address\":\"172.18.42.111\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/api/v1/clusters/wtc/virtual-servers/1/real-servers/3"))
                .andExpect(header().string("ETag", "\"0\""))
                .andExpect(jsonPath("$.address").value("172.18.42.111"));
    }

    @Test
    void malformedJsonIsAProblem() throws Exception {
        mvc.perform(post(RS).contentType(MediaType.APPLICATION_JSON).content("{\"address\": "))
                .andExpect(status().isBadRequest())
                .andExpect(header().string("Content-Type", "application/problem+json"))
                .andExpect(jsonPath("$.type").value("urn:lvscp:problem:invalid-request"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("not valid JSON")));
        verifyNoInteractions(realServers);
    }

    @Test
    void aWrongTypeNamesTheField() throws Exception {
        mvc.perform(post(RS).contentType(MediaType.APPLICATION_JSON).content("{\"address\":\"172.18.42.111\",\"weight\":\"heavy\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("weight"))
                .andExpect(jsonPath("$.errors[0].reason").value("'heavy' is not a valid whole number"));
        mvc.perform(post(RS).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"address\":\"172.18.42.111\",\"healthCheck\":{\"retry\":\"x\"}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("healthCheck.retry"));
        verifyNoInteractions(realServers);
    }

    @Test
    void anUnknownFieldIsRefusedNotIgnored() throws Exception {
        mvc.perform(post(RS).contentType(MediaType.APPLICATION_JSON).content("{\"address\":\"172.18.42.111\",\"wieght\":5}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("wieght"))
                .andExpect(jsonPath("$.errors[0].reason").value(org.hamcrest.Matchers.startsWith("is not a known field")));
        verifyNoInteractions(realServers);
    }

    @Test
    void readOnlyFieldsOfAGetMayBeSentBack() throws Exception {
        when(realServers.update(eq("wtc"), eq(1L), eq(3L), any(), isNull(), eq(true))).thenReturn(rs(1));
        mvc.perform(put(RS + "/3").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"id\":3,\"virtualServerId\":1,\"address\":\"172.18.42.111\",\"version\":0,\"createdAt\":\"x\"}"))
                .andExpect(status().isOk()).andExpect(header().string("ETag", "\"1\""));
    }

    @Test
    void aNonNumericIdInThePathIsAProblem() throws Exception {
        mvc.perform(get("/api/v1/clusters/wtc/virtual-servers/abc/real-servers"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("vs"));
    }

    @Test
    void pagesAreBounded() throws Exception {
        mvc.perform(get("/api/v1/clusters?size=501")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("size"));
    }

    @Test
    void serviceRefusalsBecomeProblemsWithTheirStatus() throws Exception {
        when(realServers.create(eq("wtc"), anyLong(), any()))
                .thenThrow(ApiException.invalid("weight", "must be between 0 and 65535", 70000));
        mvc.perform(post(RS).contentType(MediaType.APPLICATION_JSON).content("{\"address\":\"172.18.42.111\",\"weight\":70000}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.status").value(400))
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.detail").value("weight: must be between 0 and 65535"))
                .andExpect(jsonPath("$.instance").value(RS))
                .andExpect(jsonPath("$.errors[0].rejectedValue").value(70000));
        when(clusters.update(eq("wtc"), any(), eq("\"0\""), eq(true))).thenThrow(ApiException.preconditionFailed("\"0\"", 2));
        mvc.perform(put("/api/v1/clusters/wtc").header("If-Match", "\"0\"").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"wtc\"}"))
                .andExpect(status().isPreconditionFailed())
                .andExpect(jsonPath("$.errors[0].field").value("If-Match"));
        when(clusters.get("nope")).thenThrow(ApiException.notFound("cluster 'nope'"));
        mvc.perform(get("/api/v1/clusters/nope")).andExpect(status().isNotFound())
                .andExpect(jsonPath("$.detail").value("cluster 'nope' not found"));
    }

    @Test
    void patchTakesAMergePatch() throws Exception {
        when(realServers.patch(eq("wtc"), eq(1L), eq(3L), any(), isNull())).thenReturn(rs(1));
        mvc.perform(patch(RS + "/3").contentType("application/merge-patch+json").content("{\"weight\":2}"))
                .andExpect(status().isOk());
    }
}
