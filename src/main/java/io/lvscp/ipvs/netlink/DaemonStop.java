package io.lvscp.ipvs.netlink;

import io.lvscp.ipvs.SyncDaemon;
import io.lvscp.netlink.Message;
import java.io.IOException;
import java.util.List;

/**
 * Stopping a sync daemon so that an unanswered DEL_DAEMON cannot hang the caller (pure: the client sends the
 * requests and feeds the replies).
 *
 * <p>Why: the kernel stops a sync daemon with kthread_stop, which returns the thread's exit code; a thread stopped
 * before it first ran (a daemon stopped right after NEW_DAEMON, before the scheduler gave the new kernel thread
 * the CPU: a few milliseconds in the lab kernel while our process keeps it) exits with -EINTR without running
 * its function, and DEL_DAEMON returns that -EINTR. Generic netlink reserves -EINTR for "a dump was started, no
 * ACK": it sends none. The daemon is stopped, but a client waiting for the ACK waits forever (ipvsadm, a new
 * process for each command, comes too late to meet it). So DEL_DAEMON goes with a GET_DAEMON dump in the same datagram:
 * the kernel handles a datagram's messages in order, so when the dump is done the DEL_DAEMON's answer, if any,
 * has arrived; if none has, the dump says whether the daemon is gone.
 */
public final class DaemonStop {

    /** How the stop ended. */
    public enum Outcome {
        /** The kernel acknowledged the DEL_DAEMON. */
        ACKNOWLEDGED,
        /** No answer to DEL_DAEMON (the kernel's -EINTR), and the dump after it lists no daemon with the role. */
        STOPPED_UNANSWERED
    }

    private DaemonStop() {
    }

    /** DEL_DAEMON of {@code role} then a GET_DAEMON dump, to be sent as one datagram in this order. */
    public static List<Request> requests(SyncDaemon.Role role) {
        return List.of(IpvsCodec.delDaemon(role), IpvsCodec.dumpDaemons());
    }

    /** Whether every answer that can come has come: the dump is done. */
    public static boolean finished(Exchange.Pending dump) {
        return dump.done();
    }

    /**
     * What the stop did, once {@link #finished}.
     *
     * @throws io.lvscp.netlink.NetlinkErrorException the kernel's error for DEL_DAEMON (ESRCH: none runs with the role), or the dump's
     * @throws IOException no answer to DEL_DAEMON and the daemon still listed
     */
    public static Outcome outcome(SyncDaemon.Role role, Exchange.Pending del, Exchange.Pending dump) throws IOException {
        if (del.error() != null) {
            throw del.error();
        }
        if (del.done()) {
            return Outcome.ACKNOWLEDGED;
        }
        if (dump.error() != null) {
            throw dump.error();
        }
        for (Message m : dump.replies()) {
            if (IpvsCodec.decodeDaemon(m).role() == role) {
                throw new IOException("DEL_DAEMON " + role.label() + ": no answer from the kernel and the daemon still runs");
            }
        }
        return Outcome.STOPPED_UNANSWERED;
    }
}
