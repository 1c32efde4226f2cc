package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.importer.ImportedCluster.RealServer;
import io.lvscp.importer.ImportedCluster.VirtualServer;
import io.lvscp.importer.ImportedCluster.VrrpInstance;
import io.lvscp.support.LabRequirement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
                            r.connectPort(), r.connectTimeout(), r.retry(), r.delayBeforeRetry(), null)).toList(), null));
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
    }

    @ParameterizedTest
    @CsvSource({"seed-master.conf, wtc", "all-keywords.conf, lvs-a"})
    void debiansKeepalivedAcceptsTheExport(String source, String director, @TempDir Path dir)
            throws IOException, InterruptedException {
        Path keepalived = Path.of("/usr/sbin/keepalived");
        LabRequirement.require(Files.isExecutable(keepalived), "keepalived is not installed (apt-get install keepalived)");
        ImportedCluster c = map(List.of(source), KeepalivedFiles.all(), Map.of(source, director));
        Path conf = dir.resolve("keepalived.conf");
        // keepalived -t also checks that interfaces exist on this host and are not loopback: the test files'
        // eth0/eth1 become this host's first other interface
        String iface;
        try (var names = Files.list(Path.of("/sys/class/net"))) {
            iface = names.map(n -> n.getFileName().toString()).filter(n -> !n.equals("lo")).sorted().findFirst().orElse(null);
        }
        LabRequirement.require(iface != null, "this host has no network interface but lo for keepalived -t");
        String text = KeepalivedWriter.write(c, director).replaceAll("(interface|dev) \\S+", "$1 " + iface);
        Files.writeString(conf, text, StandardCharsets.UTF_8);
        // -t only checks the configuration and exits; it starts nothing
        Process p = new ProcessBuilder(keepalived.toString(), "-t", "-f", conf.toString(), "-l", "-D", "-n")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output + "\n--- file ---\n" + Files.readString(conf)).isZero();
    }
}
