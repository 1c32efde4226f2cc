package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IpvsSysctlPropertiesTests {

    @Test
    void onlySetValuesAreWrittenInAFixedOrder() {
        assertThat(new IpvsSysctlProperties(1, 1, null, null, null).wanted())
                .containsExactly(Map.entry("expire_nodest_conn", 1), Map.entry("expire_quiescent_template", 1));
        assertThat(new IpvsSysctlProperties(null, 0, 2, 1, 0).wanted()).containsExactly(Map.entry("expire_quiescent_template", 0),
                Map.entry("conn_reuse_mode", 2), Map.entry("sloppy_tcp", 1), Map.entry("conntrack", 0));
    }

    @Test
    void valuesOutsideTheKernelsRangeAreRefusedAtStart() {
        assertThatThrownBy(() -> new IpvsSysctlProperties(2, 1, null, null, null)).hasMessageContaining("expire-nodest-conn");
        assertThatThrownBy(() -> new IpvsSysctlProperties(1, 1, 4, null, null)).hasMessageContaining("conn-reuse-mode");
        assertThatThrownBy(() -> new IpvsSysctlProperties(1, 1, null, -1, null)).hasMessageContaining("sloppy-tcp");
    }
}
