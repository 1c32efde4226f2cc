package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses.Family;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.common.Scheduler;
import io.lvscp.common.SteadyMultiGauge;
import io.lvscp.common.StreamedMetrics;
import io.lvscp.health.CheckDefinition;
import io.lvscp.health.CheckResult;
import io.lvscp.health.HealthMeters;
import io.lvscp.health.HealthMonitor;
import io.lvscp.health.HealthMonitor.Flip;
import io.lvscp.health.HealthMonitor.Target;
import io.lvscp.plan.PlanInput;
import io.lvscp.support.LabRequirement;
import io.lvscp.support.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;

/**
 * The streamed families ({@code lvs_realserver_up}, {@code lvs_realserver_flaps_total}, {@code lvs_virtual_server_quorum_up})
 * through the scrape endpoint, in all three formats, against what the Micrometer meters they replace gave (the
 * meters are registered here as the service registered them before, in a Prometheus registry of their own, and
 * follow the same monitor and compiles): the same text line for line (HELP, TYPE, labels, order, values), the same
 * protobuf bytes, while real servers flip, stay, change their check and go away.
 */
class StreamedScrapeTests {

    static final String NODE = "lvs1";
    final MutableClock clock = new MutableClock();
    final AtomicBoolean failing = new AtomicBoolean();
    final HealthMonitor monitor = new HealthMonitor(d -> CompletableFuture.completedFuture(
            failing.get() ? CheckResult.fail(CheckResult.Reason.BAD_STATUS, "status 503", 1_000_000) : CheckResult.ok(1_000_000)), clock);
    final StreamedMetrics streamed = new StreamedMetrics();
    /** The service's registry, without the families (they are streamed). */
    final PrometheusMeterRegistry service = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final IpvsScrapeEndpoint endpoint = new IpvsScrapeEndpoint(service.getPrometheusRegistry(), null, streamed, null);
    final HealthMeters health = HealthMeters.attach(monitor, new SimpleMeterRegistry(), NODE);
    final QuorumMetrics quorum = new QuorumMetrics(NODE, streamed);
    /** The meters as before, for comparison. */
    final PrometheusMeterRegistry before = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(),
            new io.micrometer.core.instrument.Clock() {
                @Override
                public long wallTime() {
                    return clock.millis(); // the counters' created timestamps (protobuf) from the monitor's clock, as ours
                }

                @Override
                public long monotonicTime() {
                    return System.nanoTime();
                }
            });
    final OldMeters old = new OldMeters();
    final SteadyMultiGauge oldQuorum = new SteadyMultiGauge("lvs.virtual.server.quorum.up",
            "1 while the virtual server's live weight meets its quorum (with hysteresis), 0 below it", before);

    {
        streamed.add(health);
        monitor.addListener(old);
    }

    @AfterEach
    void close() {
        health.close();
    }

    static final CheckDefinition CHECK = CheckDefinition.httpGet("127.0.0.1", 8080, "/", Duration.ofMillis(200), Duration.ofSeconds(1))
            .withPolicy(0, Duration.ofMillis(50), Duration.ofMillis(200), false, 1, 1);
    static final CheckDefinition OTHER = CheckDefinition.httpGet("127.0.0.1", 8080, "/other", Duration.ofMillis(200), Duration.ofSeconds(1))
            .withPolicy(0, Duration.ofMillis(50), Duration.ofMillis(200), false, 1, 1);

    static Target target(long id, String vs, String rs, CheckDefinition check) {
        return new Target(id, 1L, "wtc", vs, rs, check);
    }

    /** Runs every check due up to {@code ms} from now, in clock order. */
    void run(long ms) throws Exception {
        Instant until = clock.instant().plusMillis(ms);
        for (Instant next = monitor.nextDue(); next != null && !next.isAfter(until); next = monitor.nextDue()) {
            if (next.isAfter(clock.instant())) {
                clock.advance(Duration.between(clock.instant(), next));
            }
            monitor.runDue().get(30, TimeUnit.SECONDS);
        }
    }

    String scrape(PrometheusOutputFormat format) {
        return new String(endpoint.scrape(format, null).getBody(), StandardCharsets.UTF_8);
    }

    /** The families of the old meters in {@code format}, as the client's writers give them (OpenMetrics with its # EOF). */
    String reference(PrometheusOutputFormat format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats formats = ExpositionFormats.init();
        MetricSnapshots s = before.getPrometheusRegistry().scrape();
        if (format == PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100) {
            formats.getOpenMetricsTextFormatWriter().write(out, s);
        } else {
            formats.getPrometheusTextFormatWriter().write(out, s);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Every line of the endpoint's text that belongs to an lvs_ family (and # EOF), in order. */
    static List<String> lvsLines(String text) {
        List<String> out = new ArrayList<>();
        for (String l : text.split("\n")) {
            String name = l.startsWith("# ") ? (l.split(" ").length > 2 ? l.split(" ")[2] : "") : l;
            if (name.startsWith("lvs_realserver_") || name.startsWith("lvs_virtual_server_quorum") || l.equals("# EOF")) {
                out.add(l);
            }
        }
        return out;
    }

    void assertSameAsTheMeters() throws Exception {
        for (PrometheusOutputFormat f : List.of(PrometheusOutputFormat.CONTENT_TYPE_004, PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100)) {
            String ours = scrape(f);
            // the streamed families are appended after the registry's, flaps before up as the client orders by name
            List<String> expected = lvsLines(reference(f));
            List<String> actual = lvsLines(ours);
            if (f == PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100) {
                assertThat(ours).endsWith("# EOF\n").containsOnlyOnce("# EOF");
            }
            assertThat(sortedFamilies(actual)).as(f.name()).isEqualTo(sortedFamilies(expected));
        }
        // protobuf: the same bytes as the client's writer gives the meters' snapshots (the service registry here has none of ours)
        IpvsScrapeEndpoint onlyStreamed = new IpvsScrapeEndpoint(new PrometheusRegistry(), null, streamed, null);
        byte[] ours = onlyStreamed.scrape(PrometheusOutputFormat.CONTENT_TYPE_PROTOBUF, null).getBody();
        ByteArrayOutputStream ref = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusProtobufWriter().write(ref, before.getPrometheusRegistry().scrape(
                n -> n.startsWith("lvs_realserver_") || n.startsWith("lvs_virtual_server_quorum")));
        assertThat(ours).isEqualTo(ref.toByteArray());
    }

    /** Families (a HELP/TYPE block and its series) in name order; within a family the lines stay in order. */
    static List<List<String>> sortedFamilies(List<String> lines) {
        Map<String, List<String>> byName = new java.util.TreeMap<>();
        String current = null;
        for (String l : lines) {
            if (l.startsWith("# ") && !l.equals("# EOF")) {
                String n = l.split(" ")[2].replaceAll("_total$", "");
                current = n;
            }
            byName.computeIfAbsent(l.equals("# EOF") ? "~eof" : current, k -> new ArrayList<>()).add(l);
        }
        return new ArrayList<>(byName.values());
    }

    PlanInput plan(Map<Long, String> vss) {
        List<PlanInput.VirtualServer> list = new ArrayList<>();
        vss.forEach((id, vip) -> list.add(new PlanInput.VirtualServer(id, 10, Family.IPV4, vip, 80, Protocol.TCP, null, Scheduler.WLC,
                Forwarding.DR, null, null, 1, null, null, 0)));
        return new PlanInput(NODE, 1, "wtc", 1, List.of(), list, List.of(), Set.of(), null, null);
    }

    void compile(Map<Long, String> vss, Map<Long, Boolean> up) {
        PlanInput input = plan(vss);
        quorum.update(input, up);
        Map<Tags, Integer> rows = new LinkedHashMap<>();
        for (PlanInput.VirtualServer vs : input.virtualServers()) {
            Boolean u = up.get(vs.id());
            if (u != null) {
                rows.put(Tags.of("cluster", "wtc", "virtual_server", QuorumMetrics.label(vs), "node", NODE), u ? 1 : 0);
            }
        }
        oldQuorum.set(rows);
    }

    @Test
    void theStreamedFamiliesAreWhatTheMetersWereInEveryFormatAndFollowThePlan() throws Exception {
        assertThat(lvsLines(scrape(PrometheusOutputFormat.CONTENT_TYPE_004))).as("nothing watched: no family").isEmpty();
        // labels that need escaping, and values that sort differently as strings and as encoded bytes
        List<Target> targets = List.of(target(1, "10.0.0.1:80/tcp", "10.1.0.1:80", CHECK), target(2, "10.0.0.1:80/tcp", "10.1.0.1:8080", null),
                target(3, "10.0.0.1:80/tcp", "10.1.0.1:80 b", null), target(4, "10.0.0.2:80/tcp", "a\"b\\c\nd", CHECK),
                target(5, "10.0.0.2:80/tcp", "10.1.0.5:80", OTHER));
        monitor.setTargets(targets);
        compile(Map.of(100L, "10.0.0.1", 200L, "10.0.0.2", 300L, "10.0.0.3"), Map.of(100L, true, 200L, false, 300L, true));
        run(300);
        assertSameAsTheMeters();
        failing.set(true);
        run(400);
        assertThat(monitor.downRealServers()).containsExactlyInAnyOrder(1L, 4L, 5L);
        String text = scrape(PrometheusOutputFormat.CONTENT_TYPE_004);
        assertThat(text).contains("lvs_realserver_up{cluster=\"wtc\",node=\"lvs1\",real_server=\"10.1.0.1:80\",virtual_server=\"10.0.0.1:80/tcp\"} 0.0")
                .contains("lvs_realserver_flaps_total{cluster=\"wtc\",node=\"lvs1\",real_server=\"10.1.0.1:80\",virtual_server=\"10.0.0.1:80/tcp\"} 1.0")
                .contains("lvs_realserver_up{cluster=\"wtc\",node=\"lvs1\",real_server=\"10.1.0.1:8080\",virtual_server=\"10.0.0.1:80/tcp\"} 1.0")
                .contains("lvs_virtual_server_quorum_up{cluster=\"wtc\",node=\"lvs1\",virtual_server=\"10.0.0.2:80/tcp\"} 0.0");
        assertSameAsTheMeters();
        failing.set(false);
        run(400);
        assertSameAsTheMeters();

        // a plan change that keeps real servers 1 and 4 as they were: their counts go on; 3 is removed, 5's check changes
        monitor.setTargets(List.of(targets.get(0), targets.get(1), targets.get(3), target(5, "10.0.0.2:80/tcp", "10.1.0.5:80", CHECK)));
        compile(Map.of(100L, "10.0.0.1", 200L, "10.0.0.2"), Map.of(100L, true, 200L, true));
        String after = scrape(PrometheusOutputFormat.CONTENT_TYPE_004);
        assertThat(after).doesNotContain("10.1.0.1:80 b").doesNotContain("10.0.0.3:80/tcp")
                .contains("lvs_realserver_flaps_total{cluster=\"wtc\",node=\"lvs1\",real_server=\"10.1.0.1:80\",virtual_server=\"10.0.0.1:80/tcp\"} 2.0")
                .contains("lvs_realserver_flaps_total{cluster=\"wtc\",node=\"lvs1\",real_server=\"10.1.0.5:80\",virtual_server=\"10.0.0.2:80/tcp\"} 0.0");
        for (PrometheusOutputFormat f : List.of(PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100, PrometheusOutputFormat.CONTENT_TYPE_PROTOBUF)) {
            String body = scrape(f);
            assertThat(body).as(f.name()).contains("lvs_realserver_up").contains("lvs_realserver_flaps").contains("lvs_virtual_server_quorum_up")
                    .contains("10.1.0.1:8080").doesNotContain("10.1.0.1:80 b").doesNotContain("10.0.0.3:80/tcp");
        }
        assertSameAsTheMeters();

        // the name[] filter: by family name, a counter's without _total (as the registry filtered the meters)
        String filtered = new String(endpoint.scrape(PrometheusOutputFormat.CONTENT_TYPE_004, Set.of("lvs_realserver_flaps")).getBody(),
                StandardCharsets.UTF_8);
        assertThat(filtered.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("[{ ].*", "")).distinct())
                .containsExactly("lvs_realserver_flaps_total");

        // every real server and virtual server gone: the families go
        monitor.setTargets(List.of());
        compile(Map.of(), Map.of());
        assertThat(lvsLines(scrape(PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100))).containsExactly("# EOF");
        assertSameAsTheMeters();
        assertThat(new String(endpoint.scrape(PrometheusOutputFormat.CONTENT_TYPE_PROTOBUF, null).getBody(), StandardCharsets.ISO_8859_1))
                .doesNotContain("lvs_realserver");
    }

    @Test
    void promtoolAcceptsTheScrape() throws Exception {
        List<Target> targets = new ArrayList<>();
        Map<Long, String> vss = new HashMap<>();
        Map<Long, Boolean> up = new HashMap<>();
        for (int v = 0; v < 50; v++) {
            vss.put((long) v, "10.0." + v + ".1");
            up.put((long) v, v % 3 != 0);
            for (int r = 0; r < 10; r++) {
                targets.add(target(v * 10L + r, "10.0." + v + ".1:80/tcp", "10.1." + v + "." + r + ":80", r == 0 ? CHECK : null));
            }
        }
        monitor.setTargets(targets);
        compile(vss, up);
        failing.set(true);
        run(400);
        String text = scrape(PrometheusOutputFormat.CONTENT_TYPE_004);
        assertThat(text.lines().filter(l -> l.startsWith("lvs_realserver_up{")).count()).isEqualTo(500);
        assertThat(text.lines().filter(l -> l.startsWith("lvs_virtual_server_quorum_up{")).count()).isEqualTo(50);
        LabRequirement.require(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is missing (apt-get install prometheus)");
        io.lvscp.support.Promtool.assertAccepted(io.lvscp.support.Promtool.lvsSeries(text), "the lvs_ series");
    }

    /** The per-real-server meters as HealthMeters registered them before they were streamed (for comparison only). */
    final class OldMeters implements HealthMonitor.Listener {
        private record PerTarget(Target target, Meter up, Counter flaps) {
        }

        private final Map<Long, PerTarget> perTarget = new HashMap<>();

        @Override
        public synchronized void targetsChanged(Collection<Target> targets) {
            Map<Long, Target> byId = new HashMap<>();
            targets.forEach(t -> byId.put(t.realServerId(), t));
            for (var it = perTarget.entrySet().iterator(); it.hasNext();) {
                var e = it.next();
                if (!e.getValue().target().equals(byId.get(e.getKey()))) {
                    before.remove(e.getValue().up());
                    before.remove(e.getValue().flaps());
                    it.remove();
                }
            }
            for (Target t : byId.values()) {
                perTarget.computeIfAbsent(t.realServerId(), id -> {
                    Tags tags = Tags.of("cluster", t.cluster(), "virtual_server", t.virtualServer(), "real_server", t.realServer(), "node", NODE);
                    Meter up = Gauge.builder("lvs.realserver.up", monitor, m -> m.isUp(id) ? 1 : 0)
                            .description("1 when the real server's health check passes (or it has none), 0 when it reports down").tags(tags)
                            .strongReference(false).register(before);
                    Counter flaps = Counter.builder("lvs.realserver.flaps").description("Up/down changes of the real server's health")
                            .tags(tags).register(before);
                    return new PerTarget(t, up, flaps);
                });
            }
        }

        @Override
        public synchronized void flipped(Flip flip) {
            for (Target t : flip.targets()) {
                PerTarget m = perTarget.get(t.realServerId());
                if (m != null) {
                    m.flaps().increment();
                }
            }
        }
    }
}
