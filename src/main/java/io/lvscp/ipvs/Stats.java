package io.lvscp.ipvs;

/**
 * The kernel's counters for a service or a destination (IPVS_*_ATTR_STATS64, or the
 * 32-bit IPVS_*_ATTR_STATS on kernels without it) and its rates (per second, estimated
 * by the kernel every 2 s).
 */
public record Stats(long connections, long packetsIn, long packetsOut, long bytesIn, long bytesOut,
        long connectionRate, long packetRateIn, long packetRateOut, long byteRateIn, long byteRateOut) {

    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
