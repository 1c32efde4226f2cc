package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.LvsProperties.DataPlaneMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataPlaneSelectorTests {

    @ParameterizedTest(name = "{0} ipvs={1} director={2} kernelBuilt={3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "DRY_RUN | true  | true  | true  | dry-run | lvs.dataplane=dry-run",
            "AUTO    | false | true  | true  | dry-run | auto: this host has no IPVS",
            "AUTO    | true  | false | true  | kernel  | auto: IPVS present; no Director record names node 'lvs1' yet, so nothing is programmed until one does",
            "AUTO    | true  | true  | false | dry-run | auto: this build has no kernel data plane",
            "AUTO    | true  | true  | true  | kernel  | auto: IPVS present and node 'lvs1' is a director",
            "KERNEL  | true  | false | true  | kernel  | lvs.dataplane=kernel"})
    void picks(DataPlaneMode requested, boolean ipvs, boolean director, boolean built, String mode, String reason) {
        DataPlaneSelector.Selection s = DataPlaneSelector.select(requested, ipvs, director, built, "lvs1");
        assertThat(s.mode()).isEqualTo(mode);
        assertThat(s.reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource({"false, true, no IPVS", "true, false, no kernel data plane"})
    void kernelThatCannotBeHadStopsTheService(boolean ipvs, boolean built, String message) {
        assertThatThrownBy(() -> DataPlaneSelector.select(DataPlaneMode.KERNEL, ipvs, true, built, "lvs1"))
                .isInstanceOf(DataPlaneSelector.UnavailableException.class).hasMessageContaining(message);
    }
}
