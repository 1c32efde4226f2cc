package io.lvscp.ipvs.netlink;

import io.lvscp.netlink.Message;
import io.lvscp.netlink.NetlinkErrorException;
import io.lvscp.netlink.Netlink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests of one batch, by sequence number, and what the kernel answered to each
 * (pure: the socket feeds it messages). A request is finished by its ACK (NLMSG_ERROR
 * with code 0), by an error (NLMSG_ERROR with a negative errno, kept as a
 * {@link NetlinkErrorException} naming the request), or, for a dump, by NLMSG_DONE.
 */
public final class Exchange {

    /** One request and its answer so far. */
    public static final class Pending {
        private final Request request;
        private final List<Message> replies = new ArrayList<>();
        private NetlinkErrorException error;
        private boolean done;

        Pending(Request request) {
            this.request = request;
        }

        public Request request() {
            return request;
        }

        /** Data messages (not ACK, not DONE) in arrival order. */
        public List<Message> replies() {
            return replies;
        }

        public NetlinkErrorException error() {
            return error;
        }

        public boolean done() {
            return done;
        }
    }

    private final Map<Integer, Pending> bySeq = new LinkedHashMap<>();
    private int open;

    /**
     * Registers a request. One sent without NLM_F_ACK (and not a dump) counts as done at
     * once: the kernel answers it only with an error, which {@link #accept} still records,
     * as long as a later request of the same datagram asks for an ACK (the kernel handles
     * a datagram's messages in order, so that ACK comes after any earlier error).
     */
    public void expect(int seq, Request request) {
        Pending p = new Pending(request);
        bySeq.put(seq, p);
        if (!request.ack() && !request.dump()) {
            p.done = true;
        } else {
            open++;
        }
    }

    /** Takes one received message; messages for other sequence numbers are ignored (stale replies). */
    public void accept(Message m) {
        Pending p = bySeq.get(m.seq());
        if (p == null) {
            return;
        }
        if (p.done) {
            if (m.isError() && m.errorCode() != 0 && !p.request.ack() && p.error == null) {
                p.error = new NetlinkErrorException(-m.errorCode(), p.request.description(), m.extendedAckMessage());
            }
            return;
        }
        if (m.isError()) {
            int code = m.errorCode();
            if (code != 0) {
                p.error = new NetlinkErrorException(-code, p.request.description(), m.extendedAckMessage());
            }
            finish(p);
        } else if (m.isDone()) {
            int code = m.payload().remaining() >= 4 ? m.errorCode() : 0;
            if (code < 0) {
                p.error = new NetlinkErrorException(-code, p.request.description(), m.extendedAckMessage());
            }
            finish(p);
        } else if (m.type() != Netlink.NLMSG_NOOP) {
            p.replies.add(m);
        }
    }

    private void finish(Pending p) {
        p.done = true;
        open--;
    }

    public boolean complete() {
        return open == 0;
    }

    public Pending get(int seq) {
        return bySeq.get(seq);
    }

    /** All requests in the order they were sent. */
    public List<Pending> all() {
        return new ArrayList<>(bySeq.values());
    }

    /** The first error in sending order, or null. */
    public NetlinkErrorException firstError() {
        for (Pending p : bySeq.values()) {
            if (p.error != null) {
                return p.error;
            }
        }
        return null;
    }
}
