package io.lvscp.helm;

import static io.lvscp.helm.HelmChartTests.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.metrics.AlertRules;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart's PrometheusRule: off by default, and when on, the same groups as docs/alerts/lvs-rules.yml, Prometheus' templates untouched. */
class PrometheusRuleChartTests {

    static java.util.List<String> scenarios() throws java.io.IOException {
        return HelmChartTests.scenarios();
    }

    @ParameterizedTest(name = "PrometheusRule ({0})")
    @MethodSource("scenarios")
    void rendersTheAlertRulesOnlyWhenAskedTo(String scenario) throws Exception {
        HelmChartTests.Rendered r = HelmChartTests.render(scenario);
        boolean enabled = (Boolean) path(r.values(), "prometheusRule.enabled");
        assertThat(enabled).isEqualTo(scenario.equals("servicemonitor-values.yaml"));
        if (!enabled) {
            assertThat(r.all("PrometheusRule")).isEmpty();
            return;
        }
        Map<String, Object> rule = r.one("PrometheusRule");
        assertThat(rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        Map<String, Object> labels = path(rule, "metadata.labels");
        Map<String, Object> wanted = path(r.values(), "prometheusRule.labels");
        assertThat(labels).containsAllEntriesOf(wanted);
        Map<String, Object> spec = path(rule, "spec");
        assertThat(spec).isEqualTo(HelmChartTests.yamlMap(AlertRules.DOCS));
        assertThat(new org.yaml.snakeyaml.Yaml().dump(spec)).contains("{{ $labels.instance }}");
    }
}
