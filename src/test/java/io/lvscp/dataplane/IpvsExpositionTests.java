package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.IpvsMetrics;
import io.lvscp.ipvs.Stats;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.VirtualService;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The text written directly is the text the Prometheus client's writers make of {@link IpvsMetrics}' snapshots:
 * the same lines in the same order, the values equal as numbers (counters here are integers, the client writes
 * doubles), in both text formats, scrape after scrape while the table changes.
 */
class IpvsExpositionTests {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static String client(ExpositionFormatWriter w, MetricSnapshots s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out, s);
        String text = out.toString(StandardCharsets.UTF_8);
        return text.endsWith("# EOF\n") ? text.substring(0, text.length() - 6) : text;
    }

    static String ours(IpvsExposition e, IpvsExposition.Format f, java.util.function.Predicate<String> include) {
        IpvsExposition.Text t = e.write(f, include);
        return new String(t.bytes(), 0, t.length(), StandardCharsets.UTF_8);
    }

    /** Comment lines as they are; a sample line as its name and labels plus its value as a number. */
    static List<String> normalised(String text) {
        return text.lines().map(l -> l.startsWith("#") ? l
                : l.substring(0, l.lastIndexOf(' ')) + " = " + new java.math.BigDecimal(l.substring(l.lastIndexOf(' ') + 1)).stripTrailingZeros()
                        .toPlainString()).toList();
    }

    static List<List<TableEntry>> tables() throws Exception {
        VirtualService a = new VirtualService(VirtualService.AF_INET, VirtualService.TCP, ip("172.18.42.42"), 80, 0, "wlc", 0, 0, 32, null,
                new Stats(10, 100, 90, 6000, 5000, 0, 0, 0, 0, 0));
        VirtualService b = VirtualService.of(VirtualService.UDP, ip("2001:db8::1"), 53, "rr");
        VirtualService mark = VirtualService.fwmark(VirtualService.AF_INET6, 8, "rr");
        Destination d1 = new Destination(2, ip("172.18.42.221"), 80, Forward.DIRECT_ROUTE, 5, 0, 0, null, 0, 0, 3, 4, 1,
                new Stats(7, 70, 0, 4200, 123456789012L, 0, 0, 0, 0, 0));
        Destination d2 = Destination.of(ip("172.18.42.222"), 80, Forward.DIRECT_ROUTE, 0);
        Destination d3 = Destination.of(ip("2001:db8::21"), 53, Forward.NAT, 3);
        List<TableEntry> many = new java.util.ArrayList<>();
        for (int s = 0; s < 30; s++) {
            VirtualService vs = new VirtualService(VirtualService.AF_INET, VirtualService.TCP, ip("10.60.0." + (30 - s)), 80 + s % 3, 0, "rr", 0, 0,
                    32, null, new Stats(s, s * 2L, s * 3L, s * 1000L, s * 999L, 0, 0, 0, 0, 0));
            List<Destination> ds = new java.util.ArrayList<>();
            for (int d = 9; d >= 0; d--) {
                ds.add(new Destination(2, ip("10.61." + s + "." + (d * 7 + 1)), 8080, Forward.DIRECT_ROUTE, d, 0, 0, null, 0, 0, d, s, 0,
                        new Stats(d, d, d, d * 1500L, d, 0, 0, 0, 0, 0)));
            }
            many.add(new TableEntry(vs, ds));
        }
        return List.of(
                List.of(new TableEntry(a, List.of(d2, d1)), new TableEntry(b, List.of(d3)), new TableEntry(mark, List.of())),
                List.of(new TableEntry(b, List.of(d3)), new TableEntry(a, List.of(d1, d2))), // other order, one gone
                List.of(new TableEntry(a, List.of(d1))),
                many,
                List.of(new TableEntry(a, List.of(d1, d2)), new TableEntry(b, List.of())),
                List.of());
    }

    @Test
    void bothTextFormatsSayWhatTheClientsWritersSayScrapeAfterScrape() throws Exception {
        IpvsExposition e = new IpvsExposition("lvs1");
        for (String cluster : List.of("web", "other")) {
            for (List<TableEntry> t : tables()) {
                e.update(t, cluster);
                MetricSnapshots s = IpvsMetrics.snapshots(t, "lvs1", cluster);
                assertThat(normalised(ours(e, IpvsExposition.Format.PROMETHEUS_TEXT, null)))
                        .isEqualTo(normalised(client(PrometheusTextFormatWriter.create(), s)));
                assertThat(normalised(ours(e, IpvsExposition.Format.OPENMETRICS, null)))
                        .isEqualTo(normalised(client(OpenMetricsTextFormatWriter.create(), s)));
            }
        }
    }

    @Test
    void countersAreTheKernelsUnsigned64BitIntegersExactly() throws Exception {
        VirtualService a = new VirtualService(VirtualService.AF_INET, VirtualService.TCP, ip("172.18.42.42"), 80, 0, "rr", 0, 0, 32, null,
                new Stats(10, (1L << 53) + 1, 0, -2, 0, 0, 0, 0, 0, 0));
        IpvsExposition e = new IpvsExposition("lvs1");
        e.update(List.of(new TableEntry(a, List.of())), "web");
        assertThat(ours(e, IpvsExposition.Format.PROMETHEUS_TEXT, null))
                .contains("lvs_ipvs_virtual_server_packets_total{cluster=\"web\",direction=\"in\",node=\"lvs1\",virtual_server=\"172.18.42.42:80/tcp\"} 9007199254740993\n")
                .contains("lvs_ipvs_virtual_server_bytes_total{cluster=\"web\",direction=\"in\",node=\"lvs1\",virtual_server=\"172.18.42.42:80/tcp\"} 18446744073709551614\n");
    }

    @Test
    void aNameFilterKeepsTheFamiliesItNamesWithOrWithoutTotal() throws Exception {
        IpvsExposition e = new IpvsExposition("lvs1");
        e.update(tables().get(0), "web");
        String t = ours(e, IpvsExposition.Format.PROMETHEUS_TEXT, Set.of("lvs_ipvs_real_server_weight", "lvs_ipvs_virtual_server_bytes_total")::contains);
        assertThat(t.lines().filter(l -> !l.startsWith("#")).map(l -> l.substring(0, l.indexOf('{'))).distinct())
                .containsExactly("lvs_ipvs_real_server_weight", "lvs_ipvs_virtual_server_bytes_total");
    }

    /** promtool (Debian's prometheus package; it parses the Prometheus text format) accepts 1,000 x 10 of them. */
    @Test
    void promtoolChecksTheText() throws Exception {
        io.lvscp.support.LabRequirement.require(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is missing (apt-get install prometheus)");
        IpvsExposition e = new IpvsExposition("lvs1");
        e.update(ScrapeBench.table(1000, 3), "web");
        for (IpvsExposition.Format f : List.of(IpvsExposition.Format.PROMETHEUS_TEXT)) {
            String text = ours(e, f, null);
            assertThat(text.lines().filter(l -> !l.startsWith("#")).count()).isEqualTo(1000 * 5 + 10_000 * 9);
            io.lvscp.support.Promtool.assertAccepted(text, f.toString());
        }
    }
}
