package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.importer.ImportedCluster.RealServer;
import io.lvscp.importer.ImportedCluster.VirtualServer;
import io.lvscp.importer.ImportedCluster.VrrpInstance;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Export: what the writer produces reads back to the same cluster, and Debian's keepalived accepts it. */
class KeepalivedWriterTests {

    private static ImportedCluster map(List<String> mains, Map<String, String> files, Map<String, String> names) {
        return KeepalivedMapper.map(mains, files, names);
    }

    /** The model without sources and warnings: what a round trip must keep. */
    private static List<Object> comparable(ImportedCluster c) {
        List<Object> out = new java.util.ArrayList<>();
        c.directors().forEach(d -> out.add(d.nodeName() + " " + d.interfaceName()));
        for (VrrpInstance v : c.vrrpInstances()) {
            out.add(new VrrpInstance(v.name(), v.vrid(), v.interfaceName(), v.vrrpVersion() == null ? 2 : v.vrrpVersion(),
                    v.advertInterval(), v.preempt(), v.preemptDelay(), v.authType(), v.authPassword(), v.multicastGroup(),
                    v.unicastPeers(), v.syncGroup(), v.priorities(), v.states(), v.vips(), null));
        }
        for (VirtualServer s : c.virtualServers()) {
            out.add(new VirtualServer(s.vip(), s.port(), s.protocol(), s.fwmark(), s.scheduler(), s.forwarding(),
                    s.persistenceTimeout(), s.persistenceNetmask(), s.delayLoop(), s.quorum(), s.hysteresis(), s.alpha(),
                    s.sorryAddress(), s.sorryPort(), s.realServers().stream().map(r -> new RealServer(r.address(), r.port(),
                            r.weight(), r.inhibitOnFailure(), r.checkType(), r.path(), r.statusCodes(), r.digest(), r.command(),
                            r.connectPort(), r.connectTimeout(), r.retry(), r.delayBeforeRetry(), r.virtualhost(), r.connectIp(), r.bindTo(),
                            r.miscTimeout(), r.upperThreshold(), r.lowerThreshold(), null)).toList(), null));
        }
        return out;
    }

    /** Writes every director's file and reads them back. */
    private static ImportedCluster roundTrip(ImportedCluster c) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (ImportedCluster.Director d : c.directors()) {
            files.put(d.nodeName() + ".conf", KeepalivedWriter.write(c, d.nodeName()));
            names.put(d.nodeName() + ".conf", d.nodeName());
        }
        return map(List.copyOf(files.keySet()), files, names);
    }

    @Test
    void seedRoundTrips() {
        ImportedCluster seed = map(List.of("seed-master.conf", "seed-backup.conf"), KeepalivedFiles.all(),
                Map.of("seed-master.conf", "lvs1", "seed-backup.conf", "lvs2"));
        ImportedCluster back = roundTrip(seed);
        assertThat(comparable(back)).isEqualTo(comparable(seed));
        assertThat(back.warnings()).isEmpty();
    }

    @Test
    void generatedClusterWithBothFamiliesFwmarkAndEveryCheckRoundTrips() {
        ImportedCluster all = map(List.of("all-keywords.conf"), KeepalivedFiles.all(), Map.of());
        ImportedCluster back = roundTrip(all);
        assertThat(comparable(back)).isEqualTo(comparable(all));
        assertThat(back.virtualServers()).hasSize(3);
        assertThat(back.virtualServers().stream().flatMap(v -> v.realServers().stream()).map(RealServer::checkType))
                .containsExactly("SSL_GET", "TCP_CHECK", "MISC_CHECK");
        List<RealServer> rs = back.virtualServers().stream().flatMap(v -> v.realServers().stream()).toList();
        assertThat(rs.get(0).virtualhost()).isEqualTo("www.example.com");
        assertThat(rs.get(0).bindTo()).isEqualTo("192.0.2.1");
        assertThat(rs.get(1).connectIp()).isEqualTo("192.0.2.13");
        assertThat(rs.get(2).miscTimeout()).isEqualTo(7);
        assertThat(List.of(rs.get(0).upperThreshold(), rs.get(0).lowerThreshold())).containsExactly(500, 400);
        assertThat(rs.get(1).upperThreshold()).isNull();
    }

    @ParameterizedTest
    @CsvSource({"seed-master.conf, wtc", "all-keywords.conf, lvs-a"})
    void debiansKeepalivedAcceptsTheExport(String source, String director) throws IOException, InterruptedException {
        ImportedCluster c = map(List.of(source), KeepalivedFiles.all(), Map.of(source, director));
        KeepalivedCheck.assertAccepted(KeepalivedWriter.write(c, director));
    }
}
