package io.lvscp.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTests {

    @ParameterizedTest
    @CsvSource({
            "172.18.42.42, 172.18.42.42",
            "' 10.0.0.1 ', 10.0.0.1",
            "0.0.0.0, 0.0.0.0",
            "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
            "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "::, ::",
            "::1, ::1",
            "fe80:0:0:0:0:0:0:0, fe80::",
            "::ffff:10.0.0.1, ::ffff:a00:1",
            "FF02::12, ff02::12"})
    void canonicalForm(String in, String out) {
        assertThat(Addresses.canonical(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "172.18.42", "172.18.42.300", "1.2.3.4.5", "01234.1.1.1", "a.b.c.d", "lb.example.org", "2001:db8::g",
            "2001:db8::1%eth0", "1:2:3:4:5:6:7:8:9", "::1::2", "-1.0.0.0"})
    void rejectsWhatIsNotALiteral(String in) {
        assertThatThrownBy(() -> Addresses.canonical(in)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"224.0.0.18, true", "224.0.42.20, true", "244.0.42.20, false", "239.255.255.255, true", "ff02::12, true",
            "2001:db8::1, false"})
    void multicast(String in, boolean multicast) {
        assertThat(Addresses.isMulticast(in)).isEqualTo(multicast);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.1, 80, 10.0.0.1:80", "2001:db8::1, 443, [2001:db8::1]:443"})
    void hostPort(String address, int port, String out) {
        assertThat(Addresses.hostPort(address, port)).isEqualTo(out);
    }
}
