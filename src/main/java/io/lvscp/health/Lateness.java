package io.lvscp.health;

/**
 * How late checks started against their schedule: a histogram of 0.1 ms buckets up to
 * 10 s (for the p99 the benchmark reports) plus the maximum. Thread-safe.
 */
public final class Lateness {

    private static final long BUCKET_NANOS = 100_000;
    private final long[] buckets = new long[100_001];
    private long count;
    private long max;

    public synchronized void record(long nanos) {
        long n = Math.max(0, nanos);
        buckets[(int) Math.min(buckets.length - 1, n / BUCKET_NANOS)]++;
        count++;
        max = Math.max(max, n);
    }

    /** The q-quantile (0..1) in milliseconds, to 0.1 ms (the upper edge of its bucket). */
    public synchronized double quantileMillis(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return max / 1e6;
    }

    public synchronized double maxMillis() {
        return max / 1e6;
    }

    public synchronized long count() {
        return count;
    }

    public synchronized void reset() {
        java.util.Arrays.fill(buckets, 0);
        count = 0;
        max = 0;
    }
}
