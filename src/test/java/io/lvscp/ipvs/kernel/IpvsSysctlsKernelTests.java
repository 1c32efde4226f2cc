package io.lvscp.ipvs.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.dataplane.IpvsSysctlProperties;
import io.lvscp.ipvs.linux.IpvsSysctls;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The service's IPVS sysctls written into the lab kernel's /proc/sys/net/ipv4/vs and read back, also with sysctl(8). */
@EnabledIfSystemProperty(named = "lvscp.lab.kernel", matches = "true")
class IpvsSysctlsKernelTests {

    final IpvsSysctls proc = new IpvsSysctls(IpvsSysctls.PROC);

    @AfterEach
    void kernelDefaults() throws IOException {
        proc.apply(Map.of("expire_nodest_conn", 0, "expire_quiescent_template", 0, "conn_reuse_mode", 1, "sloppy_tcp", 0, "conntrack", 0));
    }

    static String sysctl(String name) throws Exception {
        return Ipvsadm.runCommand("sysctl", "-n", "net.ipv4.vs." + name).trim();
    }

    @Test
    void theDefaultsAreWrittenAndReadBack() throws Exception {
        assertThat(sysctl("expire_nodest_conn")).as("the kernel's default").isEqualTo("0");
        IpvsSysctlProperties defaults = new IpvsSysctlProperties(1, 1, null, null, null);
        assertThat(proc.apply(defaults.wanted())).containsExactly(Map.entry("expire_nodest_conn", 1), Map.entry("expire_quiescent_template", 1));
        assertThat(sysctl("expire_nodest_conn")).isEqualTo("1");
        assertThat(sysctl("expire_quiescent_template")).isEqualTo("1");
        assertThat(sysctl("conn_reuse_mode")).as("left as it was").isEqualTo("1");
    }

    @Test
    void everySettingReachesTheKernel() throws Exception {
        Map<String, Integer> all = new LinkedHashMap<>(new IpvsSysctlProperties(0, 0, 2, 1, 1).wanted());
        assertThat(proc.apply(all)).isEqualTo(all);
        for (Map.Entry<String, Integer> e : all.entrySet()) {
            assertThat(sysctl(e.getKey())).as(e.getKey()).isEqualTo(String.valueOf(e.getValue()));
        }
        assertThat(proc.read("no_such_sysctl")).isEmpty();
        assertThatThrownBy(() -> proc.apply(Map.of("no_such_sysctl", 1))).isInstanceOf(IOException.class);
    }
}
