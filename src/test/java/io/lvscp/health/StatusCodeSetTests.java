package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatusCodeSetTests {

    @Test
    void codesAndRanges() {
        StatusCodeSet s = StatusCodeSet.parse("200-299, 301");
        assertThat(s.contains(200)).isTrue();
        assertThat(s.contains(250)).isTrue();
        assertThat(s.contains(299)).isTrue();
        assertThat(s.contains(300)).isFalse();
        assertThat(s.contains(301)).isTrue();
        assertThat(s.contains(-1)).isFalse();
        assertThat(StatusCodeSet.parse(null).contains(200)).isTrue();
        assertThat(StatusCodeSet.parse("200,201")).isEqualTo(StatusCodeSet.parse("200-201"));
    }

    @Test
    void outOfRangeOrMalformed() {
        assertThatThrownBy(() -> StatusCodeSet.parse("99")).hasMessageContaining("between 100 and 599");
        assertThatThrownBy(() -> StatusCodeSet.parse("600")).hasMessageContaining("between 100 and 599");
        assertThatThrownBy(() -> StatusCodeSet.parse("300-200")).hasMessageContaining("ends before");
        assertThatThrownBy(() -> StatusCodeSet.parse("200,,300")).hasMessageContaining("empty");
        assertThatThrownBy(() -> StatusCodeSet.parse("2xx")).hasMessageContaining("not an HTTP status code");
    }
}
