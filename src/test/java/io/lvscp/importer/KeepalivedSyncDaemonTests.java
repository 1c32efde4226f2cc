package io.lvscp.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** global_defs' lvs_sync_daemon: imported onto its VRRP instance, exported back, accepted by Debian's keepalived. */
class KeepalivedSyncDaemonTests {

    static String conf(String router, String state, int priority, String sync) {
        return """
                global_defs {
                    router_id %s
                    %s
                }
                vrrp_instance VI_1 {
                    state %s
                    interface eth0
                    virtual_router_id 51
                    priority %d
                    advert_int 1
                    virtual_ipaddress {
                        192.168.200.10
                    }
                }
                """.formatted(router, sync, state, priority);
    }

    static ImportedCluster pair(String sync) {
        return KeepalivedMapper.map(List.of("lvs1.conf", "lvs2.conf"),
                Map.of("lvs1.conf", conf("lvs1", "MASTER", 150, sync), "lvs2.conf", conf("lvs2", "BACKUP", 100, sync)), Map.of());
    }

    @Test
    void importedOntoItsInstance() {
        ImportedCluster c = pair("lvs_sync_daemon eth1 VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 224.0.0.82");
        assertThat(c.warnings()).isEmpty();
        assertThat(c.vrrpInstances().get(0).connectionSync())
                .isEqualTo(new ImportedCluster.ConnectionSync("eth1", 7, 1400, "224.0.0.82", 8849, 2));
        ImportedCluster plain = pair("lvs_sync_daemon eth1 VI_1");
        assertThat(plain.vrrpInstances().get(0).connectionSync())
                .as("the sync id left to the API's default, the VRID").isEqualTo(new ImportedCluster.ConnectionSync("eth1", null, null, null, null, null));
    }

    @Test
    void directorsThatDifferAreRejected() {
        assertThatThrownBy(() -> KeepalivedMapper.map(List.of("lvs1.conf", "lvs2.conf"),
                Map.of("lvs1.conf", conf("lvs1", "MASTER", 150, "lvs_sync_daemon eth1 VI_1"),
                        "lvs2.conf", conf("lvs2", "BACKUP", 100, "lvs_sync_daemon eth2 VI_1")), Map.of()))
                .isInstanceOf(KeepalivedImportException.class).hasMessageContaining("differs");
    }

    @Test
    void malformedOnesFailAtTheirLine() {
        assertThatThrownBy(() -> pair("lvs_sync_daemon eth1 VI_9")).isInstanceOf(KeepalivedImportException.class)
                .hasMessageContaining("lvs1.conf:3").hasMessageContaining("no vrrp_instance VI_9");
        assertThatThrownBy(() -> pair("lvs_sync_daemon eth1 VI_1 id 300")).isInstanceOf(KeepalivedImportException.class)
                .hasMessageContaining("expected an integer from 0 to 255");
        assertThatThrownBy(() -> pair("lvs_sync_daemon eth1 VI_1 group 10.0.0.1")).isInstanceOf(KeepalivedImportException.class)
                .hasMessageContaining("expected a multicast address");
        assertThatThrownBy(() -> pair("lvs_sync_daemon eth1 VI_1 speed 3")).isInstanceOf(KeepalivedImportException.class)
                .hasMessageContaining("expected id, maxlen, port, ttl or group");
    }

    @Test
    void exportedBackAndAcceptedByKeepalived() throws Exception {
        ImportedCluster c = pair("lvs_sync_daemon eth1 VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 224.0.0.82");
        Map<String, String> files = new LinkedHashMap<>();
        for (ImportedCluster.Director d : c.directors()) {
            String text = KeepalivedWriter.write(c, d.nodeName());
            assertThat(text).contains("    lvs_sync_daemon eth1 VI_1 id 7 maxlen 1400 port 8849 ttl 2 group 224.0.0.82\n");
            KeepalivedCheck.assertAccepted(text);
            files.put(d.nodeName() + ".conf", text);
        }
        ImportedCluster back = KeepalivedMapper.map(List.copyOf(files.keySet()), files, Map.of());
        assertThat(back.vrrpInstances().get(0).connectionSync()).isEqualTo(c.vrrpInstances().get(0).connectionSync());
        assertThat(KeepalivedWriter.write(pair(""), "lvs1")).doesNotContain("lvs_sync_daemon");
    }
}
