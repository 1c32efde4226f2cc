package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.importer.ImportedCluster.RealServer;
import io.lvscp.importer.ImportedCluster.VrrpInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Site files as operators have them: every error at once, keepalived's globals and defaults, nesting abuse. */
class KeepalivedSiteFilesTests {

    private static ImportedCluster map(String... mains) {
        return KeepalivedMapper.map(List.of(mains), KeepalivedFiles.all(), Map.of());
    }

    @Test
    void everyErrorAndEveryWarningOfTheFileAtOnceWithItsLine() {
        assertThatThrownBy(() -> map("errors/article-two-mistakes.conf")).isInstanceOfSatisfying(KeepalivedImportException.class, e -> {
            assertThat(e.errors()).extracting(i -> i.where() + " " + i.keyword() + " " + i.value()).containsExactly(
                    "errors/article-two-mistakes.conf:4 vrrp_mcast_group4 244.0.42.20",
                    "errors/article-two-mistakes.conf:30 weight 70000");
            // keepalived's "Unknown keyword 'DELAY_LOOP'" is a warning here too, reported with the errors
            assertThat(e.warnings()).extracting(i -> i.where() + " " + i.keyword())
                    .contains("errors/article-two-mistakes.conf:19 DELAY_LOOP");
        });
    }

    @Test
    void syntaxErrorsAreAllReportedAndTheRestOfTheFileIsStillChecked() {
        String text = "global_defs {\n  router_id \"open\n}\n}\nvirtual_server 10.0.0.1 80 {\n  lb_algo fastest\n";
        assertThatThrownBy(() -> KeepalivedMapper.map(List.of("k.conf"), Map.of("k.conf", text), Map.of()))
                .isInstanceOfSatisfying(KeepalivedImportException.class, e -> assertThat(e.errors())
                        .extracting(i -> i.line() + " " + i.message().split(" ")[0] + " " + i.message().split(" ")[1]).containsExactly(
                                "2 expected a", "4 unexpected '}':", "6 expected '}'", "6 expected one"));
    }

    @Test
    void tenThousandNestedBracesAreRefusedAtTheBoundNotWithAStackOverflow() {
        String text = "a {\n".repeat(10_000) + "}\n".repeat(10_000);
        assertThatThrownBy(() -> KeepalivedMapper.map(List.of("deep.conf"), Map.of("deep.conf", text), Map.of()))
                .isInstanceOfSatisfying(KeepalivedImportException.class, e -> assertThat(e.errors()).anySatisfy(i -> {
                    assertThat(i.line()).isEqualTo(KeepalivedParser.MAX_DEPTH + 1);
                    assertThat(i.message()).contains("nested deeper than " + KeepalivedParser.MAX_DEPTH);
                }));
        // one level below the bound is read
        String ok = "a {\n".repeat(KeepalivedParser.MAX_DEPTH) + "}\n".repeat(KeepalivedParser.MAX_DEPTH);
        assertThat(KeepalivedParser.parse("ok.conf", ok)).hasSize(1);
    }

    @Test
    void vrrpVersionFromGlobalDefsAdvertIntFractionsAndTheDefaultsKeepalivedApplies() {
        ImportedCluster c = map("v3/site-v3.conf");
        VrrpInstance vi = c.vrrpInstances().get(0);
        assertThat(vi.vrrpVersion()).isEqualTo(3);
        assertThat(vi.advertInterval()).isEqualTo(10); // 0.1 s in centiseconds
        assertThat(vi.multicastGroup()).isEqualTo("224.0.0.19");
        RealServer rs = c.virtualServers().get(0).realServers().get(0);
        assertThat(rs.statusCodes()).isEqualTo("200-299"); // only a digest: keepalived accepts any 2xx
        assertThat(rs.retry()).isEqualTo(4); // nb_get_retry
        assertThat(c.warnings()).extracting(i -> i.where() + " " + i.keyword()).containsExactlyInAnyOrder(
                "v3/site-v3.conf:6 default_interface", "v3/site-v3.conf:7 lvs_timeouts", "v3/site-v3.conf:35 nb_get_retry");
        // lvs_sync_daemon eth0 VI_3: connection synchronisation of that instance
        assertThat(vi.connectionSync()).isEqualTo(new ImportedCluster.ConnectionSync("eth0", null, null, null, null, null));
    }

    @Test
    void routerIdIsTheDirectorNameWhenFilesDifferAndNoWarningThen() {
        ImportedCluster c = KeepalivedMapper.map(List.of("v3/site-v3.conf"), KeepalivedFiles.all(), Map.of());
        assertThat(c.directors().get(0).nodeName()).isEqualTo("lvs-v3");
        assertThat(c.directors().get(0).line()).isEqualTo(3);
    }

    @Test
    void aVersionTwoFractionIsRoundedAsKeepalivedDoesWithAWarning() {
        ImportedCluster c = map("errors/advert-v2-fraction.conf");
        assertThat(c.vrrpInstances().get(0).advertInterval()).isEqualTo(1);
        assertThat(c.warnings()).extracting(i -> i.where() + " " + i.keyword() + " " + i.value())
                .contains("errors/advert-v2-fraction.conf:23 advert_int 0.5");
    }

    @Test
    void statusCodesAreAListLikeKeepalivedsAndExportAsOne() {
        ImportedCluster c = KeepalivedMapper.map(List.of("k.conf"), Map.of("k.conf", """
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    real_server 10.0.0.2 80 {
                        HTTP_GET {
                            url {
                                path /
                                status_code 200 301-302
                            }
                        }
                    }
                }
                """), Map.of());
        assertThat(c.virtualServers().get(0).realServers().get(0).statusCodes()).isEqualTo("200,301-302");
    }

    @Test
    void anLvsOnlyFileHasNoInstancesAndItsDirectorPointsAtItsRouterIdLine() {
        ImportedCluster c = map("lvs-only.conf");
        assertThat(c.vrrpInstances()).isEmpty();
        assertThat(c.virtualServers()).hasSize(1);
        assertThat(c.directors().get(0).line()).isEqualTo(3);
        assertThat(c.directors().get(0).interfaceName()).isNull();
    }

    @Test
    void duplicateVirtualAndRealServersAreErrorsAtTheirSecondLine() {
        String text = "virtual_server 10.0.0.1 80 {\n protocol TCP\n real_server 10.0.0.2 80 {\n }\n real_server 10.0.0.2 80 {\n }\n}\n"
                + "virtual_server 10.0.0.1 80 {\n protocol TCP\n}\n";
        assertThatThrownBy(() -> KeepalivedMapper.map(List.of("k.conf"), Map.of("k.conf", text), Map.of()))
                .isInstanceOfSatisfying(KeepalivedImportException.class, e -> assertThat(e.errors())
                        .extracting(ImportIssue::line).containsExactlyInAnyOrder(5, 8));
    }

    @Test
    void globIncludesDecideWhichUploadedFilesAreMainFiles() {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        files.put("keepalived.conf", "include conf.d/*.conf\n");
        files.put("conf.d/a.conf", "");
        files.put("conf.d/b.conf", "");
        files.put("backup.conf", "include conf.d/*.conf\n");
        assertThat(KeepalivedParser.mainFiles(files)).containsExactly("keepalived.conf", "backup.conf");
    }
}
