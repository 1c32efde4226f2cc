package io.lvscp.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.api.FieldError;
import io.lvscp.api.FieldErrors;
import io.lvscp.common.CheckType;
import io.lvscp.health.CheckDefinition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health check as one value: its validation and its conversion to the checker's definition. */
class HealthCheckSettingsTests {

    static HealthCheckSettings check(CheckType type, String path, String codes, String digest, String command, Integer connectPort,
            String connectIp, String bindTo, boolean tlsVerify, Integer miscTimeout) {
        return new HealthCheckSettings(type, path, codes, digest, null, command, connectPort, null, null, null, null, connectIp, bindTo,
                tlsVerify, null, null, miscTimeout);
    }

    static List<String> fields(FieldErrors errors) {
        return errors.list().stream().map(FieldError::field).toList();
    }

    @Test
    void normalisesAnHttpCheck() {
        FieldErrors errors = new FieldErrors();
        HealthCheckSettings s = check(CheckType.HTTP_GET, "  ", "200,204", " 0123456789ABCDEF0123456789ABCDEF ", null, null,
                " 2001:DB8::1 ", null, false, null).validated(errors, "healthCheck", "2001:db8::5", false);
        assertThat(errors.isEmpty()).isTrue();
        assertThat(s.getPath()).isEqualTo("/");
        assertThat(s.getDigest()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(s.getConnectIp()).isEqualTo("2001:db8::1");
        assertThat(s.isTlsVerify()).isFalse();
    }

    @Test
    void refusesWhatDoesNotApplyToTheType() {
        FieldErrors errors = new FieldErrors();
        check(CheckType.TCP_CHECK, "/x", null, null, "/bin/true", null, null, null, true, 5)
                .validated(errors, "healthCheck", "10.0.0.1", false);
        assertThat(fields(errors)).containsExactly("healthCheck.path", "healthCheck.command", "healthCheck.miscTimeout",
                "healthCheck.tlsVerify");
    }

    @Test
    void refusesABindAddressOfTheOtherFamilyAndOutOfRangeKnobs() {
        FieldErrors errors = new FieldErrors();
        new HealthCheckSettings(CheckType.TCP_CHECK, null, null, null, null, null, 70000, 0, -1, null, null, null, "2001:db8::9", false, 0,
                null, null).validated(errors, "healthCheck", "10.0.0.1", false);
        assertThat(fields(errors)).containsExactly("healthCheck.bindTo", "healthCheck.connectPort", "healthCheck.connectTimeout",
                "healthCheck.retry", "healthCheck.rise");
    }

    @Test
    void aMiscCheckNeedsItsCommand() {
        FieldErrors errors = new FieldErrors();
        check(CheckType.MISC_CHECK, null, null, null, " ", null, null, null, false, null).validated(errors, "healthCheck", "10.0.0.1", false);
        assertThat(fields(errors)).containsExactly("healthCheck.command");
    }

    @Test
    void becomesTheCheckersDefinitionWithTheVirtualServersDefaults() {
        VirtualServer vs = new VirtualServer(new Cluster("lab", null));
        vs.setConnectTimeout(3);
        vs.setRetry(2);
        vs.setDelayBeforeRetry(4);
        vs.setDelayLoop(6);
        vs.setAlpha(true);
        HealthCheckSettings s = new HealthCheckSettings(CheckType.HTTP_GET, "/health", "200-299", null, null, null, 8080, null, 5, null,
                null, "10.0.0.9", null, false, 3, 2, null);
        CheckDefinition d = s.definition("10.0.0.1", 80, vs);
        assertThat(d.address()).isEqualTo("10.0.0.9");
        assertThat(d.port()).isEqualTo(8080);
        assertThat(d.path()).isEqualTo("/health");
        assertThat(d.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(d.retry()).isEqualTo(5);
        assertThat(d.delayBeforeRetry()).isEqualTo(Duration.ofSeconds(4));
        assertThat(d.delayLoop()).isEqualTo(Duration.ofSeconds(6));
        assertThat(d.alpha()).isTrue();
        assertThat(d.rise()).isEqualTo(3);
        assertThat(d.fall()).isEqualTo(2);
        assertThat(d.statusCodes().contains(250)).isTrue();
    }

    @Test
    void noCheckIsNoDefinitionAndNoPortCannotRun() {
        VirtualServer vs = new VirtualServer(new Cluster("lab", null));
        assertThat(HealthCheckSettings.none().definition("10.0.0.1", 80, vs)).isNull();
        HealthCheckSettings tcp = check(CheckType.TCP_CHECK, null, null, null, null, null, null, null, false, null);
        assertThatThrownBy(() -> tcp.definition("10.0.0.1", 0, vs)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectPort");
    }
}
