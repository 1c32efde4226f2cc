package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.CheckType;
import io.lvscp.health.HealthMonitor.Target;
import io.lvscp.support.LabRequirement;
import io.lvscp.support.MutableClock;
import io.lvscp.support.StreamedSeries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The health series as Prometheus scrapes them; promtool (Debian's prometheus package) lints them where it is installed. */
class HealthMetricsTests {

    @Test
    void seriesFollowPrometheusConventions() throws Exception {
        // with the service's Micrometer clock (dataplane.HealthClockConfiguration): the loop pass's time on the native prober's loop
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
                new io.prometheus.metrics.model.registry.PrometheusRegistry(), LoopTime.micrometerClock());
        int closed = LocalServers.closedPort();
        CheckDefinition d = new CheckDefinition(CheckType.TCP_CHECK, "127.0.0.1", closed, null, null, null, null, null, false, null,
                Duration.ofMillis(500), null, 0, Duration.ZERO, Duration.ofMillis(100), false, 1, 1);
        try (Prober prober = new Prober(1, null)) {
            MutableClock clock = new MutableClock();
            HealthMonitor monitor = new HealthMonitor(prober::probe, clock);
            HealthMeters series = HealthMeters.attach(monitor, registry, "lvs1");
            monitor.setTargets(List.of(new Target(1, 1L, "wtc", "172.18.42.42:80/tcp", "127.0.0.1:" + closed, d),
                    new Target(2, 1L, "wtc", "172.18.42.42:80/tcp", "172.18.42.222:80", null)));
            HealthMonitorTests.advanceTo(monitor, clock, clock.instant().plusMillis(100), true);
            assertThat(monitor.downRealServers()).containsExactly(1L);
            // the per-real-server families are streamed (the scrape endpoint appends them to the registry's text)
            String scrape = registry.scrape() + StreamedSeries.text(series);
            series.close();
            assertThat(scrape).contains("lvs_realserver_up{cluster=\"wtc\",node=\"lvs1\",real_server=\"127.0.0.1:" + closed
                    + "\",virtual_server=\"172.18.42.42:80/tcp\"} 0")
                    .contains("lvs_realserver_up{cluster=\"wtc\",node=\"lvs1\",real_server=\"172.18.42.222:80\",virtual_server=\"172.18.42.42:80/tcp\"} 1")
                    .contains("lvs_realserver_flaps_total{")
                    .contains("lvs_healthcheck_failures_total{reason=\"refused\"}")
                    .contains("lvs_healthcheck_duration_seconds_bucket{type=\"TCP_CHECK\",le=\"0.001\"}")
                    .contains("# TYPE lvs_healthcheck_duration_seconds histogram")
                    .contains("lvs_healthcheck_lateness_seconds_bucket{le=\"0.05\"}")
                    .contains("# TYPE lvs_healthcheck_lateness_seconds histogram")
                    .contains("lvs_healthcheck_duration_seconds_bucket{type=\"TCP_CHECK\",le=\"5.0\"}")
                    .contains("lvs_healthcheck_duration_seconds_count{type=\"TCP_CHECK\"} 1")
                    .contains("lvs_healthcheck_lateness_seconds_count 1");
            Path promtool = Path.of("/usr/bin/promtool");
            LabRequirement.require(Files.isExecutable(promtool), "promtool is not installed (apt-get install prometheus)");
            StringBuilder ours = new StringBuilder();
            boolean keep = false;
            for (String line : scrape.split("\n")) {
                if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                    keep = line.split(" ")[2].startsWith("lvs_");
                }
                if (keep) {
                    ours.append(line).append('\n');
                }
            }
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
            p.getOutputStream().write(ours.toString().getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out + "\n" + ours).isZero();
        }
    }
}
