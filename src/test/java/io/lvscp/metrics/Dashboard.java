package io.lvscp.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Grafana dashboard the chart ships, read for its queries and the metric names they use. */
public final class Dashboard {

    public static final Path HELM = Path.of("helm/lvs-control-plane/dashboards/lvs-control-plane.json");
    public static final Path DOCS = Path.of("docs/grafana/lvs-control-plane.json");
    private static final Pattern NAME = Pattern.compile("\\blvs_[a-z0-9_]+");
    private static final Pattern NAME_REGEX = Pattern.compile("(lvs_[a-z0-9_]*)\\(([a-z0-9_|]+)\\)(_total)?");

    private Dashboard() {
    }

    public static JsonNode read() throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(HELM));
    }

    /** Every panel query, and the variables' queries, as written (with Grafana's $variables). */
    public static List<String> expressions() throws IOException {
        JsonNode d = read();
        List<String> out = new ArrayList<>();
        for (JsonNode p : d.get("panels")) {
            if (p.has("targets")) {
                p.get("targets").forEach(t -> out.add(t.get("expr").asString()));
            }
        }
        return out;
    }

    /** A query with Grafana's variables replaced, so Prometheus' own parser can check it. */
    public static String concrete(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__range", "1h").replace("$__interval", "1m").replace("$cluster", ".*")
                .replace("$vip", ".*").replace("$node", ".*");
    }

    /**
     * The metric families the queries read: "lvs_vrrp_state", "lvs_healthcheck_duration_seconds" (for its _bucket), and
     * each alternative of a name regex such as lvs_vrrp_(a|b)_total.
     */
    public static Set<String> metricNames() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String e : expressions()) {
            Matcher r = NAME_REGEX.matcher(e);
            while (r.find()) {
                for (String alt : r.group(2).split("\\|")) {
                    out.add(r.group(1) + alt + (r.group(3) == null ? "" : r.group(3)));
                }
            }
            String rest = NAME_REGEX.matcher(e).replaceAll("");
            Matcher m = NAME.matcher(rest);
            while (m.find()) {
                String n = m.group();
                out.add(n.endsWith("_bucket") ? n.substring(0, n.length() - "_bucket".length()) : n);
            }
        }
        return out;
    }
}
