package io.lvscp.vrrp;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.vrrp.RestartVips.OtherMasters;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision table of {@link RestartVips}: keep the VIPs a crash left only when nothing says someone else holds them. */
class RestartVipsTests {

    @Test
    void keptWhenAllAreThereTheLinkIsUpAndNoOtherMasterIsKnown() {
        assertThat(RestartVips.decide(true, true, true, OtherMasters.none()))
                .isEqualTo(new RestartVips.Decision(true, "no other master in the database; listening for one"));
    }

    @Test
    void keptWhenTheDatabaseCannotTellVrrpAloneDecides() {
        RestartVips.Decision d = RestartVips.decide(true, true, true, OtherMasters.unknown());
        assertThat(d.keep()).isTrue();
        assertThat(d.reason()).contains("VRRP alone decides");
    }

    @Test
    void removedWhenTheDatabaseShowsAnotherMaster() {
        RestartVips.Decision d = RestartVips.decide(true, true, true, OtherMasters.of(List.of("lvs2")));
        assertThat(d.keep()).isFalse();
        assertThat(d.reason()).isEqualTo("the database shows another master: lvs2");
    }

    @Test
    void removedWhenOffWhenNotAllThereOrWhenTheLinkIsDown() {
        assertThat(RestartVips.decide(false, true, true, OtherMasters.none()).keep()).isFalse();
        assertThat(RestartVips.decide(true, false, true, OtherMasters.none()).keep()).isFalse();
        assertThat(RestartVips.decide(true, true, false, OtherMasters.none()).keep()).isFalse();
        assertThat(RestartVips.decide(false, true, true, OtherMasters.none()).reason()).contains("lvs.vrrp.keep-vips-on-restart");
    }
}
