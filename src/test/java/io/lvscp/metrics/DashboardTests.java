package io.lvscp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.LabRequirement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboard cannot silently point at nothing: each query goes through
 * Prometheus' own parser (promtool check rules, Debian's prometheus package), and each
 * metric it reads is one the project documents. The in-kernel service test checks the
 * same names against a live scrape.
 */
class DashboardTests {

    @Test
    void theChartAndTheDocsShipTheSameDashboard() throws Exception {
        assertThat(Files.readString(Dashboard.DOCS)).isEqualTo(Files.readString(Dashboard.HELM));
    }

    @Test
    void variablesAndThePanelsOperatorsNeed() throws Exception {
        JsonNode d = Dashboard.read();
        List<String> vars = d.get("templating").get("list").valueStream().map(v -> v.get("name").asString()).toList();
        assertThat(vars).contains("datasource", "cluster", "vip", "node");
        List<String> titles = d.get("panels").valueStream().map(p -> p.get("title").asString()).toList();
        assertThat(titles).contains("VRRP state per director", "Failovers (became master)", "Real-server health",
                "New connections/s per VIP", "Bytes/s per VIP", "New connections/s per real server", "Bytes/s per real server",
                "Active connections per real server", "Health-check latency (p99)", "Reconcile errors", "ARP hijacks");
        d.get("panels").forEach(p -> {
            if (!"row".equals(p.get("type").asString())) {
                assertThat(p.get("datasource").get("uid").asString()).as(p.get("title").asString()).isEqualTo("${datasource}");
            }
        });
    }

    @Test
    void everyQueryParsesWithPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        LabRequirement.require(Files.isExecutable(promtool), "promtool is missing (apt-get install prometheus)");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (String e : Dashboard.expressions()) {
            rules.append("      - record: dashboard:panel").append(i++).append('\n');
            rules.append("        expr: '").append(Dashboard.concrete(e).replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("dashboard-rules", ".yml");
        Files.writeString(file, rules);
        Process p = new ProcessBuilder(promtool.toString(), "check", "rules", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("SUCCESS: " + i + " rules found");
        Files.delete(file);
    }

    @Test
    void everyMetricTheDashboardReadsIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("docs/metrics.md"));
        assertThat(Dashboard.metricNames()).hasSizeGreaterThan(15)
                .allSatisfy(n -> assertThat(docs).as("docs/metrics.md lists %s", n).contains("`" + n));
    }
}
