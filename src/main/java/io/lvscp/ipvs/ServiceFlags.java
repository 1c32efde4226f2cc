package io.lvscp.ipvs;

/** IP_VS_SVC_F_* bits of a virtual service. */
public final class ServiceFlags {
    public static final int PERSISTENT = 0x0001;
    public static final int HASHED = 0x0002;
    public static final int ONEPACKET = 0x0004;
    public static final int SCHED1 = 0x0008;
    public static final int SCHED2 = 0x0010;
    public static final int SCHED3 = 0x0020;
    /** sh and mh: fall back to another destination when the chosen one is unavailable. */
    public static final int SH_FALLBACK = SCHED1;
    /** sh and mh: hash the source port too. */
    public static final int SH_PORT = SCHED2;
    public static final int MH_FALLBACK = SCHED1;
    public static final int MH_PORT = SCHED2;

    private ServiceFlags() {
    }
}
