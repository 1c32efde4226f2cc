package io.lvscp.metrics;

import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.IpvsMetrics;
import io.lvscp.ipvs.Stats;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.VirtualService;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The formatting half of a scrape with 1,000 virtual servers x 10 real servers: the
 * kernel table as IPVS series in the Prometheus text format, without the kernel read
 * (measured in the lab kernel by ServiceInKernelModeTests). Run:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) io.lvscp.metrics.ScrapeBench}.
 */
public final class ScrapeBench {

    private ScrapeBench() {
    }

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        List<TableEntry> table = new ArrayList<>();
        Stats st = new Stats(123456, 234567, 0, 345678901, 0, 10, 20, 0, 3000, 0);
        for (int s = 0; s < services; s++) {
            VirtualService vs = VirtualService.of(VirtualService.TCP, InetAddress.getByName("10.60." + (s / 250) + "." + (s % 250 + 1)), 80,
                    "rr");
            vs = new VirtualService(vs.family(), vs.protocol(), vs.address(), vs.port(), 0, "rr", 0, 0, 32, null, st);
            List<Destination> ds = new ArrayList<>();
            for (int d = 0; d < 10; d++) {
                ds.add(new Destination(2, InetAddress.getByName("10.61." + (s / 25) + "." + (s % 25 * 10 + d + 1)), 80,
                        Forward.DIRECT_ROUTE, 1, 0, 0, null, 0, 0, 5, 7, 0, st));
            }
            table.add(new TableEntry(vs, ds));
        }
        long[] ns = new long[30];
        int bytes = 0;
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 24);
            PrometheusTextFormatWriter.create().write(out, IpvsMetrics.snapshots(table, "lvs1", "wtc"));
            ns[i] = System.nanoTime() - t0;
            bytes = out.size();
        }
        long[] last = Arrays.copyOfRange(ns, 10, ns.length);
        Arrays.sort(last);
        System.out.printf("IPVS series for %d x 10: %d bytes; first %.0f ms, then median %.0f ms (p90 %.0f ms)%n", services, bytes,
                ns[0] / 1e6, last[last.length / 2] / 1e6, last[last.length * 9 / 10] / 1e6);
    }
}
