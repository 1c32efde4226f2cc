package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.importer.ImportedCluster.Director;
import io.lvscp.importer.ImportedCluster.RealServer;
import io.lvscp.importer.ImportedCluster.VirtualServer;
import io.lvscp.importer.ImportedCluster.Vip;
import io.lvscp.importer.ImportedCluster.VrrpInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Generated clusters: every scheduler, forwarding method, protocol and check type, each optional field set and unset.
 * Each director's export passes Debian's {@code keepalived -t} with no message at all (the generated model has nothing
 * keepalived would complain about), and reads back to the same model (export, import, compare).
 */
class KeepalivedExportMatrixTests {

    private static final List<String> SCHEDULERS = List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo",
            "ovf", "mh");
    private static final List<String> KINDS = List.of("DR", "NAT", "TUN");
    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    private static final List<String> CHECKS = List.of("NONE", "HTTP_GET", "SSL_GET", "TCP_CHECK", "MISC_CHECK");

    static ImportedCluster generate(boolean optional) {
        List<Director> directors = List.of(new Director("lvs1", null, "lvs1", "eth0", 0), new Director("lvs2", null, "lvs2", "eth0", 0));
        List<VrrpInstance> instances = new ArrayList<>();
        instances.add(new VrrpInstance("vi_v2", 51, "eth0", 2, optional ? 3 : 1, optional ? false : null, null,
                optional ? "PASS" : null, optional ? "s3cret" : null, optional ? "224.0.0.19" : null,
                optional ? List.of("192.0.2.2") : List.of(), optional ? "grp" : null, prios(), null,
                List.of(new Vip("192.0.2.100", optional ? 32 : null, optional ? "eth0" : null, optional ? "eth0:1" : null)), Map.of()));
        instances.add(new VrrpInstance("vi_v3", 52, "eth0", 3, optional ? 10 : 100, null, optional ? 30 : null, null, null, null,
                List.of(), optional ? "grp" : null, prios(), null, List.of(new Vip("2001:db8::100", optional ? 64 : null, null, null)),
                Map.of()));
        List<VirtualServer> vss = new ArrayList<>();
        int n = 0;
        for (String sched : SCHEDULERS) {
            for (String kind : KINDS) {
                n++;
                String proto = PROTOCOLS.get(n % PROTOCOLS.size());
                boolean v6 = n % 4 == 0;
                String vip = v6 ? "2001:db8::100" : "192.0.2.100";
                int port = 1000 + n;
                List<RealServer> rss = new ArrayList<>();
                for (int k = 0; k < CHECKS.size(); k++) {
                    String check = CHECKS.get((n + k) % CHECKS.size());
                    boolean http = check.equals("HTTP_GET") || check.equals("SSL_GET");
                    boolean set = optional ^ (k % 2 == 0);
                    if (!proto.equals("TCP") && !check.equals("NONE") && !check.equals("MISC_CHECK")) {
                        check = "MISC_CHECK"; // keepalived's TCP and HTTP checks need TCP
                        http = false;
                    }
                    String address = v6 ? "2001:db8::" + Integer.toHexString(0x1000 + n * 8 + k) : "10.0." + n + "." + (k + 1);
                    Integer rsPort = kind.equals("NAT") ? 8000 + k : port;
                    rss.add(new RealServer(address, rsPort, set ? 1 + k : null, set ? true : null,
                            check.equals("NONE") ? null : check, http && set ? "/health" : http ? "/" : null,
                            http ? (set ? "200,301-302" : "200-299") : null,
                            http && set ? "9b3a0c85a887a256d6939da88aabd8cd" : null,
                            check.equals("MISC_CHECK") ? "/usr/local/bin/lvscp-matrix-check " + address : null,
                            set && !check.equals("MISC_CHECK") && !check.equals("NONE") ? 9000 : null,
                            set && !check.equals("NONE") && !check.equals("MISC_CHECK") ? 3 : null,
                            set && !check.equals("NONE") ? 2 : null,
                            set && !check.equals("NONE") ? 1 : null, Map.of()));
                }
                boolean persist = optional && n % 2 == 0;
                vss.add(new VirtualServer(vip, port, proto, null, sched, kind, persist ? 300 : null,
                        persist && !v6 ? "255.255.255.0" : null, optional ? 6 : null, optional ? 2 : null, optional ? 1 : null,
                        optional ? true : null, optional ? (v6 ? "2001:db8::ffff" : "10.255.0.1") : null,
                        optional && kind.equals("NAT") ? 8080 : null, rss, Map.of()));
            }
        }
        vss.add(new VirtualServer(null, null, null, 7L, "wlc", "DR", optional ? 60 : null, null, null, null, null, null, null, null,
                List.of(new RealServer("10.0.99.1", null, null, null, "TCP_CHECK", null, null, null, null, 80, null, null, null,
                        Map.of())), Map.of()));
        return new ImportedCluster(directors, instances, vss, List.of());
    }

    private static Map<String, Integer> prios() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("lvs1", 150);
        m.put("lvs2", 100);
        return m;
    }

    private static List<Object> comparable(ImportedCluster c) {
        List<Object> out = new ArrayList<>();
        for (VrrpInstance v : c.vrrpInstances()) {
            out.add(new VrrpInstance(v.name(), v.vrid(), v.interfaceName(), v.vrrpVersion() == null ? 2 : v.vrrpVersion(),
                    v.advertInterval(), v.preempt(), v.preemptDelay(), v.authType(), v.authPassword(), v.multicastGroup(),
                    v.unicastPeers(), v.syncGroup(), v.priorities(), null, v.vips(), null));
        }
        for (VirtualServer s : c.virtualServers()) {
            out.add(new VirtualServer(s.vip(), s.port(), s.protocol(), s.fwmark(), s.scheduler(), s.forwarding(),
                    s.persistenceTimeout(), s.persistenceNetmask(), s.delayLoop(), s.quorum(), s.hysteresis(), s.alpha(),
                    s.sorryAddress(), s.sorryPort(), s.realServers().stream().map(r -> new RealServer(r.address(), r.port(),
                            r.weight(), r.inhibitOnFailure(), r.checkType(), r.path(), r.statusCodes(), r.digest(), r.command(),
                            r.connectPort(), r.connectTimeout(), r.retry(), r.delayBeforeRetry(), null)).toList(), null));
        }
        return out;
    }

    @Test
    void everyCombinationExportsToAFileKeepalivedAcceptsSilentlyAndReadsBackTheSame() throws Exception {
        for (boolean optional : List.of(true, false)) {
            ImportedCluster c = generate(optional);
            Map<String, String> files = new LinkedHashMap<>();
            Map<String, String> names = new LinkedHashMap<>();
            for (Director d : c.directors()) {
                String text = KeepalivedWriter.write(c, d.nodeName());
                assertThat(text).doesNotContain("NONE");
                KeepalivedCheck.assertAcceptedSilently(text);
                files.put(d.nodeName() + ".conf", text);
                names.put(d.nodeName() + ".conf", d.nodeName());
            }
            ImportedCluster back = KeepalivedMapper.map(List.copyOf(files.keySet()), files, names);
            assertThat(comparable(back)).as("optional fields " + (optional ? "set" : "unset")).isEqualTo(comparable(c));
            assertThat(back.warnings()).as("optional fields " + (optional ? "set" : "unset")).isEmpty();
            // and the export of the read-back model is the same text
            for (Director d : c.directors()) {
                assertThat(KeepalivedWriter.write(back, d.nodeName())).isEqualTo(files.get(d.nodeName() + ".conf"));
            }
        }
    }
}
