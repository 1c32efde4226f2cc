package io.lvscp.vrrp.linux;

import io.lvscp.linux.Native;
import io.lvscp.vrrp.node.RealtimeScheduling;

/**
 * {@link RealtimeScheduling.Scheduler} on Linux: {@code sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK,
 * priority)} on the calling thread (Linux schedules each thread on its own; pid 0 is the caller), then reads the policy
 * and priority back. SCHED_RESET_ON_FORK: a thread the loop thread would create starts in the normal class.
 */
public final class LinuxRealtimeScheduler implements RealtimeScheduling.Scheduler {

    @Override
    public RealtimeScheduling raise(int priority) {
        if (priority == 0) {
            return RealtimeScheduling.off();
        }
        try {
            int result = Native.LIBC.sched_setscheduler(0, Native.SCHED_RR | Native.SCHED_RESET_ON_FORK, Native.intValue(priority));
            int errno = result < 0 ? Native.errno() : 0;
            int policy = -1;
            int now = -1;
            if (result == 0) {
                int p = Native.LIBC.sched_getscheduler(0);
                policy = p < 0 ? -1 : p & ~Native.SCHED_RESET_ON_FORK;
                byte[] param = new byte[4];
                if (Native.LIBC.sched_getparam(0, param) == 0) {
                    now = (param[0] & 0xff) | (param[1] & 0xff) << 8 | (param[2] & 0xff) << 16 | param[3] << 24;
                }
            }
            return RealtimeScheduling.outcome(priority, result, errno, result < 0 ? Native.errnoName(errno) : "", policy, now);
        } catch (RuntimeException | LinkageError e) {
            // no libc binding (not Linux): the normal class
            return RealtimeScheduling.outcome(priority, -1, -1, e.toString(), -1, -1);
        }
    }
}
