package io.lvscp.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.api.Http;
import io.lvscp.ipvs.linux.IpvsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The whole service, started with its default {@code auto} data plane inside the lab
 * kernel, driven over its REST API, checked through ipvsadm: the data plane is the
 * kernel's; a service added by hand is never touched; what a previous run left is adopted
 * without delete and re-add; drift is repaired and counted; a step the kernel refuses is
 * reported (event, metric, health) while the rest is applied, and retried; draining and
 * deletion reach the kernel; the IPVS counters are at /actuator/prometheus.
 */
@EnabledIfSystemProperty(named = "lvscp.lab.kernel", matches = "true")
@DirtiesContext // stop the node agent afterwards: the other in-kernel tests use the same kernel
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "lvs.node-name=lvs-kernel-1",
        "spring.datasource.url=jdbc:h2:mem:kernelmode;DB_CLOSE_DELAY=-1",
        "lvs.reconcile.poll-interval=200ms", "lvs.reconcile.resync-interval=1s", "lvs.arp-watch.interval=500ms"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceInKernelModeTests {

    static final String NODE = "lvs-kernel-1";
    static final String C = "kernel-c";

    @LocalServerPort
    int port;

    @BeforeAll
    static void before() throws Exception {
        try (IpvsClient c = IpvsClient.open()) {
            c.flush();
        }
        // the director's segment: lvs0 here, a real server's eth0 in a namespace; the director holds the VIP (as a master would)
        sh("ip netns add lvscp-krs && ip link add lvs0 type veth peer name eth0 netns lvscp-krs"
                + " && ip addr add 10.9.0.1/24 dev lvs0 && ip link set lvs0 up && ip addr add 172.18.42.42/32 dev lvs0"
                + " && ip -n lvscp-krs addr add 10.9.0.2/24 dev eth0 && ip -n lvscp-krs link set eth0 up && ip -n lvscp-krs link set lo up");
        // an operator's own service: never ours to touch
        Ipvsadm.run("-A", "-t", "192.0.2.10:443", "-s", "rr");
        Ipvsadm.run("-a", "-t", "192.0.2.10:443", "-r", "192.0.2.20:443", "-g");
        // what a previous run of the service left in the kernel: to be adopted, not re-created
        Ipvsadm.run("-A", "-t", "172.18.42.42:80", "-s", "wrr");
        Ipvsadm.run("-a", "-t", "172.18.42.42:80", "-r", "10.0.0.1:80", "-g", "-w", "1");
    }

    @AfterAll
    static void after() throws Exception {
        // the sync daemons and sysctls this service set: back to the kernel's defaults for the other in-kernel tests
        sh("ipvsadm --stop-daemon master 2>/dev/null; ipvsadm --stop-daemon backup 2>/dev/null;"
                + " sysctl -qw net.ipv4.vs.expire_nodest_conn=0 net.ipv4.vs.expire_quiescent_template=0; true");
        sh("modprobe -d \"$LVSCP_UML_MODROOT\" ip_vs_ovf; ip link del lvs0; ip netns del lvscp-krs");
        try (IpvsClient c = IpvsClient.open()) {
            c.flush();
        }
    }

    static void sh(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(script + ": " + out).isZero();
    }

    static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s for: %s", within, what).isLessThan(end);
            Thread.sleep(50);
        }
    }

    static Map<String, Ipvsadm.Service> list() {
        try {
            return Ipvsadm.list();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> dests(String service) {
        Ipvsadm.Service s = list().get(service);
        return s == null ? List.of() : s.dests().stream().map(d -> d.endpoint() + " w" + d.columns().get(1)).toList();
    }

    Http.Response ok(Http.Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    String metrics(Http http) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).header("Accept", "text/plain").build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    String metricsQuietly(Http http) {
        try {
            return metrics(http);
        } catch (Exception e) {
            return "";
        }
    }

    static double value(String scrape, String seriesPrefix) {
        return scrape.lines().filter(l -> l.startsWith(seriesPrefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    @Order(1)
    void theServiceProgramsTheKernel(TestReporter report) throws Exception {
        Http http = Http.admin(port);
        String rs = "/api/v1/clusters/" + C + "/virtual-servers/";
        ok(http.post("/api/v1/clusters", "{\"name\":\"" + C + "\"}"), 201);
        ok(http.post("/api/v1/clusters/" + C + "/directors",
                "{\"nodeName\":\"" + NODE + "\",\"managementAddress\":\"10.9.0.1\",\"interfaceName\":\"lvs0\"}"), 201);
        ok(http.post("/api/v1/clusters/" + C + "/vrrp-instances", "{\"name\":\"vi_1\",\"vrid\":51,\"interfaceName\":\"lvs0\",\"vrrpVersion\":3,"
                + "\"priorities\":[{\"director\":\"" + NODE + "\",\"priority\":100}],"
                + "\"vips\":[{\"address\":\"172.18.42.42\",\"device\":\"lvs0\"}]}"), 201);
        long web = ok(http.post("/api/v1/clusters/" + C + "/virtual-servers", "{\"vrrpInstance\":\"vi_1\",\"vip\":\"172.18.42.42\",\"port\":80,"
                + "\"protocol\":\"TCP\",\"scheduler\":\"wrr\",\"forwarding\":\"DR\"}"), 201).get("id").asLong();
        ok(http.post(rs + web + "/real-servers", "{\"address\":\"10.0.0.1\",\"port\":80,\"weight\":1,\"healthCheck\":{\"type\":\"NONE\"}}"), 201);
        long two = ok(http.post(rs + web + "/real-servers", "{\"address\":\"10.0.0.2\",\"port\":80,\"weight\":2,\"healthCheck\":{\"type\":\"NONE\"}}"),
                201).get("id").asLong();

        // a health-checked real server that refuses (nothing listens on 10.9.0.2:22): down, so out of the kernel's table
        long ssh = ok(http.post("/api/v1/clusters/" + C + "/virtual-servers", "{\"vrrpInstance\":\"vi_1\",\"vip\":\"172.18.42.42\",\"port\":22,"
                + "\"protocol\":\"TCP\",\"scheduler\":\"rr\",\"forwarding\":\"DR\",\"delayLoop\":1}"), 201).get("id").asLong();
        ok(http.post(rs + ssh + "/real-servers", "{\"address\":\"10.9.0.2\",\"port\":22,\"weight\":1,"
                + "\"healthCheck\":{\"type\":\"TCP_CHECK\",\"connectTimeout\":1,\"retry\":0}}"), 201);
        await("both real servers in the kernel", Duration.ofSeconds(10), () -> dests("TCP 172.18.42.42:80").size() == 2);
        await("the refusing real server down and out", Duration.ofSeconds(10),
                () -> list().containsKey("TCP 172.18.42.42:22") && dests("TCP 172.18.42.42:22").isEmpty()
                        && metricsQuietly(http).contains("lvs_realserver_up{cluster=\"" + C + "\",node=\"" + NODE
                                + "\",real_server=\"10.9.0.2:22\",virtual_server=\"172.18.42.42:22/tcp\"} 0.0"));
        assertThat(dests("TCP 172.18.42.42:80")).containsExactly("10.0.0.1:80 w1", "10.0.0.2:80 w2");
        assertThat(list()).containsKey("TCP 192.0.2.10:443");
        // adopted: the steps recorded never re-created the service that was already there
        JsonNode events = ok(http.get("/api/v1/events?kind=DATAPLANE&size=100"), 200).get("content");
        assertThat(events.toString()).contains("ipvsadm -a -t 172.18.42.42:80 -r 10.0.0.2:80 -g -w 2")
                .doesNotContain("ipvsadm -A -t 172.18.42.42:80").doesNotContain("192.0.2.10");

        Http.Response plan = ok(http.get("/api/v1/nodes/" + NODE + "/plan"), 200);
        assertThat(plan.get("dataPlane").get("mode").asString()).isEqualTo("kernel");
        assertThat(plan.get("inSync").asBoolean()).as(plan.raw()).isTrue();
        assertThat(plan.get("current").toString()).contains("192.0.2.10").contains("10.0.0.2");

        // VRRP: the only director of vi_1 becomes its master on lvs0 (v3, 1 s adverts: within 3 x 1 s + skew)
        await("vi_1 master", Duration.ofSeconds(10), () -> ok(http.get("/api/v1/nodes/" + NODE + "/vrrp"), 200).raw()
                .contains("\"state\":\"MASTER\""));
        // the transition's event is written after the status changes (the engine's report, then the event writer): wait for it too
        await("the BACKUP -> MASTER event", Duration.ofSeconds(5), () -> ok(http.get("/api/v1/events?kind=VRRP_TRANSITION&size=20"), 200).raw()
                .contains("BACKUP -> MASTER"));
        assertThat(ok(http.get("/api/v1/events?kind=VRRP_TRANSITION&size=20"), 200).raw()).contains("BACKUP -> MASTER");
        assertThat(metrics(http)).contains("lvs_vrrp_state{cluster=\"" + C + "\"").containsPattern(
                "lvs_vrrp_state\\{[^}]*instance=\"vi_1\"[^}]*\\} 2\\.0");
        assertThat(sh2("ip -4 -o addr show dev lvs0")).contains("172.18.42.42/32");

        // drift: an operator changes a managed destination by hand; the next resync puts it back
        long t0 = System.nanoTime();
        Ipvsadm.run("-e", "-t", "172.18.42.42:80", "-r", "10.0.0.2:80", "-g", "-w", "9");
        await("drift repaired", Duration.ofSeconds(5), () -> dests("TCP 172.18.42.42:80").contains("10.0.0.2:80 w2"));
        report.publishEntry("driftRepairedMs", String.format("%.0f", (System.nanoTime() - t0) / 1e6));
        // the IPVS series come from a read at most IpvsMetricsCollector.MAX_AGE (1 s) old, perhaps one made while the
        // weight was 9: wait for a read after the repair
        String repaired = "lvs_ipvs_real_server_weight{cluster=\"" + C + "\",node=\"" + NODE
                + "\",real_server=\"10.0.0.2:80\",virtual_server=\"172.18.42.42:80/tcp\"} 2\n"; // the IPVS series are written as integers
        await("the scrape shows the repaired weight", Duration.ofSeconds(5), () -> metricsQuietly(http).contains(repaired));
        String scrape = metrics(http);
        assertThat(value(scrape, "lvs_reconcile_drift_repairs_total{node=\"" + NODE + "\"")).isGreaterThanOrEqualTo(1);
        assertThat(scrape).contains(repaired);
        assertThat(scrape).contains("lvs_ipvs_virtual_server_connections_total{cluster=\"" + C + "\",node=\"" + NODE
                + "\",virtual_server=\"192.0.2.10:443/tcp\"}");

        // the kernel refuses one step (its scheduler module is gone): the rest is applied, the refusal reported, then retried
        sh("rmmod ip_vs_ovf");
        long ovf = ok(http.post("/api/v1/clusters/" + C + "/virtual-servers", "{\"vrrpInstance\":\"vi_1\",\"vip\":\"172.18.42.42\",\"port\":8080,"
                + "\"protocol\":\"TCP\",\"scheduler\":\"ovf\",\"forwarding\":\"DR\"}"), 201).get("id").asLong();
        ok(http.post(rs + web + "/real-servers", "{\"address\":\"10.0.0.3\",\"port\":80,\"weight\":3,\"healthCheck\":{\"type\":\"NONE\"}}"), 201);
        await("the good change applied", Duration.ofSeconds(5), () -> dests("TCP 172.18.42.42:80").contains("10.0.0.3:80 w3"));
        await("the refusal recorded", Duration.ofSeconds(5),
                () -> ok(http.get("/api/v1/events?kind=DATAPLANE&size=100"), 200).raw().contains("REFUSED"));
        assertThat(ok(http.get("/api/v1/events?kind=DATAPLANE&size=100"), 200).raw())
                .contains("ipvsadm -A -t 172.18.42.42:8080 -s ovf").contains("ENOENT");
        assertThat(value(metrics(http), "lvs_reconcile_errors_total{kind=\"refused_step\",node=\"" + NODE + "\"")).isGreaterThanOrEqualTo(1);
        assertThat(ok(http.get("/actuator/health"), 200).raw()).contains("refused");
        assertThat(list()).doesNotContainKey("TCP 172.18.42.42:8080");
        sh("modprobe -d \"$LVSCP_UML_MODROOT\" ip_vs_ovf");
        await("the refused step retried", Duration.ofSeconds(5), () -> list().containsKey("TCP 172.18.42.42:8080"));

        // drain (no connections: out at once), then delete
        ok(http.post(rs + web + "/real-servers/" + two + "/drain", null), 200);
        await("the drained real server out", Duration.ofSeconds(5), () -> !dests("TCP 172.18.42.42:80").contains("10.0.0.2:80 w0")
                && dests("TCP 172.18.42.42:80").stream().noneMatch(d -> d.startsWith("10.0.0.2:80")));
        ok(http.delete("/api/v1/clusters/" + C + "/virtual-servers/" + ovf), 204);
        await("the deleted virtual server out", Duration.ofSeconds(5), () -> !list().containsKey("TCP 172.18.42.42:8080"));
        assertThat(list()).containsKey("TCP 192.0.2.10:443").containsKey("TCP 172.18.42.42:80");
        assertThat(list().get("TCP 192.0.2.10:443").dests()).extracting(Ipvsadm.Dest::endpoint).containsExactly("192.0.2.20:443");
    }

    /** The cluster of the first test is in place: its VRRP instance holds VIP 172.18.42.42 on lvs0. */
    @Test
    @Order(2)
    void aRealServerAnsweringArpForTheVipIsReportedAndClearsAfterItsSetupScript(TestReporter report) throws Exception {
        Http http = Http.admin(port);
        String rsMac = sh2("ip netns exec lvscp-krs cat /sys/class/net/eth0/address").trim();
        // the classic mistake: the VIP on the real server's lo, arp_ignore left at 0
        long t0 = System.nanoTime();
        sh("ip -n lvscp-krs addr add 172.18.42.42/32 dev lo");
        await("the hijack reported", Duration.ofSeconds(10),
                () -> ok(http.get("/api/v1/events?kind=ARP_HIJACK&size=20"), 200).raw().contains("DETECTED"));
        report.publishEntry("arpHijackReportedMs", String.format("%.0f", (System.nanoTime() - t0) / 1e6));
        assertThat(ok(http.get("/api/v1/events?kind=ARP_HIJACK&size=20"), 200).raw()).contains(rsMac).contains("172.18.42.42");
        assertThat(metrics(http)).contains("lvs_arp_hijack{cluster=\"" + C + "\",interface=\"lvs0\",mac=\"" + rsMac + "\",node=\"" + NODE
                + "\",vip=\"172.18.42.42\"} 1.0");
        assertThat(page("/ui/clusters/" + C)).contains("ARP hijack").contains(rsMac);
        // now every family the Grafana dashboard reads exists in this director's live scrape
        String scrape = metrics(http);
        assertThat(io.lvscp.metrics.Dashboard.metricNames()).allSatisfy(n -> assertThat(scrape)
                .as("the dashboard reads %s", n).containsPattern("(?m)^# TYPE " + n + " "));
        // and every family the alert rules (docs/alerts/lvs-rules.yml) read
        assertThat(io.lvscp.metrics.AlertRules.metricNames()).allSatisfy(n -> assertThat(scrape)
                .as("the alert rules read %s", n).containsPattern("(?m)^# TYPE " + n + " "));

        // the real server's setup script fixes it; the report clears
        java.nio.file.Path script = java.nio.file.Path.of("/run/lvscp-krs-setup.sh");
        java.nio.file.Files.writeString(script, io.lvscp.realserver.SetupScript.generate(new io.lvscp.realserver.SetupScript.Input(C,
                "10.9.0.2", List.of(new io.lvscp.realserver.SetupScript.Vip("172.18.42.42", List.of("172.18.42.42:80/tcp"))), List.of(),
                java.time.Instant.now())));
        sh("mkdir -p /run/lvscp-krs-root && ip netns exec lvscp-krs env LVS_SETUP_ROOT=/run/lvscp-krs-root bash " + script);
        await("the hijack cleared", Duration.ofSeconds(10),
                () -> ok(http.get("/api/v1/events?kind=ARP_HIJACK&size=20"), 200).raw().contains("CLEARED"));
        assertThat(metrics(http)).doesNotContain("mac=\"" + rsMac + "\"");
        assertThat(page("/ui/clusters/" + C)).doesNotContain("ARP hijack");
    }

    static String sh2(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(script + ": " + out).isZero();
        return out;
    }

    String page(String path) throws Exception {
        io.lvscp.support.BrowserSession browser = new io.lvscp.support.BrowserSession(port);
        browser.login(io.lvscp.support.TestUsers.ADMIN, io.lvscp.support.TestUsers.ADMIN_PASSWORD);
        return browser.get(path).body();
    }

    /** promtool on every series the project defines (lvs_*), from a live scrape; then a scrape with 1,000 x 10 in the kernel. */
    @Test
    @Order(3)
    void theLiveScrapePassesPromtoolAndAThousandTimesTenScrapes(TestReporter report) throws Exception {
        Http http = Http.admin(port);
        String lvs = io.lvscp.support.Promtool.lvsSeries(metrics(http));
        assertThat(lvs).contains("lvs_ipvs_real_server_weight").contains("lvs_reconcile_operations_total").contains("lvs_realserver_up")
                .contains("lvs_build_info");
        io.lvscp.support.Promtool.assertAccepted(lvs, "the lvs_ series");

        // 1,000 virtual services x 10 real servers in the kernel (the metrics list every service, managed or not)
        java.util.List<io.lvscp.ipvs.netlink.Request> batch = new java.util.ArrayList<>();
        java.util.List<io.lvscp.ipvs.VirtualService> added = new java.util.ArrayList<>();
        for (int s = 0; s < 1000; s++) {
            io.lvscp.ipvs.VirtualService vs = io.lvscp.ipvs.VirtualService.of(io.lvscp.ipvs.VirtualService.TCP,
                    java.net.InetAddress.getByName("10.60." + (s / 250) + "." + (s % 250 + 1)), 80, "rr");
            added.add(vs);
            batch.add(io.lvscp.ipvs.netlink.IpvsCodec.newService(vs));
            for (int d = 0; d < 10; d++) {
                batch.add(io.lvscp.ipvs.netlink.IpvsCodec.newDestination(vs, io.lvscp.ipvs.Destination.of(
                        java.net.InetAddress.getByName("10.61." + (s / 25) + "." + (s % 25 * 10 + d + 1)), 80, io.lvscp.ipvs.Forward.DIRECT_ROUTE, 1)));
            }
        }
        try (IpvsClient c = IpvsClient.open()) {
            assertThat(c.apply(batch).ok()).isTrue();
            // as Prometheus scrapes: the first scrape reads the kernel itself, or takes a read the switch-over agent's
            // connection count made (every heartbeat) within the last second; once two scrapes came at a steady interval,
            // the collector reads and converts the table before the next one (15 s here: a scrape in this kernel takes seconds)
            long interval = 15_000;
            long[] steady = new long[3];
            long first = 0;
            int lines = 0;
            for (int i = 0; i < 5; i++) {
                long next = System.nanoTime() + interval * 1_000_000;
                long t0 = System.nanoTime();
                String text = metrics(http);
                long took = System.nanoTime() - t0;
                // counted on the last scrape: the first may answer from a table read ahead before the 1,000 x 10 went in
                lines = (int) text.lines().filter(l -> l.startsWith("lvs_ipvs_")).count();
                if (i == 0) {
                    first = took;
                } else if (i >= 2) {
                    steady[i - 2] = took;
                }
                Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
            }
            long[] ipvsadm = new long[3];
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                Ipvsadm.run("-Ln", "--stats", "--exact");
                ipvsadm[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(steady);
            java.util.Arrays.sort(ipvsadm);
            report.publishEntry("scrape1000x10", String.format("first scrape (reads the kernel, or a read of the last second) %.0f ms; every %d s (read ahead): median %.0f ms"
                    + " (%.0f-%.0f); ipvsadm -Ln --stats --exact median %.0f ms; %d lvs_ipvs_ series; load %s", first / 1e6, interval / 1000,
                    steady[1] / 1e6, steady[0] / 1e6, steady[2] / 1e6, ipvsadm[1] / 1e6, lines, sh2("cut -d' ' -f1-3 /proc/loadavg").trim()));
            assertThat(lines).isGreaterThan(1000 * 10 * 8);
            java.util.List<io.lvscp.ipvs.netlink.Request> del = new java.util.ArrayList<>();
            added.forEach(vs -> del.add(io.lvscp.ipvs.netlink.IpvsCodec.delService(vs)));
            assertThat(c.apply(del).ok()).isTrue();
        }
    }

    /**
     * Issue 5's bound: a real server that stops answering is out of the kernel's table within
     * {@code connect_timeout + retry x delay_before_retry + delay_loop} + 100 ms. The real server is an HTTP
     * endpoint of this JVM on the director's segment (10.9.0.1), checked with HTTP_GET every second; it stops
     * answering in two ways: its process is gone (connections refused) and it hangs (the kernel completes the
     * handshake, nobody answers: each attempt waits its connect_timeout). The time from the stop to the moment a
     * netlink read (every 10 ms) no longer lists the destination is published as NOTEs; the assertion is only
     * that it leaves (no timing asserted).
     */
    @Test
    @Order(4)
    void aRealServerThatStopsAnsweringLeavesTheKernelsTable(TestReporter report) throws Exception {
        Http http = Http.admin(port);
        java.net.InetSocketAddress at = new java.net.InetSocketAddress("10.9.0.1", 18080);
        long vs = ok(http.post("/api/v1/clusters/" + C + "/virtual-servers", "{\"vrrpInstance\":\"vi_1\",\"vip\":\"172.18.42.42\",\"port\":18080,"
                + "\"protocol\":\"TCP\",\"scheduler\":\"rr\",\"forwarding\":\"DR\",\"delayLoop\":1}"), 201).get("id").asLong();
        com.sun.net.httpserver.HttpServer server = serve(at);
        ok(http.post("/api/v1/clusters/" + C + "/virtual-servers/" + vs + "/real-servers", "{\"address\":\"10.9.0.1\",\"port\":18080,\"weight\":1,"
                + "\"healthCheck\":{\"type\":\"HTTP_GET\",\"path\":\"/\",\"connectTimeout\":1,\"retry\":1,\"delayBeforeRetry\":1}}"), 201);
        io.lvscp.ipvs.VirtualService key = io.lvscp.ipvs.VirtualService.of(io.lvscp.ipvs.VirtualService.TCP,
                java.net.InetAddress.getByName("172.18.42.42"), 18080, "rr");
        double bound = 1 + 1 * 1 + 1 + 0.1; // connect_timeout + retry x delay_before_retry + delay_loop + 100 ms
        try (IpvsClient c = IpvsClient.open()) {
            java.util.function.BooleanSupplier listed = () -> {
                try {
                    return c.destinations(key).stream().anyMatch(d -> d.port() == 18080 && d.weight() > 0);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            java.util.List<String> refused = new java.util.ArrayList<>();
            java.util.List<String> hung = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                await("the real server in the kernel", Duration.ofSeconds(15), listed);
                Thread.sleep(300 + 277L * i); // a different phase against the 1 s loop each round
                long t0 = System.nanoTime();
                server.stop(0); // gone: connections refused
                await("the refusing real server out", Duration.ofSeconds(15), () -> !listed.getAsBoolean());
                refused.add(String.format("%.2f", (System.nanoTime() - t0) / 1e9));
                server = serve(at);
                await("the real server back", Duration.ofSeconds(15), listed);
                Thread.sleep(300 + 277L * i);
                server.stop(0);
                try (java.net.ServerSocket silent = new java.net.ServerSocket()) {
                    silent.setReuseAddress(true);
                    silent.bind(at, 100); // accepts in the kernel, never answers
                    long t1 = System.nanoTime();
                    await("the hanging real server out", Duration.ofSeconds(15), () -> !listed.getAsBoolean());
                    hung.add(String.format("%.2f", (System.nanoTime() - t1) / 1e9));
                }
                server = serve(at);
            }
            report.publishEntry("realServerOut", String.format("HTTP_GET delay_loop 1 s, connect_timeout 1 s, retry 1, delay_before_retry 1 s:"
                    + " bound %.1f s; refused: out after %s s; hanging: out after %s s (a hang waits connect_timeout on every attempt:"
                    + " worst case delay_loop + (retry+1) x connect_timeout + retry x delay_before_retry = 4 s + 100 ms)", bound, refused, hung));
        } finally {
            server.stop(0);
            ok(http.delete("/api/v1/clusters/" + C + "/virtual-servers/" + vs), 204);
        }
    }

    static com.sun.net.httpserver.HttpServer serve(java.net.InetSocketAddress at) throws java.io.IOException {
        com.sun.net.httpserver.HttpServer s = com.sun.net.httpserver.HttpServer.create(at, 100);
        s.createContext("/", x -> {
            x.sendResponseHeaders(200, 2);
            x.getResponseBody().write("ok".getBytes());
            x.close();
        });
        s.start();
        return s;
    }

    /**
     * Connection synchronisation through the API reaches the kernel: both daemons on the instance's director, shown in the plan
     * and the metrics, stopped when switched off; the director's sysctls were written at start.
     */
    @Test
    @Order(5)
    void connectionSyncStartsBothDaemonsAndTheSysctlsAreSet() throws Exception {
        Http http = Http.admin(port);
        assertThat(Ipvsadm.runCommand("sysctl", "-n", "net.ipv4.vs.expire_nodest_conn").trim()).as("set at start").isEqualTo("1");
        assertThat(Ipvsadm.runCommand("sysctl", "-n", "net.ipv4.vs.expire_quiescent_template").trim()).isEqualTo("1");
        String path = "/api/v1/clusters/" + C + "/vrrp-instances/vi_1";
        ok(http.patch(path, "{\"connectionSync\":{\"interfaceName\":\"lvs0\",\"syncId\":9}}"), 200);
        await("both sync daemons in the kernel", Duration.ofSeconds(20), () -> {
            try {
                String l = Ipvsadm.run("-L", "--daemon");
                return l.contains("master sync daemon (mcast=lvs0, syncid=9") && l.contains("backup sync daemon (mcast=lvs0, syncid=9");
            } catch (Exception e) {
                return false;
            }
        });
        Http.Response plan = ok(http.get("/api/v1/nodes/" + NODE + "/plan"), 200);
        assertThat(plan.get("syncDaemons")).as(plan.toString()).hasSize(2);
        assertThat(plan.get("syncDaemons").get(0).get("maxLength").asInt()).as("the kernel's default, read back").isPositive();
        await("the metric", Duration.ofSeconds(10), () -> metricsQuietly(http).contains("lvs_sync_daemon_state{node=\"" + NODE
                + "\",role=\"backup\"} 1"));
        String scrape = metrics(http);
        assertThat(value(scrape, "lvs_sync_daemon_state{node=\"" + NODE + "\",role=\"master\"}")).isEqualTo(1);
        assertThat(value(scrape, "lvs_ipvs_sysctl{name=\"expire_nodest_conn\"")).isEqualTo(1);
        ok(http.patch(path, "{\"connectionSync\":null}"), 200);
        await("the daemons stopped", Duration.ofSeconds(20), () -> {
            try {
                return Ipvsadm.run("-L", "--daemon").isBlank();
            } catch (Exception e) {
                return false;
            }
        });
    }
}
