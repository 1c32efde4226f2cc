package io.lvscp.dataplane;

import io.lvscp.ipvs.TableEntry;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One read of the kernel's IPVS table shared by its readers, each with its own bound on the read's age: the
 * console's and the switch-over agent's connection counts ({@link LocalConnections}, {@link LocalConnections#MAX_AGE})
 * and the IPVS metrics ({@link IpvsMetricsCollector}, {@link IpvsMetricsCollector#MAX_AGE}). A read's age counts from
 * its start. A reader that comes while a read is under way waits for it, and takes it if it is fresh enough; a failed
 * read is not kept.
 */
final class SharedTableRead {

    /** A read of the table and when it started ({@code System.nanoTime()}). */
    record Stamped(List<TableEntry> entries, long startedAt) {
    }

    private final Supplier<List<TableEntry>> source;
    private final LongSupplier nanoTime;
    private Stamped last;

    SharedTableRead(Supplier<List<TableEntry>> source, LongSupplier nanoTime) {
        this.source = source;
        this.nanoTime = nanoTime;
    }

    /** The last read if it started at most {@code maxAge} before {@code freshAt} ({@code System.nanoTime()}), else a new one. */
    synchronized Stamped read(long freshAt, Duration maxAge) {
        Stamped s = last;
        if (s != null && freshAt - s.startedAt() <= maxAge.toNanos()) {
            return s;
        }
        long started = nanoTime.getAsLong();
        s = new Stamped(source.get(), started);
        last = s;
        return s;
    }
}
