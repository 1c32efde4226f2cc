package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** POST /api/v1/import/keepalived over real HTTP on H2 in memory. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:importer;DB_CLOSE_DELAY=-1",
        "lvs.node-name=lvs1-local",
        "lvs.dataplane=dry-run",
        // the seed's misc_path is a made-up script (keepalived -t flags a real one as a script-security violation)
        "lvs.health.commands-must-exist=false"})
class KeepalivedImportApiTests {

    private static final String DIRECTORS = "seed-master.conf=lvs1@172.18.42.100,seed-backup.conf=lvs2@172.18.42.200";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private record Result(int status, JsonNode body, String raw) {
    }

    private Result post(String query, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/api/v1/import/keepalived?" + query))
                .header("Content-Type", contentType).header("Authorization", io.lvscp.support.TestUsers.adminBasic()).header("Accept", "application/json, application/problem+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Result(r.statusCode(), r.body().isBlank() ? null : JSON.readTree(r.body()), r.body());
    }

    private Result multipart(String query, Map<String, String> files) throws IOException, InterruptedException {
        String boundary = "----importer" + System.nanoTime();
        StringBuilder sb = new StringBuilder();
        files.forEach((name, content) -> sb.append("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"files\"; filename=\"").append(name).append("\"\r\n")
                .append("Content-Type: text/plain\r\n\r\n").append(content).append("\r\n"));
        sb.append("--").append(boundary).append("--\r\n");
        return post(query, "multipart/form-data; boundary=" + boundary, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String q(String cluster, String extra) {
        return "cluster=" + cluster + "&directors=" + URLEncoder.encode(DIRECTORS, StandardCharsets.UTF_8) + extra;
    }

    /** Node names are unique across clusters: a test with its own cluster gets its own directors. */
    private static String own(String cluster, String extra) {
        String d = "seed-master.conf=" + cluster + "-lvs1@172.18.42.100,seed-backup.conf=" + cluster + "-lvs2@172.18.42.200";
        return "cluster=" + cluster + "&directors=" + URLEncoder.encode(d, StandardCharsets.UTF_8) + extra;
    }

    private Map<String, String> seed() {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("seed-master.conf", KeepalivedFiles.read("seed-master.conf"));
        files.put("seed-backup.conf", KeepalivedFiles.read("seed-backup.conf"));
        return files;
    }

    @Test
    void seedMasterAndBackupImportToTheReadmeTourCluster() throws Exception {
        Result r = multipart(q("wtc", ""), seed());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("warnings")).hasSize(14); // 8 notification keywords, 2 router_ids (the same in both files), 4 nb_get_retry
        assertThat(r.body().get("warnings").get(0).get("file").asString()).isEqualTo("seed-master.conf");
        Http http = Http.admin(port);
        JsonNode ds = http.get("/api/v1/clusters/wtc/directors").get("content");
        assertThat(ds).hasSize(2);
        assertThat(ds.toString()).contains("\"nodeName\":\"lvs1\",\"managementAddress\":\"172.18.42.100\",\"interfaceName\":\"eth0\"")
                .contains("\"nodeName\":\"lvs2\",\"managementAddress\":\"172.18.42.200\",\"interfaceName\":\"eth0\"");
        JsonNode vis = http.get("/api/v1/clusters/wtc/vrrp-instances").get("content");
        assertThat(vis).hasSize(1);
        JsonNode vi = vis.get(0);
        assertThat(vi.get("name").asString()).isEqualTo("vi_1");
        assertThat(vi.get("vrid").asInt()).isEqualTo(110);
        assertThat(vi.get("vrrpVersion").asInt()).isEqualTo(2);
        assertThat(vi.get("advertInterval").asInt()).isEqualTo(1);
        assertThat(vi.get("authType").asString()).isEqualTo("PASS");
        assertThat(vi.get("multicastGroup").asString()).isEqualTo("224.0.42.20");
        assertThat(vi.get("priorities").toString()).contains("\"director\":\"lvs1\",\"priority\":100")
                .contains("\"director\":\"lvs2\",\"priority\":99");
        assertThat(vi.get("vips").toString()).contains("\"address\":\"172.18.42.42\"").contains("\"device\":\"eth0\"")
                .contains("\"label\":\"eth0:1\"");
        JsonNode vss = http.get("/api/v1/clusters/wtc/virtual-servers").get("content");
        assertThat(vss).hasSize(1);
        JsonNode vs = vss.get(0);
        assertThat(vs.get("vip").asString() + " " + vs.get("port").asInt() + " " + vs.get("protocol").asString() + " "
                + vs.get("scheduler").asString() + " " + vs.get("forwarding").asString() + " " + vs.get("delayLoop").asInt()
                + " " + vs.get("vrrpInstance").asString()).isEqualTo("172.18.42.42 80 TCP rr DR 6 vi_1");
        JsonNode rss = http.get("/api/v1/clusters/wtc/virtual-servers/" + vs.get("id").asLong() + "/real-servers").get("content");
        assertThat(rss).hasSize(2);
        for (JsonNode rs : rss) {
            assertThat(rs.get("port").asInt()).isEqualTo(80);
            assertThat(rs.get("weight").asInt()).isEqualTo(1);
            JsonNode hc = rs.get("healthCheck");
            assertThat(hc.get("type").asString() + " " + hc.get("path").asString() + " " + hc.get("statusCodes").asString() + " "
                    + hc.get("connectTimeout").asInt() + " " + hc.get("retry").asInt() + " " + hc.get("delayBeforeRetry").asInt())
                    .isEqualTo("HTTP_GET / 200 3 3 3");
        }
        assertThat(rss.toString()).contains("172.18.42.111").contains("172.18.42.222");
    }

    private String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).header("Authorization", io.lvscp.support.TestUsers.adminBasic()).header("Accept", "text/plain").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rt-seed | seed-master.conf=rt1@172.18.42.100,seed-backup.conf=rt2@172.18.42.200 | rt1,rt2",
            "rt-all  | all-keywords.conf=rta@192.0.2.1                                      | rta"})
    void exportImportsBackToTheSameCluster(String cluster, String directors, String nodes) throws Exception {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        for (String entry : directors.split(",")) {
            String file = entry.substring(0, entry.indexOf('='));
            files.put(file, KeepalivedFiles.read(file));
        }
        Result first = multipart("cluster=" + cluster + "&directors=" + URLEncoder.encode(directors, StandardCharsets.UTF_8),
                files);
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        Map<String, String> exported = new java.util.LinkedHashMap<>();
        StringBuilder mapping = new StringBuilder();
        for (String node : nodes.split(",")) {
            exported.put(node + ".conf", getText("/api/v1/clusters/" + cluster + "/directors/" + node + "/keepalived.conf"));
            KeepalivedCheck.assertAccepted(exported.get(node + ".conf"));
            if (node.equals("rta")) { // the connection thresholds went through the database and back
                assertThat(exported.get(node + ".conf")).contains("uthreshold 500", "lthreshold 400");
            }
            String address = directors.substring(directors.indexOf(node + "@") + node.length() + 1).split(",")[0];
            // node names are unique across clusters: the copy's directors are NODE-back
            mapping.append(mapping.length() == 0 ? "" : ",").append(node).append(".conf=").append(node).append("-back@")
                    .append(address);
        }
        Result again = multipart("cluster=" + cluster + "-back&directors="
                + URLEncoder.encode(mapping.toString(), StandardCharsets.UTF_8), exported);
        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        // the only warnings: router_id NODE is not stored (the copy's directors are NODE-back), and which of two instances
        // carries a firewall-mark virtual server (keepalived.conf does not say)
        assertThat(again.body().get("warnings")).allSatisfy(w -> assertThat(w.get("keyword").asString() + " " + w.get("value"))
                .matches("router_id .*|virtual_server \"fwmark .*"));
        for (String node : nodes.split(",")) {
            assertThat(getText("/api/v1/clusters/" + cluster + "-back/directors/" + node + "-back/keepalived.conf")
                    .replace(node + "-back", node)).isEqualTo(exported.get(node + ".conf"));
        }
    }

    @Test
    void dryRunReturnsThePlanAndWritesNothing() throws Exception {
        Result r = multipart(q("dry", "&dryRun=true"), seed());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("dryRun").asBoolean()).isTrue();
        assertThat(r.body().get("realServers")).hasSize(2);
        assertThat(Http.admin(port).get("/api/v1/clusters/dry").status()).isEqualTo(404);
    }

    @Test
    void importingTheSameFilesAgainChangesNothing() throws Exception {
        assertThat(multipart(own("again", ""), seed()).status()).isEqualTo(200);
        Http http = Http.admin(port);
        long events = http.get("/api/v1/events?cluster=again&size=1").get("totalElements").asLong();
        Result r = multipart(own("again", ""), seed());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(r.body().get("changes")).as(r.raw()).isEmpty();
        assertThat(r.body().get("unchanged").asInt()).isEqualTo(2 + 1 + 1 + 2);
        assertThat(http.get("/api/v1/events?cluster=again&size=1").get("totalElements").asLong()).isEqualTo(events);
    }

    /** The seed with real server .111 at weight 5, .222 gone and .233 new; in both directors' files. */
    private Map<String, String> changedSeed() {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        seed().forEach((name, text) -> {
            String t = text.replaceFirst("(real_server 172\\.18\\.42\\.111 80 \\{\\s*weight )1", "$15")
                    .replace("real_server 172.18.42.222 80 {", "real_server 172.18.42.233 80 {");
            files.put(name, t);
        });
        return files;
    }

    @Test
    void importingChangedFilesUpdatesTheClusterAndDryRunListsTheChangesFirst() throws Exception {
        assertThat(multipart(own("upd", ""), seed()).status()).isEqualTo(200);
        Http http = Http.admin(port);
        long vs = http.get("/api/v1/clusters/upd/virtual-servers").get("content").get(0).get("id").asLong();
        String rsPath = "/api/v1/clusters/upd/virtual-servers/" + vs + "/real-servers";
        JsonNode before = http.get(rsPath).get("content");
        long rs111 = before.get(0).get("address").asString().equals("172.18.42.111") ? before.get(0).get("id").asLong()
                : before.get(1).get("id").asLong();
        // an operator drains .111 with a drain timeout of its own: a re-import keeps both (neither is in keepalived.conf)
        assertThat(http.post(rsPath + "/" + rs111 + "/drain", Http.json("{'timeout':600}")).status()).isEqualTo(200);

        Result dry = multipart(own("upd", "&dryRun=true"), changedSeed());
        assertThat(dry.status()).as(dry.raw()).isEqualTo(200);
        assertThat(dry.body().get("changes")).extracting(c -> c.get("action").asString() + " " + c.get("resource").asString() + " "
                + c.get("name").asString()).containsExactlyInAnyOrder(
                        "UPDATE real-server 172.18.42.111:80 of 172.18.42.42:80/tcp",
                        "CREATE real-server 172.18.42.233:80 of 172.18.42.42:80/tcp",
                        "DELETE real-server 172.18.42.222:80 of 172.18.42.42:80/tcp");
        JsonNode update = null;
        for (JsonNode c : dry.body().get("changes")) {
            update = c.get("action").asString().equals("UPDATE") ? c : update;
        }
        assertThat(update.get("before").get("weight").asInt()).isEqualTo(1);
        assertThat(update.get("after").get("weight").asInt()).isEqualTo(5);
        assertThat(http.get(rsPath).get("content").toString()).contains("172.18.42.222").doesNotContain("172.18.42.233");

        Result real = multipart(own("upd", ""), changedSeed());
        assertThat(real.status()).as(real.raw()).isEqualTo(200);
        JsonNode after = http.get(rsPath).get("content");
        assertThat(after).extracting(r -> r.get("address").asString() + " w" + r.get("weight").asInt() + " " + r.get("state").asString())
                .containsExactlyInAnyOrder("172.18.42.111 w5 draining", "172.18.42.233 w1 enabled");
        assertThat(http.get(rsPath + "/" + rs111).get("drainTimeout").asInt()).isEqualTo(600);
    }

    @Test
    void aBadFileWritesNothingAndNamesFileAndLine() throws Exception {
        Result r = post("cluster=bad&file=master.conf", "text/plain",
                KeepalivedFiles.read("errors/mcast-typo.conf").getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.raw()).contains("master.conf:15 vrrp_mcast_group4").contains("244.0.42.20");
        assertThat(Http.admin(port).get("/api/v1/clusters/bad").status()).isEqualTo(404);
    }

    @Test
    void aServiceRefusalNamesTheKeywordThatProducedTheValue() throws Exception {
        // no management addresses: the director service refuses, the error names the file
        Result r = post("cluster=nomgmt&file=master.conf", "text/plain",
                KeepalivedFiles.read("seed-master.conf").getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.raw()).contains("master.conf:14 router_id").contains("managementAddress");
        assertThat(Http.admin(port).get("/api/v1/clusters/nomgmt").status()).isEqualTo(404);
    }

    @Test
    void tenThousandNestedBracesAreA400ProblemNotA500() throws Exception {
        String deep = "a {\n".repeat(10_000) + "}\n".repeat(10_000);
        Result r = post("cluster=deep&file=deep.conf", "text/plain", deep.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("errors").get(0).get("reason").asString()).contains("nested deeper than");
        assertThat(r.body().get("errors").get(0).get("line").asInt()).isEqualTo(KeepalivedParser.MAX_DEPTH + 1);
    }

    @Test
    void everyErrorAndWarningInOneProblemAndNothingWritten() throws Exception {
        Result r = post("cluster=article&file=keepalived.conf", "text/plain",
                KeepalivedFiles.read("errors/article-two-mistakes.conf").getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("errors")).extracting(e -> e.get("file").asString() + ":" + e.get("line").asInt() + " "
                + e.get("keyword").asString()).containsExactly("keepalived.conf:4 vrrp_mcast_group4", "keepalived.conf:30 weight");
        assertThat(r.body().get("warnings")).extracting(e -> e.get("line").asInt() + " " + e.get("keyword").asString())
                .contains("19 DELAY_LOOP");
        assertThat(Http.admin(port).get("/api/v1/clusters/article").status()).isEqualTo(404);
    }

    @Test
    void anLvsOnlyFileImportsIntoAClusterWithTheInstanceNamedInTheRequest() throws Exception {
        assertThat(multipart(own("lvsonly", ""), seed()).status()).isEqualTo(200);
        String file = KeepalivedFiles.read("lvs-only.conf");
        Result missing = post("cluster=lvsonly&file=checker.conf", "text/plain", file.getBytes(StandardCharsets.UTF_8));
        assertThat(missing.status()).as(missing.raw()).isEqualTo(400);
        assertThat(missing.raw()).contains("checker.conf:6").contains("vrrpInstance=NAME");
        Result named = post("cluster=lvsonly&file=checker.conf&vrrpInstance=vi_1", "text/plain", file.getBytes(StandardCharsets.UTF_8));
        assertThat(named.status()).as(named.raw()).isEqualTo(400);
        assertThat(named.raw()).contains("checker.conf:6").contains("is not a VIP of VRRP instance 'vi_1'");
        // the cluster's instance vi_1 holds 172.18.42.42: a virtual server on that VIP lands there
        file = file.replace("192.0.2.80", "172.18.42.42");
        Result r = post("cluster=lvsonly&file=checker.conf", "text/plain", file.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        // the seed's instance and directors stay (the file has no vrrp_instance); the file's virtual servers replace the
        // cluster's; the file's director (no interface) is not created, with a warning
        assertThat(r.body().get("changes").toString()).doesNotContain("vrrp-instance").doesNotContain("\"director\"");
        assertThat(r.body().get("warnings").toString()).contains("checker-1 not created");
        JsonNode vs = Http.admin(port).get("/api/v1/clusters/lvsonly/virtual-servers").get("content");
        assertThat(vs).extracting(v -> v.get("vip").asString() + " " + v.get("vrrpInstance").asString())
                .containsExactly("172.18.42.42 vi_1");
        // a real server without a check exports without a checker block, and keepalived accepts the file
        String export = getText("/api/v1/clusters/lvsonly/directors/lvsonly-lvs1/keepalived.conf");
        assertThat(export).contains("real_server 10.1.0.2 8080 {\n        weight 1\n    }").doesNotContain("NONE");
        KeepalivedCheck.assertAccepted(export);
    }

    @Test
    void globIncludesInAMultipartUploadAndTheMainParameter() throws Exception {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        for (String f : new String[] {"include-main.conf", "conf.d/10-vs.conf", "conf.d/20-vs6.conf", "include-vrrp.conf"}) {
            files.put(f, KeepalivedFiles.read(f));
        }
        // the parser's fixture has no interface, which keepalived (and the import) refuse
        files.put("include-vrrp.conf", files.get("include-vrrp.conf").replaceFirst("\\{", "{\n    interface eth0"));
        String d = "&directors=" + URLEncoder.encode("include-main.conf=globs-lvs1@192.0.2.1", StandardCharsets.UTF_8);
        // no main: the one file nothing includes is the director's file; its includes (a glob) are read, and every
        // error of every included file comes back at once (the fixture's instance lacks VRID, VIPs and priority)
        Result r = multipart("cluster=globs&dryRun=true" + d, files);
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().get("errors")).extracting(e -> e.get("file").asString() + ":" + e.get("line").asInt() + " "
                + e.get("reason").asString()).containsExactlyInAnyOrder(
                        "include-vrrp.conf:1 vrid is required", "include-vrrp.conf:1 vips at least one VIP is required",
                        "include-vrrp.conf:1 priorities[0].priority is required",
                        "conf.d/10-vs.conf:1 vrrpInstance no VRRP instance 'VI_6' in cluster 'globs'",
                        "conf.d/20-vs6.conf:1 vrrpInstance no VRRP instance 'VI_6' in cluster 'globs'");
        assertThat(r.body().get("warnings")).extracting(w -> w.get("file").asString() + ":" + w.get("line").asInt())
                .contains("conf.d/10-vs.conf:1", "include-main.conf:3");
        Result named = multipart("cluster=globs&dryRun=true&main=include-main.conf" + d, files);
        assertThat(named.status()).isEqualTo(400);
        assertThat(named.body().get("errors")).hasSize(5);
        Result missing = multipart("cluster=globs&dryRun=true&main=nope.conf" + d, files);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.raw()).contains("main").contains("nope.conf");
    }
}
