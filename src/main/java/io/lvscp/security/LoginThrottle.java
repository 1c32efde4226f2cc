package io.lvscp.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Counts failed password logins per user name and per remote address, and says how long
 * further attempts must wait. Kept in memory, per process: each director brakes on its own.
 */
@Component
public class LoginThrottle {

    /** Beyond this many tracked keys, those not locked are forgotten (an attacker cycling names cannot fill memory). */
    static final int MAX_TRACKED = 10_000;

    private record Counter(int failures, Instant lockedUntil) {
    }

    private final SecurityProperties.Login settings;
    private final Clock clock;
    private final Map<String, Counter> byUser = new ConcurrentHashMap<>();
    private final Map<String, Counter> byAddress = new ConcurrentHashMap<>();

    public LoginThrottle(SecurityProperties properties, Clock clock) {
        this.settings = properties.login();
        this.clock = clock;
    }

    /** How long the next attempt for this user from this address must still wait; empty when it may go ahead. */
    public Optional<Duration> retryAfter(String username, String address) {
        Instant now = clock.instant();
        Duration wait = Duration.ZERO;
        for (Counter c : new Counter[] {byUser.get(key(username)), address == null ? null : byAddress.get(address)}) {
            if (c != null && c.lockedUntil() != null && now.isBefore(c.lockedUntil())) {
                Duration left = Duration.between(now, c.lockedUntil());
                wait = left.compareTo(wait) > 0 ? left : wait;
            }
        }
        return wait.isZero() ? Optional.empty() : Optional.of(wait);
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        count(byUser, key(username), settings.maxFailuresPerUser(), now);
        if (address != null) {
            count(byAddress, address, settings.maxFailuresPerAddress(), now);
        }
    }

    public void succeeded(String username, String address) {
        byUser.remove(key(username));
        if (address != null) {
            byAddress.remove(address);
        }
    }

    private void count(Map<String, Counter> counters, String key, int max, Instant now) {
        if (counters.size() >= MAX_TRACKED) {
            counters.values().removeIf(c -> c.lockedUntil() == null || !now.isBefore(c.lockedUntil()));
        }
        counters.compute(key, (k, c) -> {
            int failures = (c == null ? 0 : c.failures()) + 1;
            return new Counter(failures, failures < max ? null : now.plus(delay(failures - max)));
        });
    }

    /** The lock after the n-th failure beyond the allowance (0-based): doubling from the first delay, capped. */
    Duration delay(int beyond) {
        Duration d = settings.firstDelay();
        for (int i = 0; i < beyond && d.compareTo(settings.maxDelay()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : d;
    }

    private static String key(String username) {
        return username == null ? "" : username.toLowerCase(Locale.ROOT);
    }
}
