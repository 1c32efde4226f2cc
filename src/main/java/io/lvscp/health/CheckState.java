package io.lvscp.health;

import java.time.Duration;
import java.time.Instant;

/**
 * The result state machine of one check, with keepalived's semantics (pure: the
 * caller passes the time).
 *
 * <ul>
 *   <li>It starts up, or down with {@code alpha}.</li>
 *   <li>While up, a failed attempt is retried {@code retry} times, {@code delay_before_retry}
 *       apart; only when all of them fail has the check failed. While down there is no
 *       retry: the next attempt is a loop later.</li>
 *   <li>{@code fall} failed checks in a row take an up server down, {@code rise} good
 *       ones bring a down server up (1 and 1 are keepalived's behaviour).</li>
 * </ul>
 *
 * Not thread-safe: the registry serialises the calls of one check.
 */
public final class CheckState {

    public enum Health {
        UP, DOWN
    }

    /**
     * What to do after an attempt.
     *
     * @param flipped    the health changed with this attempt
     * @param retryAfter run again after this pause (a retry), or null for the next loop slot
     */
    public record Step(boolean flipped, Duration retryAfter) {
    }

    /** A read-only copy for the API. */
    public record Snapshot(Health health, boolean checked, Instant since, Instant lastCheckedAt, String lastError, Instant lastErrorAt,
            Long lastDurationNanos, int failedAttempts) {
    }

    private final CheckDefinition def;
    private Health health;
    private boolean checked;
    private Instant since;
    private Instant lastCheckedAt;
    private String lastError;
    private Instant lastErrorAt;
    private Long lastDurationNanos;
    private int failedAttempts;
    private int goodChecks;
    private int failedChecks;

    public CheckState(CheckDefinition def, Instant now) {
        this.def = def;
        this.health = def.alpha() ? Health.DOWN : Health.UP;
        this.since = now;
    }

    public Health health() {
        return health;
    }

    public Step onAttempt(CheckResult r, Instant now) {
        checked = true;
        lastCheckedAt = now;
        lastDurationNanos = r.durationNanos();
        if (r.ok()) {
            failedAttempts = 0;
            failedChecks = 0;
            goodChecks++;
            if (health == Health.DOWN && goodChecks >= def.rise()) {
                return flip(Health.UP, now);
            }
            return new Step(false, null);
        }
        lastError = r.describe();
        lastErrorAt = now;
        goodChecks = 0;
        if (health == Health.UP && failedAttempts < def.retry()) {
            failedAttempts++;
            return new Step(false, def.delayBeforeRetry());
        }
        failedAttempts = 0;
        failedChecks++;
        if (health == Health.UP && failedChecks >= def.fall()) {
            return flip(Health.DOWN, now);
        }
        return new Step(false, null);
    }

    private Step flip(Health to, Instant now) {
        health = to;
        since = now;
        goodChecks = 0;
        failedChecks = 0;
        return new Step(true, null);
    }

    public Snapshot snapshot() {
        return new Snapshot(health, checked, since, lastCheckedAt, lastError, lastErrorAt, lastDurationNanos, failedAttempts);
    }
}
