package io.lvscp.vrrp.node;

/**
 * The scheduling of a {@link VrrpNode}'s loop thread (the one thread that sends the adverts, receives the packets and
 * runs the timers): {@code lvs.vrrp.realtime-priority}, 1-99 for Linux's round-robin real-time class (SCHED_RR, as
 * keepalived's {@code vrrp_rt_priority}), 0 for the normal class, and what came of asking the kernel for it. A
 * refusal (EPERM: neither CAP_SYS_NICE nor an RLIMIT_RTPRIO that high, or systemd's {@code RestrictRealtime=yes}) is
 * no error: the loop runs at the normal priority and the status says why. Pure, but for {@link Scheduler}'s
 * implementation.
 *
 * @param requested the priority asked for (0: none)
 * @param applied   the SCHED_RR priority the loop thread runs at; 0 when it runs in the normal class
 * @param state     which of the four cases
 * @param detail    one line for the log and the status: what was asked, what the kernel said
 */
public record RealtimeScheduling(int requested, int applied, State state, String detail) {

    public enum State {
        /** Not asked for ({@code lvs.vrrp.realtime-priority=0}). */
        OFF,
        /** Asked for; the loop thread has not started yet, or the engine process is not up. */
        PENDING,
        /** The loop thread runs in SCHED_RR at {@code applied}. */
        IN_EFFECT,
        /** Asked for and refused by the kernel: the loop runs at normal priority. */
        REFUSED
    }

    /**
     * The default of {@code lvs.vrrp.realtime-priority}: any real-time priority runs before every normal thread of the
     * machine; a low one leaves the kernel's own real-time threads (threaded interrupt handlers at 50, watchdogs at 99)
     * above the engine. docs/benchmarks.md has the measurement.
     */
    public static final int DEFAULT_PRIORITY = 10;

    /** The highest SCHED_RR priority on Linux ({@code sched_get_priority_max(SCHED_RR)}). */
    public static final int MAX_PRIORITY = 99;

    /** What sets the calling thread's scheduling (on Linux: {@code sched_setscheduler(0, SCHED_RR, priority)}). */
    public interface Scheduler {

        /** Puts the calling thread in SCHED_RR at {@code priority} (1-99) and says what came of it; never throws. */
        RealtimeScheduling raise(int priority);
    }

    /** The value of {@code lvs.vrrp.realtime-priority}, or an exception that names the setting. */
    public static int validate(int priority) {
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("lvs.vrrp.realtime-priority is 0 (normal scheduling) or 1-" + MAX_PRIORITY
                    + " (SCHED_RR priority of the VRRP loop thread), not " + priority);
        }
        return priority;
    }

    /** Not asked for. */
    public static RealtimeScheduling off() {
        return new RealtimeScheduling(0, 0, State.OFF, "normal scheduling (lvs.vrrp.realtime-priority=0)");
    }

    /** Asked for, but the loop thread has not started yet (or the engine process is not up). */
    public static RealtimeScheduling pending(int requested) {
        return requested == 0 ? off() : new RealtimeScheduling(requested, 0, State.PENDING, "SCHED_RR priority " + requested
                + " asked; the VRRP loop thread has not started");
    }

    /**
     * What a {@code sched_setscheduler} call means.
     *
     * @param result      its return value (0: done, -1: refused)
     * @param errno       errno after a refusal
     * @param errnoName   errno's name ("EPERM")
     * @param policyAfter the thread's policy read back after success ({@code sched_getscheduler}, SCHED_RESET_ON_FORK
     *                    cleared), -1 if it could not be read
     * @param priorityAfter the thread's priority read back ({@code sched_getparam}), -1 if it could not be read
     */
    public static RealtimeScheduling outcome(int requested, int result, int errno, String errnoName, int policyAfter,
            int priorityAfter) {
        if (requested == 0) {
            return off();
        }
        String asked = "SCHED_RR priority " + requested;
        if (result == 0 && policyAfter == SCHED_RR && priorityAfter == requested) {
            return new RealtimeScheduling(requested, requested, State.IN_EFFECT, asked + " in effect on the VRRP loop thread");
        }
        if (result == 0) {
            return new RealtimeScheduling(requested, 0, State.REFUSED, asked + " accepted, but the thread reads back policy " + policyAfter
                    + " priority " + priorityAfter + ": treated as normal scheduling");
        }
        String why = switch (errno) {
            case EPERM -> "not permitted: the process needs CAP_SYS_NICE or an RLIMIT_RTPRIO of at least " + requested
                    + " (systemd: LimitRTPRIO=" + requested + " and RestrictRealtime=no; a container: the SYS_NICE capability"
                    + " or a real-time rlimit; a cgroup v1 CPU controller with real-time group scheduling: a real-time budget)";
            case EINVAL -> "invalid for this kernel";
            default -> "refused";
        };
        return new RealtimeScheduling(requested, 0, State.REFUSED, asked + " " + why + " (" + errnoName + "); the VRRP loop runs at normal"
                + " priority, adverts may be late when the machine is busy");
    }

    /** Whether the loop thread runs in SCHED_RR. */
    public boolean inEffect() {
        return state == State.IN_EFFECT;
    }

    // the Linux numbers the pure part needs (io.lvscp.linux.Native has them too)
    static final int EPERM = 1;
    static final int EINVAL = 22;
    static final int SCHED_RR = 2;
}
