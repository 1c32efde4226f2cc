package io.lvscp.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.LabRequirement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The alert rules (docs/alerts/lvs-rules.yml, the chart's copy): each one is tested by Prometheus'
 * own rule tester ({@code promtool test rules}: it fires on a synthetic series and stays quiet
 * otherwise), and every metric they read is documented. The in-kernel service test checks the same
 * names against a live scrape, as it does the dashboard's. Without promtool (Debian's prometheus
 * package) this fails under CI=true and is skipped elsewhere.
 */
class AlertRulesTests {

    static final List<String> ALERTS = List.of("LvsVrrpNoMaster", "LvsVrrpSplitBrain", "LvsRealServerDown", "LvsVirtualServerBelowQuorum",
            "LvsReconcileErrors", "LvsDirectorOffline", "LvsDirectorBehind", "LvsDirectorClockSkew", "LvsDatabaseDown",
            "LvsDrainTimedOut", "LvsSyncLag");

    @Test
    void theChartAndTheDocsShipTheSameRules() throws Exception {
        assertThat(Files.readString(AlertRules.HELM)).isEqualTo(Files.readString(AlertRules.DOCS));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theRulesOperatorsNeedEachWithASeverityASummaryAndARunbook() throws Exception {
        List<Map<String, Object>> rules = AlertRules.rules();
        assertThat(rules).extracting(r -> r.get("alert")).containsExactlyElementsOf(ALERTS);
        for (Map<String, Object> r : rules) {
            assertThat((Map<String, Object>) r.get("labels")).as("%s", r.get("alert")).containsKey("severity");
            assertThat((Map<String, Object>) r.get("annotations")).as("%s", r.get("alert")).containsKeys("summary", "description", "runbook");
        }
    }

    @Test
    void everyRuleFiresOnItsSeriesAndStaysQuietOtherwise() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        LabRequirement.require(Files.isExecutable(promtool), "promtool is missing (apt-get install prometheus)");
        assertThat(run(promtool.toString(), "check", "rules", AlertRules.DOCS.toString())).contains("SUCCESS: " + ALERTS.size() + " rules found");
        String tests = Files.readString(AlertRules.TESTS);
        for (String alert : ALERTS) {
            assertThat(tests).as("a promtool test of %s", alert).contains("alertname: " + alert);
        }
        assertThat(run(promtool.toString(), "test", "rules", AlertRules.TESTS.toString())).contains("SUCCESS");
    }

    @Test
    void aRuleThatNeverFiresFailsItsTest(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        LabRequirement.require(Files.isExecutable(promtool), "promtool is missing (apt-get install prometheus)");
        // the tests are not vacuous: with the split-brain rule broken, promtool reports the missing alert
        Files.writeString(tmp.resolve("lvs-rules.yml"), Files.readString(AlertRules.DOCS)
                .replace("(lvs_vrrp_split_brain_detected) == 1", "(lvs_vrrp_split_brain_detected) == 2"));
        Files.copy(AlertRules.TESTS, tmp.resolve("lvs-rules.test.yml"));
        Process p = new ProcessBuilder(promtool.toString(), "test", "rules", tmp.resolve("lvs-rules.test.yml").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isNotZero();
        assertThat(out).contains("LvsVrrpSplitBrain");
    }

    @Test
    void everyMetricTheRulesReadIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("docs/metrics.md"));
        assertThat(AlertRules.metricNames()).hasSizeGreaterThanOrEqualTo(9)
                .allSatisfy(n -> assertThat(docs).as("docs/metrics.md lists %s", n).contains("`" + n));
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }
}
