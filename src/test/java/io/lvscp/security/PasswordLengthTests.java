package io.lvscp.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lvscp.event.EventService;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/** bcrypt's 72-byte limit: no password beyond it is ever hashed or matched, and the first admin's is checked at start. */
class PasswordLengthTests {

    private final PasswordEncoder encoder = new BoundedPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());

    @Test
    void aPasswordLongerThanSeventyTwoBytesNeverMatches() {
        String pw72 = "p".repeat(72);
        String hash = encoder.encode(pw72);
        assertThat(encoder.matches(pw72, hash)).isTrue();
        // bcrypt alone says yes to this one: it reads only the first 72 bytes
        assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches(pw72 + "x", hash)).isTrue();
        assertThat(encoder.matches(pw72 + "x", hash)).isFalse();
        assertThat(encoder.matches(pw72 + "\u00e9", hash)).isFalse();
    }

    @Test
    void bytesAreCountedInUtf8NotInCharacters() {
        assertThat(BoundedPasswordEncoder.tooLong("\u00e9".repeat(36))).isFalse(); // 72 bytes
        assertThat(BoundedPasswordEncoder.tooLong("\u00e9".repeat(37))).isTrue(); // 74 bytes, 37 characters
        assertThat(BoundedPasswordEncoder.tooLong("\uD83D\uDD11".repeat(18))).isFalse(); // 18 emoji, 72 bytes
        assertThat(BoundedPasswordEncoder.tooLong("\uD83D\uDD11".repeat(18) + "a")).isTrue();
        assertThatThrownBy(() -> encoder.encode("a".repeat(73))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("72");
    }

    private static SecurityProperties properties(String initial) {
        return new SecurityProperties(initial, Path.of("target/password-length-tests/initial-admin-password"), 12,
                new SecurityProperties.Login(5, 20, java.time.Duration.ofSeconds(5), java.time.Duration.ofMinutes(15)));
    }

    @Test
    void anInitialAdminPasswordOverTheLimitStopsTheStartWithAReason() {
        UserRepository users = mock(UserRepository.class);
        when(users.count()).thenReturn(0L);
        TransactionTemplate tx = mock(TransactionTemplate.class);
        InitialAdmin admin = new InitialAdmin(users, encoder, mock(EventService.class), properties("x".repeat(73)), tx);
        assertThatThrownBy(admin::ensure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lvs.security.initial-admin-password is 73 bytes").hasMessageContaining("at most 72");
        verify(tx, never()).executeWithoutResult(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void anInitialAdminPasswordIgnoredBecauseUsersExistIsLoggedOnce() {
        UserRepository users = mock(UserRepository.class);
        when(users.count()).thenReturn(1L);
        InitialAdmin admin = new InitialAdmin(users, encoder, mock(EventService.class), properties("tour-admin-password"),
                mock(TransactionTemplate.class));
        Logger log = (Logger) LoggerFactory.getLogger(InitialAdmin.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            assertThat(admin.ensure()).isFalse();
            assertThat(admin.ensure()).isFalse();
        } finally {
            log.detachAppender(appender);
        }
        assertThat(appender.list).hasSize(1);
        assertThat(appender.list.get(0).getFormattedMessage()).contains("is set but ignored").contains("already has users");
    }

    @Test
    void withoutTheVariableNothingIsSaidWhenUsersExist() {
        UserRepository users = mock(UserRepository.class);
        when(users.count()).thenReturn(3L);
        InitialAdmin admin = new InitialAdmin(users, encoder, mock(EventService.class), properties(null), mock(TransactionTemplate.class));
        Logger log = (Logger) LoggerFactory.getLogger(InitialAdmin.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        log.addAppender(appender);
        try {
            assertThat(admin.ensure()).isFalse();
        } finally {
            log.detachAppender(appender);
        }
        assertThat(appender.list).isEmpty();
    }
}
