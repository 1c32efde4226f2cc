package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.importer.ImportedCluster.RealServer;
import io.lvscp.importer.ImportedCluster.VirtualServer;
import io.lvscp.importer.ImportedCluster.Vip;
import io.lvscp.importer.ImportedCluster.VrrpInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeepalivedMapperTests {

    private static ImportedCluster map(Map<String, String> names, String... mains) {
        return KeepalivedMapper.map(List.of(mains), KeepalivedFiles.all(), names);
    }

    @Test
    void seedMasterAndBackupBecomeOneClusterWithTwoDirectors() {
        ImportedCluster c = map(Map.of("seed-master.conf", "lvs1", "seed-backup.conf", "lvs2"), "seed-master.conf",
                "seed-backup.conf");
        assertThat(c.directors()).extracting(ImportedCluster.Director::nodeName).containsExactly("lvs1", "lvs2");
        assertThat(c.directors()).extracting(ImportedCluster.Director::interfaceName).containsExactly("eth0", "eth0");
        VrrpInstance vi = c.vrrpInstances().get(0);
        assertThat(c.vrrpInstances()).hasSize(1);
        assertThat(vi.name()).isEqualTo("vi_1");
        assertThat(vi.vrid()).isEqualTo(110);
        assertThat(vi.interfaceName()).isEqualTo("eth0");
        assertThat(vi.advertInterval()).isEqualTo(1);
        assertThat(vi.authType()).isEqualTo("PASS");
        assertThat(vi.authPassword()).isEqualTo("lm97gg51");
        assertThat(vi.multicastGroup()).isEqualTo("224.0.42.20");
        assertThat(vi.priorities()).containsExactly(Map.entry("lvs1", 100), Map.entry("lvs2", 99));
        assertThat(vi.states()).containsExactly(Map.entry("lvs1", "MASTER"), Map.entry("lvs2", "BACKUP"));
        assertThat(vi.vips()).containsExactly(new Vip("172.18.42.42", null, "eth0", "eth0:1"));
        VirtualServer vs = c.virtualServers().get(0);
        assertThat(c.virtualServers()).hasSize(1);
        assertThat(List.of(vs.vip(), vs.port(), vs.protocol(), vs.scheduler(), vs.forwarding(), vs.delayLoop()))
                .containsExactly("172.18.42.42", 80, "TCP", "rr", "DR", 6);
        assertThat(vs.realServers()).extracting(RealServer::address).containsExactly("172.18.42.111", "172.18.42.222");
        RealServer rs = vs.realServers().get(1);
        assertThat(List.of(rs.port(), rs.weight(), rs.checkType(), rs.path(), rs.statusCodes(), rs.connectTimeout(),
                rs.retry(), rs.delayBeforeRetry())).containsExactly(80, 1, "HTTP_GET", "/", "200", 3, 3, 3);
        assertThat(rs.sources().get("nb_get_retry")).isEqualTo(new ImportedCluster.Source("seed-master.conf", 59, "nb_get_retry"));
        // notification settings are not stored: one warning per keyword and file, with its line
        assertThat(c.warnings()).extracting(ImportIssue::toString).contains(
                "seed-master.conf:8: notification_email: notifications are not stored (the service sends its own events)",
                "seed-backup.conf:12: smtp_server 127.0.0.1: notifications are not stored (the service sends its own events)");
        // router_id is not stored: both files say the same one, so the directors are named after the files, and a warning says so
        assertThat(c.warnings()).extracting(ImportIssue::toString).contains(
                "seed-master.conf:14: router_id wtc: router_id is not stored: the director is named 'lvs1' and an"
                        + " export writes router_id lvs1");
        assertThat(c.warnings()).hasSize(14); // 8 notification keywords, 2 router_ids, 4 nb_get_retry
    }

    @Test
    void directorNamesFallBackToTheFileNameWhenRouterIdsAreTheSame() {
        ImportedCluster c = map(Map.of(), "seed-master.conf", "seed-backup.conf");
        assertThat(c.directors()).extracting(ImportedCluster.Director::nodeName).containsExactly("seed-master", "seed-backup");
        assertThat(map(Map.of(), "all-keywords.conf").directors().get(0).nodeName()).isEqualTo("lvs-a");
    }

    @Test
    void everyKeyword() {
        ImportedCluster c = map(Map.of(), "all-keywords.conf");
        VrrpInstance v4 = c.vrrpInstances().get(0);
        assertThat(v4.vrrpVersion()).isNull();
        assertThat(v4.advertInterval()).isEqualTo(2);
        assertThat(v4.authType()).isEqualTo("PASS");
        assertThat(v4.preempt()).isFalse();
        assertThat(v4.unicastPeers()).containsExactly("192.0.2.2");
        assertThat(v4.syncGroup()).isEqualTo("SG_1");
        assertThat(v4.multicastGroup()).isEqualTo("224.0.0.18");
        assertThat(v4.vips()).containsExactly(new Vip("192.0.2.100", 24, "eth0", "eth0:vip"));
        VrrpInstance v6 = c.vrrpInstances().get(1);
        assertThat(v6.multicastGroup()).isEqualTo("ff02::12");
        assertThat(v6.vrrpVersion()).isEqualTo(3);
        assertThat(v6.advertInterval()).as("VRRPv3 in centiseconds").isEqualTo(50);
        assertThat(v6.preempt()).isNull();
        assertThat(v6.preemptDelay()).isEqualTo(10);
        assertThat(v6.syncGroup()).isEqualTo("SG_1");
        assertThat(v6.vips()).containsExactly(new Vip("2001:db8::100", 64, "eth1", null));
        assertThat(v6.priorities()).containsExactly(Map.entry("lvs-a", 90));

        VirtualServer https = c.virtualServers().get(0);
        assertThat(List.of(https.scheduler(), https.forwarding(), https.persistenceTimeout(), https.persistenceNetmask(),
                https.quorum(), https.hysteresis(), https.alpha(), https.sorryAddress(), https.sorryPort(), https.delayLoop()))
                .containsExactly("wlc", "NAT", 300, "255.255.255.0", 2, 1, true, "192.0.2.200", 8443, 10);
        RealServer ssl = https.realServers().get(0);
        assertThat(List.of(ssl.weight(), ssl.inhibitOnFailure(), ssl.checkType(), ssl.path(), ssl.digest(), ssl.connectPort(),
                ssl.connectTimeout(), ssl.retry(), ssl.delayBeforeRetry())).containsExactly(3, true, "SSL_GET", "/health",
                "9b3a0c85a887a256d6939da88aabd8cd", 8443, 5, 2, 1);
        VirtualServer fwmark = c.virtualServers().get(1);
        assertThat(fwmark.fwmark()).isEqualTo(7L);
        assertThat(fwmark.vip()).isNull();
        assertThat(fwmark.realServers().get(0).checkType()).isEqualTo("TCP_CHECK");
        assertThat(fwmark.realServers().get(0).port()).isNull();
        VirtualServer udp6 = c.virtualServers().get(2);
        assertThat(List.of(udp6.vip(), udp6.port(), udp6.protocol(), udp6.forwarding())).containsExactly("2001:db8::100", 80,
                "UDP", "TUN");
        assertThat(udp6.realServers().get(0).command()).isEqualTo("/usr/local/bin/check --port 80");
        assertThat(List.of(ssl.virtualhost(), ssl.bindTo())).containsExactly("www.example.com", "192.0.2.1");
        assertThat(List.of(ssl.upperThreshold(), ssl.lowerThreshold())).containsExactly(500, 400);
        assertThat(fwmark.realServers().get(0).connectIp()).isEqualTo("192.0.2.13");
        assertThat(udp6.realServers().get(0).miscTimeout()).isEqualTo(7);

        assertThat(c.warnings()).extracting(w -> w.where() + " " + w.keyword()).containsExactlyInAnyOrder(
                "all-keywords.conf:4 notification_email", "all-keywords.conf:7 notification_email_from",
                "all-keywords.conf:8 smtp_server", "all-keywords.conf:9 smtp_connect_timeout",
                "all-keywords.conf:32 unicast_src_ip", "all-keywords.conf:36 track_interface");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "errors/mcast-typo.conf        | 15 | vrrp_mcast_group4 | 244.0.42.20 | multicast",
            "errors/vrid-300.conf          | 21 | virtual_router_id | 300         | from 1 to 255",
            "errors/port-70000.conf        | 33 | virtual_server    | 70000       | from 1 to 65535",
            "errors/unknown-scheduler.conf | 35 | lb_algo           | fastest     | expected one of",
            "errors/lowercase-kind.conf    | 36 | lb_kind           | dr          | expected one of [DR, NAT, TUN]"})
    void invalidValuesFailWithFileLineKeywordAndValue(String file, int line, String keyword, String value, String message) {
        assertThatThrownBy(() -> map(Map.of(), file)).isInstanceOfSatisfying(KeepalivedImportException.class, e -> {
            assertThat(e.errors()).hasSize(1);
            ImportIssue i = e.errors().get(0);
            assertThat(List.of(i.file(), i.line(), i.keyword(), i.value())).containsExactly(file, line, keyword, value);
            assertThat(i.message()).contains(message);
        });
    }

    @Test
    void keywordsAreCaseSensitiveAsInKeepalivedAndAnUnknownOneIsAWarning() {
        ImportedCluster c = KeepalivedMapper.map(List.of("k.conf"), Map.of("k.conf",
                "virtual_server 10.0.0.1 80 {\n    LB_ALGO rr\n    protocol tcp\n}\n"), Map.of());
        assertThat(c.warnings()).extracting(ImportIssue::toString)
                .containsExactly("k.conf:2: LB_ALGO rr: virtual_server keyword not supported");
        assertThat(c.virtualServers().get(0).scheduler()).isNull();
        assertThat(c.virtualServers().get(0).protocol()).isEqualTo("TCP");
    }

    @Test
    void checkKeywordsOutsideTheirCheckAreWarningsAndAUrlsVirtualhostIsTheChecks() {
        ImportedCluster c = KeepalivedMapper.map(List.of("k.conf"), Map.of("k.conf", """
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    real_server 10.0.0.11 80 {
                        HTTP_GET {
                            url {
                                path /a
                                virtualhost a.example
                            }
                            url {
                                path /b
                                virtualhost b.example
                            }
                            bindto 10.0.0.2
                        }
                    }
                    real_server 10.0.0.12 80 {
                        TCP_CHECK {
                            virtualhost x.example
                            misc_timeout 5
                            bindto 10.0.0.3
                        }
                    }
                    real_server 10.0.0.13 80 {
                        MISC_CHECK {
                            misc_path /bin/true
                            misc_timeout 9
                            bindto 10.0.0.4
                            connect_ip 10.0.0.5
                        }
                    }
                }
                """), Map.of());
        List<RealServer> rs = c.virtualServers().get(0).realServers();
        assertThat(List.of(rs.get(0).virtualhost(), rs.get(0).bindTo())).containsExactly("a.example", "10.0.0.2");
        assertThat(rs.get(1).virtualhost()).isNull();
        assertThat(rs.get(1).miscTimeout()).isNull();
        assertThat(rs.get(1).bindTo()).isEqualTo("10.0.0.3");
        assertThat(List.of(rs.get(2).miscTimeout(), rs.get(2).command())).containsExactly(9, "/bin/true");
        assertThat(rs.get(2).bindTo()).isNull();
        assertThat(rs.get(2).connectIp()).isNull();
        assertThat(c.warnings()).extracting(w -> w.where() + " " + w.keyword()).containsExactly("k.conf:11 virtualhost",
                "k.conf:18 virtualhost", "k.conf:19 misc_timeout", "k.conf:27 bindto", "k.conf:28 connect_ip");
    }

    @Test
    void aVirtualServersVirtualhostIsTheDefaultOfItsHttpChecks() {
        ImportedCluster c = KeepalivedMapper.map(List.of("k.conf"), Map.of("k.conf", """
                virtual_server 10.0.0.1 80 {
                    protocol TCP
                    virtualhost www.example.org
                    real_server 10.0.0.11 80 {
                        HTTP_GET {
                            url {
                                path /
                            }
                        }
                    }
                    real_server 10.0.0.12 80 {
                        SSL_GET {
                            virtualhost own.example.org
                        }
                    }
                    real_server 10.0.0.13 80 {
                        TCP_CHECK {
                        }
                    }
                }
                """), Map.of());
        assertThat(c.virtualServers().get(0).realServers()).extracting(RealServer::virtualhost)
                .containsExactly("www.example.org", "own.example.org", null);
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void settingsKeepalivedIgnoresAreWarnings() {
        ImportedCluster c = KeepalivedMapper.map(List.of("k.conf"), Map.of("k.conf", """
                vrrp_instance v {
                    state MASTER
                    interface eth0
                    nopreempt
                    version 3
                    authentication {
                        auth_type PASS
                    }
                    virtual_ipaddress {
                        10.0.0.1
                    }
                }
                """), Map.of());
        assertThat(c.warnings()).extracting(ImportIssue::toString).containsExactly(
                "k.conf:6: authentication PASS: VRRP version 3 has no authentication: keepalived ignores it",
                "k.conf:4: nopreempt: keepalived ignores it with state MASTER; the export writes state BACKUP");
    }

    @Test
    void filesThatDifferInMoreThanStateAndPriorityAreRejected() {
        assertThatThrownBy(() -> map(Map.of(), "seed-master.conf", "errors/backup-differs.conf"))
                .isInstanceOfSatisfying(KeepalivedImportException.class, e -> assertThat(e.errors())
                        .extracting(ImportIssue::toString)
                        .containsExactly("errors/backup-differs.conf:33: virtual_server 172.18.42.42 80 TCP: differs from the one at seed-master.conf:33"));
    }
}
