package io.lvscp.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.lvscp.LvsProperties;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Helm chart in helm/lvs-control-plane, through the helm library that helm-java
 * bundles (no helm binary, no cluster, no network): {@code helm lint --strict} and
 * {@code helm template} over the default values and every ci/*-values.yaml scenario,
 * and assertions on the rendered objects.
 */
class HelmChartTests {

    static final Path CHART = Path.of("helm", "lvs-control-plane");
    static final String RELEASE = "lvscp";
    static final String NAMESPACE = "lb";
    /** helm template assumes Kubernetes 1.20 without a cluster; the chart asks for 1.25 or later */
    static final String KUBE_VERSION = "v1.30.0";

    /** "default-chart" (no values file) and every ci/*-values.yaml. */
    static List<String> scenarios() throws IOException {
        List<String> all = new ArrayList<>();
        all.add("chart-defaults");
        try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-values.yaml")).sorted().forEach(all::add);
        }
        return all;
    }

    @Test
    void everyCiScenarioIsFound() throws IOException {
        assertThat(scenarios()).contains("default-values.yaml", "existing-secret-values.yaml",
                "servicemonitor-values.yaml", "custom-image-values.yaml");
    }

    @ParameterizedTest(name = "helm lint --strict ({0})")
    @MethodSource("scenarios")
    void lintsStrictly(String scenario, @TempDir Path tmp) throws IOException {
        Path chart = CHART;
        if (!scenario.equals("chart-defaults")) {
            // helm-java's lint takes no values file: lint a copy whose values.yaml is the
            // defaults with the scenario merged over them, as helm merges -f files
            chart = copyChart(tmp.resolve("lvs-control-plane"));
            Map<String, Object> merged = merge(yamlMap(CHART.resolve("values.yaml")), yamlMap(CHART.resolve("ci").resolve(scenario)));
            DumperOptions opts = new DumperOptions();
            opts.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            Files.writeString(chart.resolve("values.yaml"), new Yaml(opts).dump(merged));
        }
        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).as("lint --strict reports only [INFO]")
                .allMatch(m -> !m.contains("[ERROR]") && !m.contains("[WARNING]"));
    }

    @ParameterizedTest(name = "helm template ({0})")
    @MethodSource("scenarios")
    void rendersADirectorDaemonSet(String scenario) {
        Rendered r = render(scenario);
        Map<String, Object> values = r.values;
        Map<String, Object> ds = r.one("DaemonSet");
        Map<String, Object> pod = path(ds, "spec.template.spec");

        assertThat(pod.get("hostNetwork")).isEqualTo(true);
        assertThat(pod.get("dnsPolicy")).isEqualTo("ClusterFirstWithHostNet");
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).as("time for the VRRP priority-0 advert").isGreaterThanOrEqualTo(15);
        assertThat(pod.get("nodeSelector")).isEqualTo(path(values, "director.nodeSelector"));
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(mapAt(ds, "spec.selector.matchLabels")).isEqualTo(mapAt(ds, "spec.template.metadata.labels").entrySet().stream()
                .filter(e -> e.getKey().startsWith("app.kubernetes.io/"))
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));

        List<Map<String, Object>> containers = list(pod, "containers");
        assertThat(containers).hasSize(1);
        Map<String, Object> c = containers.get(0);
        Map<String, Object> sc = path(c, "securityContext");
        List<String> added = path(sc, "capabilities.add");
        List<String> dropped = path(sc, "capabilities.drop");
        assertThat(added).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
        assertThat(dropped).containsExactly("ALL");
        assertThat(sc.get("readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(sc.get("allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(sc.get("privileged")).isEqualTo(false);

        int port = (Integer) path(values, "server.port");
        assertThat(list(c, "ports")).containsExactly(Map.of("name", "http", "containerPort", port, "protocol", "TCP"));
        assertThat(objAt(c, "livenessProbe.httpGet")).isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "http"));
        assertThat(objAt(c, "readinessProbe.httpGet")).isEqualTo(Map.of("path", "/actuator/health/readiness", "port", "http"));
        assertThat(objAt(c, "startupProbe.httpGet")).isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "http"));

        Map<String, Map<String, Object>> env = env(c);
        assertThat(objAt(env.get("LVS_NODE_NAME"), "valueFrom.fieldRef.fieldPath")).isEqualTo("spec.nodeName");
        assertThat(env.get("SPRING_PROFILES_ACTIVE").get("value")).isEqualTo("postgres");
        assertThat(env.get("SPRING_DATASOURCE_URL").get("value")).isEqualTo(path(values, "postgresql.url"));
        assertThat(env.get("SERVER_PORT").get("value")).isEqualTo(String.valueOf(port));
        assertThat(env.get("LVS_DATAPLANE").get("value")).isEqualTo(path(values, "lvs.dataplane"));
        if ((Boolean) path(values, "server.bindHostIP")) {
            assertThat(objAt(env.get("SERVER_ADDRESS"), "valueFrom.fieldRef.fieldPath")).isEqualTo("status.hostIP");
        } else {
            assertThat(env).doesNotContainKey("SERVER_ADDRESS");
        }

        // the root file system is read-only: /tmp and the working directory's data/ are emptyDirs
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Map<String, Object> m : list(c, "volumeMounts")) {
            mounts.put((String) m.get("mountPath"), (String) m.get("name"));
        }
        assertThat(c.get("workingDir")).isEqualTo("/app");
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Map<String, Object> v : list(pod, "volumes")) {
            volumes.put((String) v.get("name"), v);
        }
        assertThat(volumes.get(mounts.get("/tmp"))).containsKey("emptyDir");
        assertThat(volumes.get(mounts.get("/app/data"))).containsKey("emptyDir");
        assertThat(objAt(volumes.get(mounts.get("/etc/lvs-control-plane")), "configMap.name"))
                .isEqualTo(path(r.one("ConfigMap", n -> !n.endsWith("-dashboards")), "metadata.name"));
        assertThat(env.get("SPRING_CONFIG_ADDITIONAL_LOCATION").get("value")).isEqualTo("optional:file:/etc/lvs-control-plane/");
    }

    @ParameterizedTest(name = "PostgreSQL credentials from a Secret ({0})")
    @MethodSource("scenarios")
    void takesTheDatabaseCredentialsFromASecret(String scenario) {
        Rendered r = render(scenario);
        Map<String, Map<String, Object>> env = env(list(r.one("DaemonSet"), "spec.template.spec.containers").get(0));
        Map<String, Object> user = path(env.get("SPRING_DATASOURCE_USERNAME"), "valueFrom.secretKeyRef");
        Map<String, Object> pass = path(env.get("SPRING_DATASOURCE_PASSWORD"), "valueFrom.secretKeyRef");
        assertThat(user.get("key")).isEqualTo(path(r.values, "postgresql.usernameKey"));
        assertThat(pass.get("key")).isEqualTo(path(r.values, "postgresql.passwordKey"));
        assertThat(user.get("name")).isEqualTo(pass.get("name"));
        assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).doesNotContainKey("value");

        String existing = (String) path(r.values, "postgresql.existingSecret");
        if (existing.isEmpty()) {
            Map<String, Object> secret = r.one("Secret");
            assertThat(objAt(secret, "metadata.name").toString()).isEqualTo(user.get("name"));
            Map<String, Object> data = path(secret, "data");
            assertThat(decode(data.get(user.get("key")))).isEqualTo(path(r.values, "postgresql.username"));
            assertThat(decode(data.get(pass.get("key")))).isEqualTo(path(r.values, "postgresql.password"));
        } else {
            assertThat(r.all("Secret")).as("no Secret when existingSecret is set").isEmpty();
            assertThat(user.get("name")).isEqualTo(existing);
        }
        String adminSecret = (String) path(r.values, "security.initialAdminPasswordSecret");
        if (adminSecret.isEmpty()) {
            assertThat(env).doesNotContainKey("LVS_SECURITY_INITIAL_ADMIN_PASSWORD");
        } else {
            Map<String, Object> admin = path(env.get("LVS_SECURITY_INITIAL_ADMIN_PASSWORD"), "valueFrom.secretKeyRef");
            assertThat(admin.get("name")).isEqualTo(adminSecret);
            assertThat(admin.get("key")).isEqualTo(path(r.values, "security.initialAdminPasswordKey"));
        }
    }

    @ParameterizedTest(name = "Service, ServiceMonitor, ConfigMaps ({0})")
    @MethodSource("scenarios")
    void rendersTheServiceMonitoringAndConfiguration(String scenario) throws IOException {
        Rendered r = render(scenario);
        Map<String, Object> podLabels = path(r.one("DaemonSet"), "spec.template.metadata.labels");

        Map<String, Object> svc = r.one("Service");
        assertThat(objAt(svc, "spec.type")).isEqualTo("ClusterIP");
        assertThat(podLabels).containsAllEntriesOf(path(svc, "spec.selector"));
        assertThat(list(svc, "spec.ports")).containsExactly(Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"));

        boolean monitored = (Boolean) path(r.values, "serviceMonitor.enabled");
        if (monitored) {
            Map<String, Object> sm = r.one("ServiceMonitor");
            assertThat(objAt(sm, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
            assertThat(mapAt(svc, "metadata.labels")).containsAllEntriesOf(path(sm, "spec.selector.matchLabels"));
            Map<String, Object> endpoint = list(sm, "spec.endpoints").get(0);
            assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus");
            assertThat(mapAt(sm, "metadata.labels")).containsAllEntriesOf(path(r.values, "serviceMonitor.labels"));
        } else {
            assertThat(r.all("ServiceMonitor")).isEmpty();
        }
        assertThat(scenario.equals("servicemonitor-values.yaml")).isEqualTo(monitored);

        Map<String, Object> dashboards = r.one("ConfigMap", n -> n.endsWith("-dashboards"));
        assertThat(mapAt(dashboards, "metadata.labels")).containsEntry("grafana_dashboard", "1");
        Map<String, Object> data = path(dashboards, "data");
        List<String> files;
        try (Stream<Path> s = Files.list(CHART.resolve("dashboards"))) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        assertThat(data.keySet()).containsExactlyInAnyOrderElementsOf(files);
        for (String f : files) {
            JsonNode dashboard = JsonMapper.builder().build().readTree((String) data.get(f));
            assertThat(dashboard.path("title").asString()).isNotBlank();
            assertThat(dashboard.path("panels").isArray() && !dashboard.path("panels").isEmpty()).as("%s has panels", f).isTrue();
        }
        String folder = (String) path(r.values, "dashboard.folder");
        if (!folder.isEmpty()) {
            assertThat(mapAt(dashboards, "metadata.annotations")).containsEntry("grafana_folder", folder);
        }

        Map<String, Object> config = r.one("ConfigMap", n -> !n.endsWith("-dashboards"));
        Object appYaml = yaml().load((String) mapAt(config, "data").get("application.yml"));
        Map<String, Object> extra = path(r.values, "config");
        if (extra.isEmpty()) {
            assertThat(appYaml).isNull();
        } else {
            assertThat(appYaml).isEqualTo(extra);
        }

        for (Map<String, Object> o : r.objects) {
            String name = (String) path(o, "metadata.name");
            assertThat(name).startsWith(RELEASE);
            Map<String, Object> labels = path(o, "metadata.labels");
            assertThat(labels).containsEntry("app.kubernetes.io/instance", RELEASE).containsKey("helm.sh/chart");
        }
    }

    @Test
    void imageDefaultsToTheChartsAppVersionAndTakesARegistryAndDigest() throws IOException {
        String appVersion = (String) yamlMap(CHART.resolve("Chart.yaml")).get("appVersion");
        assertThat(image(render("chart-defaults"))).isEqualTo("lvs-control-plane:" + appVersion);
        assertThat(image(render("custom-image-values.yaml"))).isEqualTo(
                "registry.example.internal:5000/platform/lvs-control-plane@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        Map<String, Object> pod = path(render("custom-image-values.yaml").one("DaemonSet"), "spec.template.spec");
        assertThat(list(pod, "imagePullSecrets")).containsExactly(Map.of("name", "internal-registry"));
        assertThat(list(pod, "tolerations")).hasSize(1);
    }

    /** values.schema.json turns a mistyped value into an error before anything is installed. */
    @ParameterizedTest(name = "refused: {0}={1}")
    @org.junit.jupiter.params.provider.CsvSource({
        "lvs.dataplane, kernle",
        "lvs.reconcile.pollInterval, 1 second",
        "server.port, 70000",
        "postgresql.url, postgres://db/lvscp",
        "director.terminationGracePeriodSeconds, 2",
        "image.digest, latest",
        "serviceMonitor.enabeld, true",
    })
    void theSchemaRefusesMistypedValues(String key, String value) {
        var template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION)
                .withValuesFile(CHART.resolve("ci").resolve("default-values.yaml"));
        Object typed = value.matches("[0-9]+") ? Integer.valueOf(value) : value.equals("true") ? Boolean.TRUE : value;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> template.set(key, typed).call())
                .hasMessageContaining("schema");
    }

    @Test
    void chartAppVersionIsTheProjectVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>lvs-control-plane</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        assertThat(yamlMap(CHART.resolve("Chart.yaml")).get("appVersion")).isEqualTo(m.group(1));
    }

    /**
     * The environment variables the DaemonSet sets reach the service's properties through
     * Spring Boot's relaxed binding (LVS_RECONCILE_POLL_INTERVAL -> lvs.reconcile.poll-interval).
     */
    @ParameterizedTest(name = "environment binds to lvs.* ({0})")
    @MethodSource("scenarios")
    void theEnvironmentBindsToTheServicesProperties(String scenario) {
        Rendered r = render(scenario);
        Map<String, Object> literal = new LinkedHashMap<>();
        env(list(r.one("DaemonSet"), "spec.template.spec.containers").get(0)).forEach((name, e) -> {
            if (e.get("value") != null) {
                literal.put(name, e.get("value"));
            }
        });
        literal.put("LVS_NODE_NAME", "node-a"); // from spec.nodeName at run time
        Binder binder = new Binder(ConfigurationPropertySources.from(
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, literal)),
                null, ApplicationConversionService.getSharedInstance());
        LvsProperties lvs = binder.bind("lvs", Bindable.of(LvsProperties.class)).get();
        assertThat(lvs.nodeName()).isEqualTo("node-a");
        assertThat(lvs.dataplane().name().toLowerCase().replace('_', '-')).isEqualTo(objAt(r.values, "lvs.dataplane"));
        assertThat(lvs.reconcile().pollInterval()).isEqualTo(DurationStyle.detectAndParse((String) path(r.values, "lvs.reconcile.pollInterval")));
        assertThat(lvs.reconcile().resyncInterval()).isEqualTo(DurationStyle.detectAndParse((String) path(r.values, "lvs.reconcile.resyncInterval")));
        assertThat(lvs.reconcile().drainTimeout()).isEqualTo(DurationStyle.detectAndParse((String) path(r.values, "lvs.reconcile.drainTimeout")));
        assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(objAt(r.values, "server.port"));
        assertThat(binder.bind("spring.datasource.url", String.class).get()).isEqualTo(objAt(r.values, "postgresql.url"));
        assertThat(binder.bind("spring.profiles.active", String.class).get()).isEqualTo("postgres");
        assertThat(binder.bind("spring.config.additional-location", String.class).get()).isEqualTo("optional:file:/etc/lvs-control-plane/");
    }

    /** Every value is commented, and the comment starts with the value's dotted key. */
    @Test
    void everyValueIsCommentedWithItsKey() throws IOException {
        List<String> lines = Files.readAllLines(CHART.resolve("values.yaml"));
        Pattern keyLine = Pattern.compile("^( *)([A-Za-z][A-Za-z0-9_]*):.*$");
        List<String> stack = new ArrayList<>();
        List<Integer> indents = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = keyLine.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
                indents.remove(indents.size() - 1);
                stack.remove(stack.size() - 1);
            }
            stack.add(m.group(2));
            indents.add(indent);
            String key = String.join(".", stack);
            // the contents of Kubernetes objects passed through as they are (resources,
            // securityContext, updateStrategy, probe settings) are documented by their parent
            if (stack.size() > 1 && PASSTHROUGH.stream().anyMatch(p -> key.startsWith(p + "."))) {
                continue;
            }
            checked++;
            int j = i - 1;
            while (j >= 0 && lines.get(j).trim().startsWith("#") && j - 1 >= 0 && lines.get(j - 1).trim().startsWith("#")) {
                j--;
            }
            String comment = j >= 0 ? lines.get(j).trim() : "";
            if (!comment.startsWith("# " + key + " --")) {
                missing.add(key + " (line " + (i + 1) + ")");
            }
        }
        assertThat(checked).isGreaterThan(40);
        assertThat(missing).as("values without a comment starting with their key").isEmpty();
    }

    static final List<String> PASSTHROUGH = List.of("resources", "securityContext", "podSecurityContext",
            "director.updateStrategy", "director.nodeSelector", "probes.startup", "probes.liveness", "probes.readiness");

    // --- rendering -------------------------------------------------------------------------

    record Rendered(Map<String, Object> values, List<Map<String, Object>> objects) {
        List<Map<String, Object>> all(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        Map<String, Object> one(String kind) {
            return one(kind, n -> true);
        }

        Map<String, Object> one(String kind, java.util.function.Predicate<String> name) {
            List<Map<String, Object>> found = all(kind).stream().filter(o -> name.test((String) path(o, "metadata.name"))).toList();
            assertThat(found).as("one %s", kind).hasSize(1);
            return found.get(0);
        }
    }

    static Rendered render(String scenario) {
        var template = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withKubeVersion(KUBE_VERSION);
        Map<String, Object> values = yamlMap(CHART.resolve("values.yaml"));
        if (!scenario.equals("chart-defaults")) {
            Path file = CHART.resolve("ci").resolve(scenario);
            template = template.withValuesFile(file);
            values = merge(values, yamlMap(file));
        }
        String out = template.call();
        try {
            // kept for people to read: target/helm/<scenario>.yaml
            Path keep = Path.of("target", "helm", scenario.replace("-values.yaml", "") + ".yaml");
            Files.createDirectories(keep.getParent());
            Files.writeString(keep, out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : yaml().loadAll(out)) {
            if (doc != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> o = (Map<String, Object>) doc;
                objects.add(o);
            }
        }
        assertThat(objects).isNotEmpty();
        for (Map<String, Object> o : objects) {
            assertThat(objAt(o, "metadata.namespace")).as("namespace of %s", o.get("kind")).isNotNull();
        }
        return new Rendered(values, objects);
    }

    static String image(Rendered r) {
        return (String) list(r.one("DaemonSet"), "spec.template.spec.containers").get(0).get("image");
    }

    static Map<String, Map<String, Object>> env(Map<String, Object> container) {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Map<String, Object> e : list(container, "env")) {
            assertThat(env.put((String) e.get("name"), e)).as("env %s set twice", e.get("name")).isNull();
        }
        return env;
    }

    static String decode(Object base64) {
        return new String(Base64.getDecoder().decode(Objects.toString(base64)), StandardCharsets.UTF_8);
    }

    // --- YAML helpers ----------------------------------------------------------------------

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    static Map<String, Object> yamlMap(Path file) {
        try {
            Map<String, Object> m = yaml().load(Files.readString(file));
            return m == null ? new LinkedHashMap<>() : m;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Helm's merge of a values file over the defaults: maps merge key by key, anything else replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        over.forEach((k, v) -> {
            Object old = out.get(k);
            if (v instanceof Map<?, ?> vm && old instanceof Map<?, ?> om) {
                out.put(k, merge((Map<String, Object>) om, (Map<String, Object>) vm));
            } else if (v == null) {
                out.remove(k);
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    static Object objAt(Map<String, Object> map, String dotted) {
        return path(map, dotted);
    }

    static Map<String, Object> mapAt(Map<String, Object> map, String dotted) {
        return path(map, dotted);
    }

    @SuppressWarnings("unchecked")
    static <T> T path(Map<String, Object> map, String dotted) {
        Object cur = map;
        // keys may contain dots (labels): walk the longest key that matches at each step
        String rest = dotted;
        while (!rest.isEmpty()) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            String found = null;
            for (Object k : m.keySet()) {
                String ks = k.toString();
                if ((rest.equals(ks) || rest.startsWith(ks + ".")) && (found == null || ks.length() > found.length())) {
                    found = ks;
                }
            }
            if (found == null) {
                return null;
            }
            cur = m.get(found);
            rest = rest.length() == found.length() ? "" : rest.substring(found.length() + 1);
        }
        return (T) cur;
    }

    static List<Map<String, Object>> list(Map<String, Object> map, String dotted) {
        List<Map<String, Object>> l = path(map, dotted);
        assertThat(l).as(dotted).isNotNull();
        return l;
    }

    static Path copyChart(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(CHART)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(CHART.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return target;
    }
}
