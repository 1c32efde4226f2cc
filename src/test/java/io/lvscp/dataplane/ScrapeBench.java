package io.lvscp.dataplane;

import com.sun.net.httpserver.HttpServer;
import io.lvscp.LvsControlPlaneApplication;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.IpvsMetrics;
import io.lvscp.ipvs.Stats;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.VirtualService;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A scrape of /actuator/prometheus with 1,000 virtual servers x 10 real servers, on a host
 * without IPVS: the running service (dry-run data plane, H2) with the IPVS collector the
 * kernel data plane registers, fed by a synthetic table whose counters move on every read
 * instead of the kernel's dump (the dump itself is measured in the lab kernel by
 * ServiceInKernelModeTests). Scrapes come every {@code interval} ms as Prometheus' do, with
 * Prometheus' Accept header; each is timed from request to the last byte received.
 * Phases, in one JVM: (1) a static-file reference, the same bytes served by the JDK's HTTP
 * server (what any exporter that had the text ready would cost); (2) the path before issue 18,
 * for comparison in the same run: the IPVS series as snapshots in the registry, converted ahead
 * of the scrape (as the old prefetch did), written by the client's text writer at the scrape;
 * (3) the service's endpoint with the collector without prefetch (every scrape reads the table
 * and writes its text); (4) the endpoint as the service runs it (read and text written before
 * the expected scrape). Also the formatting alone (conversion and text, no HTTP). In every service phase the
 * director's other per-row series are there as on a director with 1,000 x 10 checked (unless
 * {@code -Dscrape.health=false}): {@code lvs_realserver_up} and {@code lvs_realserver_flaps_total} of a health
 * monitor watching the 10,000 real servers (no check: nothing is probed, all up) and
 * {@code lvs_virtual_server_quorum_up} of a compile of the 1,000 virtual servers. Run after
 * {@code ./mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt}:
 * {@code java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.lvscp.dataplane.ScrapeBench [services] [scrapes] [interval-ms]}.
 */
public final class ScrapeBench {

    static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1";

    private ScrapeBench() {
    }

    /** 1,000 x 10 as in the lab kernel test; every read moves the counters. */
    static List<TableEntry> table(int services, long round) throws Exception {
        List<TableEntry> table = new ArrayList<>(services);
        for (int s = 0; s < services; s++) {
            Stats st = new Stats(123456 + round * s, 234567 + round, round, 345678901L * round + s, 7 * round, 10, 20, 0, 3000, 0);
            VirtualService vs = new VirtualService(VirtualService.AF_INET, VirtualService.TCP,
                    InetAddress.getByAddress(new byte[] {10, 60, (byte) (s / 250), (byte) (s % 250 + 1)}), 80, 0, "rr", 0, 0, 32, null, st);
            List<Destination> ds = new ArrayList<>(10);
            for (int d = 0; d < 10; d++) {
                ds.add(new Destination(VirtualService.AF_INET, InetAddress.getByAddress(new byte[] {10, 61, (byte) (s / 25), (byte) (s % 25 * 10 + d + 1)}),
                        80, Forward.DIRECT_ROUTE, 1, 0, 0, null, 0, 0, (int) (round % 7), 7, 0, st));
            }
            table.add(new TableEntry(vs, ds));
        }
        return table;
    }

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        long interval = args.length > 2 ? Long.parseLong(args[2]) : 2000;
        System.out.printf("load average before: %s%n", load());

        // formatting alone: conversion (fresh each time, as before; reused Series) and text
        IpvsMetrics.Series series = new IpvsMetrics.Series("lvs1");
        long[] fresh = new long[20];
        long[] reused = new long[20];
        long[] text = new long[20];
        byte[] body = null;
        for (int i = 0; i < 30; i++) {
            List<TableEntry> t = table(services, i);
            long t0 = System.nanoTime();
            IpvsMetrics.snapshots(t, "lvs1", "wtc");
            long t1 = System.nanoTime();
            var snap = series.snapshots(t, "wtc");
            long t2 = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 24);
            PrometheusTextFormatWriter.create().write(out, snap);
            long t3 = System.nanoTime();
            body = out.toByteArray();
            if (i >= 10) {
                fresh[i - 10] = t1 - t0;
                reused[i - 10] = t2 - t1;
                text[i - 10] = t3 - t2;
            }
        }
        System.out.printf("formatting %d x 10: conversion with fresh labels %s; conversion reusing labels %s; text %s (%d bytes)%n", services,
                stats(fresh), stats(reused), stats(text), body.length);
        IpvsExposition direct = new IpvsExposition("lvs1");
        long[] update = new long[20];
        long[] written = new long[20];
        int directBytes = 0;
        for (int i = 0; i < 30; i++) {
            List<TableEntry> t = table(services, i);
            long t0 = System.nanoTime();
            direct.update(t, "wtc");
            long t1 = System.nanoTime();
            directBytes = direct.write(IpvsExposition.Format.OPENMETRICS, null).length();
            long t2 = System.nanoTime();
            if (i >= 10) {
                update[i - 10] = t1 - t0;
                written[i - 10] = t2 - t1;
            }
        }
        System.out.printf("direct text (issue 18): update %s; OpenMetrics text written %s (%d bytes); client's writer / direct = %.1f (medians)%n",
                stats(update), stats(written), directBytes, median(text) / median(written));

        // (1) the static-file reference
        HttpServer file = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        byte[] ready = body;
        file.createContext("/metrics", x -> {
            x.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            x.sendResponseHeaders(200, ready.length);
            x.getResponseBody().write(ready);
            x.close();
        });
        file.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        System.out.printf("(1) static file, same bytes:   %s%n", scrape(http, "http://127.0.0.1:" + file.getAddress().getPort() + "/metrics", scrapes,
                interval));
        file.stop(0);

        // the service
        ConfigurableApplicationContext ctx = SpringApplication.run(LvsControlPlaneApplication.class, "--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:scrapebench;DB_CLOSE_DELAY=-1", "--lvs.dataplane=dry-run", "--lvs.node-name=lvs1",
                "--logging.level.root=WARN", "--spring.main.banner-mode=off");
        try {
            int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
            PrometheusRegistry registry = ctx.getBean(PrometheusRegistry.class);
            String url = "http://127.0.0.1:" + port + "/actuator/prometheus";
            long[] round = {0};
            IpvsScrapeEndpoint endpoint = ctx.getBean(IpvsScrapeEndpoint.class);
            if (Boolean.parseBoolean(System.getProperty("scrape.health", "true"))) {
                health(ctx, services);
            }
            // (2) before issue 18: snapshots in the registry, converted ahead, the client's writer at the scrape
            ScheduledExecutorService ahead = Executors.newSingleThreadScheduledExecutor();
            IpvsMetrics.Series old = new IpvsMetrics.Series("lvs1");
            AtomicReference<MetricSnapshots> converted = new AtomicReference<>(old.snapshots(table(services, ++round[0]), "wtc"));
            MultiCollector before = new MultiCollector() {
                @Override
                public MetricSnapshots collect() {
                    MetricSnapshots s = converted.get();
                    ahead.schedule(() -> {
                        try {
                            converted.set(old.snapshots(table(services, ++round[0]), "wtc"));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, 300, TimeUnit.MILLISECONDS);
                    return s;
                }

                @Override
                public List<String> getPrometheusNames() {
                    return IpvsMetrics.NAMES;
                }
            };
            registry.register(before);
            System.out.printf("(2) before: snapshots + client writer: %s%n", scrape(http, url, scrapes, interval));
            registry.unregister(before);
            ahead.shutdownNow();
            for (boolean prefetch : new boolean[] {false, true}) {
                IpvsMetricsCollector c = new IpvsMetricsCollector(() -> {
                    try {
                        return table(services, ++round[0]);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, "lvs1", () -> "wtc", prefetch);
                endpoint.use(c);
                System.out.printf(prefetch ? "(4) direct text, prefetch:     %s%n" : "(3) direct text, read at scrape: %s%n",
                        scrape(http, url, scrapes, interval));
                endpoint.use(null);
                c.close();
            }
        } finally {
            ctx.close();
        }
        System.out.printf("load average after: %s%n", load());
    }

    /**
     * The health series of 10,000 watched real servers (10 per virtual server, labelled as the IPVS series' table) and
     * the quorum of the 1,000 virtual servers, as a director has them.
     */
    static void health(ConfigurableApplicationContext ctx, int services) throws Exception {
        io.lvscp.health.HealthMonitor monitor = new io.lvscp.health.HealthMonitor(
                d -> java.util.concurrent.CompletableFuture.completedFuture(io.lvscp.health.CheckResult.ok(0)), java.time.Clock.systemUTC());
        io.lvscp.health.HealthMeters meters = io.lvscp.health.HealthMeters.attach(monitor,
                ctx.getBean(io.micrometer.core.instrument.MeterRegistry.class), "lvs1");
        ctx.getBean(io.lvscp.common.StreamedMetrics.class).add(meters); // streamed (issue 18); before, the meters were in the registry
        List<io.lvscp.health.HealthMonitor.Target> targets = new ArrayList<>(services * 10);
        List<io.lvscp.plan.PlanInput.VirtualServer> vss = new ArrayList<>(services);
        java.util.Map<Long, Boolean> quorum = new java.util.HashMap<>();
        for (int s = 0; s < services; s++) {
            String vip = "10.60." + (s / 250) + "." + (s % 250 + 1);
            vss.add(new io.lvscp.plan.PlanInput.VirtualServer(s, 1, io.lvscp.common.Addresses.Family.IPV4, vip, 80, io.lvscp.common.Protocol.TCP,
                    null, io.lvscp.common.Scheduler.RR, io.lvscp.common.Forwarding.DR, null, null, 1, null, null, 0));
            quorum.put((long) s, s % 10 != 0);
            for (int d = 0; d < 10; d++) {
                targets.add(new io.lvscp.health.HealthMonitor.Target(s * 10L + d, 1L, "wtc", vip + ":80/tcp",
                        "10.61." + (s / 25) + "." + (s % 25 * 10 + d + 1) + ":80", null));
            }
        }
        monitor.setTargets(targets);
        ctx.getBean(QuorumMetrics.class).update(new io.lvscp.plan.PlanInput("lvs1", 1, "wtc", 1, List.of(), vss, List.of(), java.util.Set.of(),
                null, null), quorum);
    }

    /** Warm-up scrapes, then {@code n} at the interval: median, p90, max of request to last byte, and the process CPU per scrape. */
    static String scrape(HttpClient http, String url, int n, long interval) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Accept", ACCEPT).build();
        int bytes = 0;
        for (int i = 0; i < 5; i++) {
            bytes = http.send(req, HttpResponse.BodyHandlers.ofByteArray()).body().length;
            Thread.sleep(interval);
        }
        long[] ns = new long[n];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long cpuBusy = 0;
        for (int i = 0; i < n; i++) {
            long next = System.nanoTime() + interval * 1_000_000;
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            ns[i] = System.nanoTime() - t0;
            cpuBusy += os.getProcessCpuTime() - c0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("status " + r.statusCode());
            }
            bytes = r.body().length;
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        long cpu = os.getProcessCpuTime() - cpu0;
        return String.format("%s, %d bytes; CPU per scrape %.0f ms, of which during the request %.0f ms (load %s)", stats(ns), bytes,
                cpu / 1e6 / n, cpuBusy / 1e6 / n, load());
    }

    static String stats(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", s[s.length / 2] / 1e6, s[(int) Math.ceil(s.length * 0.9) - 1] / 1e6,
                s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6, s[s.length - 1] / 1e6);
    }

    static double median(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static String load() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
