package io.lvscp.vrrp;

import java.util.EnumMap;
import java.util.Map;

/** Counters of one instance. Not thread-safe: owned by the engine's loop; read a {@link #snapshot()}. */
public final class VrrpStats {

    private final long[] values = new long[VrrpCounter.values().length];

    public void increment(VrrpCounter counter) {
        values[counter.ordinal()]++;
    }

    public long get(VrrpCounter counter) {
        return values[counter.ordinal()];
    }

    /** Packets the validator has seen: accepted plus every kind of rejection. */
    public long received() {
        long sum = 0;
        for (VrrpCounter c : VrrpCounter.values()) {
            if (c.isReceiveOutcome()) {
                sum += values[c.ordinal()];
            }
        }
        return sum;
    }

    public Map<VrrpCounter, Long> snapshot() {
        Map<VrrpCounter, Long> map = new EnumMap<>(VrrpCounter.class);
        for (VrrpCounter c : VrrpCounter.values()) {
            map.put(c, values[c.ordinal()]);
        }
        return map;
    }
}
