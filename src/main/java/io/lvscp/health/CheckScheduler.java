package io.lvscp.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * When each check runs (pure: the caller passes the time; not thread-safe).
 *
 * <p>A check with interval {@code L} runs in the slots {@code phase + k·L} of the epoch,
 * its phase a hash of its definition, so checks with the same interval spread evenly
 * over it, and a check never drifts: the next slot is counted from the ideal time of
 * the last, not from when it ran or finished. A check is never run twice at once: the
 * next slot is chosen when the attempt finishes, skipping slots it overran (a check
 * that hangs for three loops runs three loops late, not three times at once). Retries
 * run {@code delay_before_retry} after the failed attempt finished, as keepalived does,
 * and the loop resumes at its next slot afterwards.
 *
 * @param <K> the check's key
 */
public final class CheckScheduler<K> {

    /**
     * A check to start now.
     *
     * @param key        the check
     * @param due        when it should have started
     * @param retry      it is a retry, not a loop slot
     * @param latenessNanos how far behind its due time it is being started
     */
    public record Due<K>(K key, Instant due, boolean retry, long latenessNanos) {
    }

    private static final class Entry<K> {
        final K key;
        final long loop;
        long loopSlot;
        long due;
        boolean retry;
        boolean queued;
        boolean removed;
        long seq;

        Entry(K key, long loop) {
            this.key = key;
            this.loop = loop;
        }
    }

    private record Queued<K>(Entry<K> entry, long due, long seq) {
    }

    private final PriorityQueue<Queued<K>> queue = new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due)
            : Long.compare(a.seq, b.seq));
    private final Map<K, Entry<K>> entries = new HashMap<>();
    private long seq;
    private long skippedSlots;

    /** Adds a check; its first run is its first slot at or after now. */
    public void add(K key, Duration interval, long phaseHash, Instant now) {
        if (entries.containsKey(key)) {
            return;
        }
        Entry<K> e = new Entry<>(key, Math.max(1, interval.toNanos()));
        long t = nanos(now);
        e.loopSlot = firstSlot(t, e.loop, phaseHash);
        e.due = e.loopSlot;
        entries.put(key, e);
        enqueue(e);
    }

    /** The first slot at or after {@code now} of a check with this interval and phase (epoch nanoseconds). */
    static long firstSlot(long now, long loop, long phaseHash) {
        long phase = Math.floorMod(phaseHash, loop);
        long offset = Math.floorMod(now - phase, loop);
        return offset == 0 ? now : now - offset + loop;
    }

    /** Forgets a check; if it is running, its end is ignored. */
    public void remove(K key) {
        Entry<K> e = entries.remove(key);
        if (e != null) {
            e.removed = true;
        }
    }

    public boolean contains(K key) {
        return entries.containsKey(key);
    }

    public int size() {
        return entries.size();
    }

    /** The checks due at {@code now}, oldest first; each is out of the queue until {@link #done}. */
    public List<Due<K>> poll(Instant now) {
        return poll(now, 0);
    }

    /**
     * The checks due by {@code now} plus {@code aheadNanos}, oldest first (a driver that starts a batch at once
     * rather than waking again for each); a check due after {@code now} has a negative lateness.
     */
    public List<Due<K>> poll(Instant now, long aheadNanos) {
        long t = nanos(now);
        long until = t + Math.max(0, aheadNanos);
        List<Due<K>> out = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().due <= until) {
            Queued<K> q = queue.poll();
            Entry<K> e = q.entry;
            if (e.removed || !e.queued || e.seq != q.seq) {
                continue;
            }
            e.queued = false;
            out.add(new Due<>(e.key, instant(e.due), e.retry, t - e.due));
        }
        return out;
    }

    /**
     * An attempt of the check ended.
     *
     * @param retryAfter run again after this pause, or null for the next loop slot
     */
    public void done(K key, Instant now, Duration retryAfter) {
        Entry<K> e = entries.get(key);
        if (e == null || e.queued) {
            return;
        }
        long t = nanos(now);
        if (retryAfter != null) {
            e.due = t + retryAfter.toNanos();
            e.retry = true;
        } else {
            long next = e.loopSlot + e.loop;
            if (next < t) {
                long missed = (t - next + e.loop - 1) / e.loop;
                skippedSlots += missed;
                next += missed * e.loop;
            }
            e.loopSlot = next;
            e.due = next;
            e.retry = false;
        }
        enqueue(e);
    }

    /** When the earliest queued check is due, or null if none is queued. */
    public Instant nextDue() {
        while (!queue.isEmpty()) {
            Queued<K> q = queue.peek();
            if (q.entry.removed || !q.entry.queued || q.entry.seq != q.seq) {
                queue.poll();
                continue;
            }
            return instant(q.due);
        }
        return null;
    }

    /** Loop slots skipped because a check was still running (overran its interval). */
    public long skippedSlots() {
        return skippedSlots;
    }

    private void enqueue(Entry<K> e) {
        e.queued = true;
        e.seq = ++seq;
        queue.add(new Queued<>(e, e.due, e.seq));
    }

    static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
