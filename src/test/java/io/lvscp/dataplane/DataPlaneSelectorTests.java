package io.lvscp.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.LvsProperties.DataPlaneMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataPlaneSelectorTests {

    @ParameterizedTest(name = "{0} ipvs={1} director={2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            "DRY_RUN | true  | true  | dry-run | lvs.dataplane=dry-run",
            "AUTO    | false | true  | dry-run | auto: this host has no IPVS",
            "AUTO    | true  | false | kernel  | auto: IPVS present; no Director record names node 'lvs1' yet, so nothing is programmed until one does",
            "AUTO    | true  | true  | kernel  | auto: IPVS present and node 'lvs1' is a director",
            "KERNEL  | true  | false | kernel  | lvs.dataplane=kernel"})
    void picks(DataPlaneMode requested, boolean ipvs, boolean director, String mode, String reason) {
        DataPlaneSelector.Selection s = DataPlaneSelector.select(requested, ipvs, director, "lvs1");
        assertThat(s.mode().wireName()).isEqualTo(mode);
        assertThat(s.reason()).isEqualTo(reason);
    }

    @org.junit.jupiter.api.Test
    void kernelThatCannotBeHadStopsTheService() {
        assertThatThrownBy(() -> DataPlaneSelector.select(DataPlaneMode.KERNEL, false, true, "lvs1"))
                .isInstanceOf(DataPlaneSelector.UnavailableException.class).hasMessageContaining("no IPVS");
    }
}
