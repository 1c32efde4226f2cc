package io.lvscp.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.support.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The brute-force brake as pure logic, on a clock that moves only when told. */
class LoginThrottleTests {

    final MutableClock clock = new MutableClock();
    final LoginThrottle throttle = new LoginThrottle(new SecurityProperties(null, null, 12,
            new SecurityProperties.Login(3, 10, Duration.ofSeconds(5), Duration.ofSeconds(60))), clock);

    @Test
    void aUserIsLockedAfterTheAllowanceForAGrowingTime() {
        throttle.failed("alice", "192.0.2.1");
        throttle.failed("Alice", "192.0.2.2");
        assertThat(throttle.retryAfter("alice", "192.0.2.3")).isEmpty();
        throttle.failed("alice", "192.0.2.3");
        assertThat(throttle.retryAfter("alice", "192.0.2.9")).hasValue(Duration.ofSeconds(5));
        assertThat(throttle.retryAfter("bob", "192.0.2.9")).as("another user from another address").isEmpty();

        clock.advance(Duration.ofSeconds(5));
        assertThat(throttle.retryAfter("alice", "192.0.2.9")).isEmpty();
        throttle.failed("alice", "192.0.2.9");
        assertThat(throttle.retryAfter("alice", "192.0.2.9")).hasValue(Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(10));
        throttle.failed("alice", "192.0.2.9");
        assertThat(throttle.retryAfter("alice", "192.0.2.9")).hasValue(Duration.ofSeconds(20));
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofMinutes(10));
            throttle.failed("alice", "192.0.2.9");
        }
        assertThat(throttle.retryAfter("alice", "192.0.2.9")).as("capped").hasValue(Duration.ofSeconds(60));
    }

    @Test
    void aSuccessResets() {
        throttle.failed("alice", "192.0.2.1");
        throttle.failed("alice", "192.0.2.1");
        throttle.succeeded("alice", "192.0.2.1");
        throttle.failed("alice", "192.0.2.1");
        throttle.failed("alice", "192.0.2.1");
        assertThat(throttle.retryAfter("alice", "192.0.2.1")).isEmpty();
    }

    @Test
    void anAddressTryingManyNamesIsLockedForEveryName() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("user" + i, "198.51.100.7");
        }
        assertThat(throttle.retryAfter("somebody-else", "198.51.100.7")).hasValue(Duration.ofSeconds(5));
        assertThat(throttle.retryAfter("somebody-else", "198.51.100.8")).isEmpty();
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUp() {
        assertThat(LoginThrottledException.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(LoginThrottledException.seconds(Duration.ofMillis(5001))).isEqualTo(6);
        assertThat(LoginThrottledException.seconds(Duration.ofSeconds(5))).isEqualTo(5);
    }
}
