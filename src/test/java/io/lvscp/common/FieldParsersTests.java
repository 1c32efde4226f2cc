package io.lvscp.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.common.Addresses.Family;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldParsersTests {

    @ParameterizedTest
    @CsvSource({"255.255.255.0, 24", "24, 24", "/16, 16", "255.255.255.255, 32", "128.0.0.0, 1"})
    void ipv4Netmasks(String in, int prefix) {
        assertThat(Netmasks.parse(Family.IPV4, in)).isEqualTo(prefix);
        assertThat(Netmasks.parse(Family.IPV4, Netmasks.format(Family.IPV4, prefix))).isEqualTo(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"255.0.255.0", "33", "0", "0.0.0.0", "mask", "ffff::"})
    void badIpv4Netmasks(String in) {
        assertThatThrownBy(() -> Netmasks.parse(Family.IPV4, in)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"200; 200", "'200, 301-302'; 200,301-302", "'  '; 200", "100-599; 100-599"})
    void statusCodes(String in, String out) {
        assertThat(StatusCodes.normalize(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"20", "600", "302-301", "200,,301", "2xx", "200-300-400"})
    void badStatusCodes(String in) {
        assertThatThrownBy(() -> StatusCodes.normalize(in)).isInstanceOf(IllegalArgumentException.class);
    }
}
