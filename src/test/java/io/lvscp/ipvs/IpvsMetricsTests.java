package io.lvscp.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpvsMetricsTests {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    static String text(List<TableEntry> table) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, IpvsMetrics.snapshots(table, "lvs1", "web"));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theKernelsCountersAndConnectionCountsAsSeries() throws Exception {
        VirtualService web = VirtualService.of(VirtualService.TCP, ip("172.18.42.42"), 80, "wlc");
        web = new VirtualService(web.family(), web.protocol(), web.address(), web.port(), 0, "wlc", 0, 0, 32, null,
                new Stats(10, 100, 90, 6000, -2, 0, 0, 0, 0, 0));
        Destination d = new Destination(2, ip("172.18.42.221"), 80, Forward.DIRECT_ROUTE, 5, 0, 0, null, 0, 0, 3, 4, 1,
                new Stats(7, 70, 0, 4200, 0, 0, 0, 0, 0, 0));
        VirtualService mark = new VirtualService(10, 0, null, 0, 8, "rr", 0, 0, 128, null, Stats.ZERO);
        String t = text(List.of(new TableEntry(web, List.of(d)), new TableEntry(mark, List.of())));
        assertThat(t)
                .contains("lvs_ipvs_virtual_server_connections_total{cluster=\"web\",node=\"lvs1\",virtual_server=\"172.18.42.42:80/tcp\"} 10.0")
                .contains("lvs_ipvs_virtual_server_packets_total{cluster=\"web\",direction=\"in\",node=\"lvs1\",virtual_server=\"172.18.42.42:80/tcp\"} 100.0")
                // an unsigned 64-bit counter past Long.MAX_VALUE stays positive
                .contains("lvs_ipvs_virtual_server_bytes_total{cluster=\"web\",direction=\"out\",node=\"lvs1\",virtual_server=\"172.18.42.42:80/tcp\"} 1.8446744073709552E19")
                .contains("lvs_ipvs_real_server_active_connections{cluster=\"web\",node=\"lvs1\",real_server=\"172.18.42.221:80\",virtual_server=\"172.18.42.42:80/tcp\"} 3.0")
                .contains("lvs_ipvs_real_server_inactive_connections{cluster=\"web\",node=\"lvs1\",real_server=\"172.18.42.221:80\",virtual_server=\"172.18.42.42:80/tcp\"} 4.0")
                .contains("lvs_ipvs_real_server_weight{cluster=\"web\",node=\"lvs1\",real_server=\"172.18.42.221:80\",virtual_server=\"172.18.42.42:80/tcp\"} 5.0")
                .contains("lvs_ipvs_real_server_bytes_total{cluster=\"web\",direction=\"in\",node=\"lvs1\",real_server=\"172.18.42.221:80\",virtual_server=\"172.18.42.42:80/tcp\"} 4200.0")
                .contains("virtual_server=\"fwmark:8/ipv6\"");
        for (String name : IpvsMetrics.NAMES) {
            assertThat(t).containsPattern("# TYPE " + name + "(_total)? (counter|gauge)");
        }
    }

    @Test
    void anEmptyTableHasNoSeries() throws Exception {
        assertThat(text(List.of())).doesNotContain("lvs_ipvs_real_server_weight{");
    }

    /** A Series kept between scrapes reuses label sets; whatever the table does, it gives what a fresh conversion gives. */
    @Test
    void aSeriesKeptBetweenScrapesGivesWhatAFreshConversionGives() throws Exception {
        IpvsMetrics.Series series = new IpvsMetrics.Series("lvs1");
        VirtualService a = VirtualService.of(VirtualService.TCP, ip("172.18.42.42"), 80, "rr");
        VirtualService b = VirtualService.of(VirtualService.UDP, ip("2001:db8::1"), 53, "rr");
        Destination d1 = Destination.of(ip("172.18.42.221"), 80, Forward.DIRECT_ROUTE, 1);
        Destination d2 = Destination.of(ip("172.18.42.222"), 80, Forward.DIRECT_ROUTE, 2);
        Destination d3 = Destination.of(ip("2001:db8::21"), 53, Forward.NAT, 3);
        List<List<TableEntry>> tables = List.of(
                List.of(new TableEntry(a, List.of(d2, d1)), new TableEntry(b, List.of(d3))),
                List.of(new TableEntry(b, List.of(d3)), new TableEntry(a, List.of(d1, d2))), // same, other order
                List.of(new TableEntry(a, List.of(d1))), // a destination and a service gone
                List.of(new TableEntry(a, List.of(d1, d2)), new TableEntry(b, List.of())), // back, without its destination
                List.of());
        for (String cluster : List.of("web", "other")) {
            for (List<TableEntry> t : tables) {
                ByteArrayOutputStream kept = new ByteArrayOutputStream();
                PrometheusTextFormatWriter.create().write(kept, series.snapshots(t, cluster));
                ByteArrayOutputStream fresh = new ByteArrayOutputStream();
                PrometheusTextFormatWriter.create().write(fresh, IpvsMetrics.snapshots(t, "lvs1", cluster));
                assertThat(kept.toString(StandardCharsets.UTF_8)).isEqualTo(fresh.toString(StandardCharsets.UTF_8))
                        .contains(t.isEmpty() ? "" : "cluster=\"" + cluster);
            }
        }
    }
}
