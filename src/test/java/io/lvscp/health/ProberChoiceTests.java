package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.health.CheckResult.Reason;
import io.lvscp.health.ConnectProber.Choice;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** lvs.health.prober's values and the native prober's pure parts (the probing itself: ProberTests, on both probers). */
class ProberChoiceTests {

    @Test
    void theChoiceIsAutoUringNativeOrNio() {
        assertThat(Choice.parse(null)).isEqualTo(Choice.AUTO);
        assertThat(Choice.parse(" ")).isEqualTo(Choice.AUTO);
        assertThat(Choice.parse("Native")).isEqualTo(Choice.NATIVE);
        assertThat(Choice.parse("nio")).isEqualTo(Choice.NIO);
        assertThat(Choice.parse("URING ")).isEqualTo(Choice.URING);
        assertThatThrownBy(() -> Choice.parse("epoll")).hasMessageContaining("auto, uring, native or nio");
    }

    @Test
    void errnoGivesTheReasonTheJdksExceptionGets() {
        assertThat(NativeProber.reason(NativeProber.ECONNREFUSED)).isEqualTo(Reason.REFUSED);
        assertThat(NativeProber.reason(NativeProber.ECONNRESET)).isEqualTo(Reason.RESET);
        assertThat(NativeProber.reason(NativeProber.EPIPE)).isEqualTo(Reason.RESET);
        assertThat(NativeProber.reason(NativeProber.ETIMEDOUT)).isEqualTo(Reason.TIMEOUT);
        assertThat(NativeProber.reason(NativeProber.EHOSTUNREACH)).isEqualTo(Reason.UNREACHABLE);
        assertThat(NativeProber.reason(NativeProber.ENETUNREACH)).isEqualTo(Reason.UNREACHABLE);
        assertThat(NativeProber.reason(99)).isEqualTo(Reason.ERROR); // EADDRNOTAVAIL: a bindto the host lacks
    }

    @Test
    void socketAddressesAreLinuxs() throws Exception {
        assertThat(NativeProber.sockaddr(InetAddress.getByName("10.1.2.3"), 8080))
                .containsExactly(2, 0, 0x1f, 0x90, 10, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0);
        byte[] six = NativeProber.sockaddr(InetAddress.getByName("fe80::1%7"), 443);
        assertThat(six).hasSize(28);
        assertThat(six[0]).isEqualTo((byte) 10);
        assertThat(six[2]).isEqualTo((byte) 1);
        assertThat(six[3]).isEqualTo((byte) 0xbb);
        assertThat(six[8]).isEqualTo((byte) 0xfe);
        assertThat(six[9]).isEqualTo((byte) 0x80);
        assertThat(six[23]).isEqualTo((byte) 1);
        assertThat(six[24]).isEqualTo((byte) 7); // scope id
    }
}
