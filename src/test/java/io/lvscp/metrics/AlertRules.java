package io.lvscp.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The alert rules the project ships (docs/alerts, and the chart's PrometheusRule), read for their expressions and metric names. */
public final class AlertRules {

    public static final Path DOCS = Path.of("docs/alerts/lvs-rules.yml");
    public static final Path TESTS = Path.of("docs/alerts/lvs-rules.test.yml");
    public static final Path HELM = Path.of("helm/lvs-control-plane/alerts/lvs-rules.yml");
    private static final Pattern NAME = Pattern.compile("\\blvs_[a-z0-9_]+");

    private AlertRules() {
    }

    /** Every rule (alert name to its expression), in the file's order. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rules() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(DOCS));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) doc.get("groups")) {
            out.addAll((List<Map<String, Object>>) g.get("rules"));
        }
        return out;
    }

    /** The metric families the expressions read. */
    public static Set<String> metricNames() throws IOException {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> r : rules()) {
            Matcher m = NAME.matcher((String) r.get("expr"));
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }
}
