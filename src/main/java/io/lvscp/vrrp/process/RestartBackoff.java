package io.lvscp.vrrp.process;

import java.time.Duration;

/**
 * How long the supervisor of the VRRP engine process waits before starting it again after it died: {@code first}
 * after a death, doubled after each death that follows a run shorter than {@code stableAfter}, at most {@code max};
 * a run of {@code stableAfter} or longer starts the count again. Pure; not thread-safe (the supervisor's thread).
 */
public final class RestartBackoff {

    private final Duration first;
    private final Duration max;
    private final Duration stableAfter;
    private int quickDeaths;

    public RestartBackoff(Duration first, Duration max, Duration stableAfter) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max");
        }
        this.first = first;
        this.max = max;
        this.stableAfter = stableAfter;
    }

    /** The service's: 100 ms, doubling up to 10 s, reset by a run of a minute. */
    public static RestartBackoff standard() {
        return new RestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMinutes(1));
    }

    /** The wait before the next start, for a child that died after running {@code ran}. */
    public Duration afterDeath(Duration ran) {
        if (ran.compareTo(stableAfter) >= 0) {
            quickDeaths = 0;
        }
        Duration d = first;
        for (int i = 0; i < quickDeaths && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        quickDeaths++;
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Deaths in a row without a stable run between them. */
    public int quickDeaths() {
        return quickDeaths;
    }
}
