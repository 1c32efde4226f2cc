package io.lvscp.ipvs.netlink;

import io.lvscp.netlink.MessageWriter;
import io.lvscp.netlink.Netlink;
import java.util.function.Consumer;

/**
 * One generic-netlink request not yet bound to a family id, sequence number or port id:
 * the command, its netlink flags (REQUEST and ACK always; DUMP for dumps), a description
 * for errors and logs, and what writes its attributes.
 */
public record Request(int command, int flags, String description, Consumer<MessageWriter> attributes) {

    public boolean dump() {
        return (flags & Netlink.NLM_F_DUMP) == Netlink.NLM_F_DUMP;
    }

    /** The same request without NLM_F_ACK: the kernel answers only if it fails. */
    public Request withoutAck() {
        return new Request(command, flags & ~Netlink.NLM_F_ACK, description, attributes);
    }

    public boolean ack() {
        return (flags & Netlink.NLM_F_ACK) != 0;
    }

    /** Appends this request as one message to the writer. */
    public MessageWriter writeTo(MessageWriter w, int familyId, int version, int seq, int pid) {
        w.begin(familyId, flags, seq, pid).genl(command, version);
        attributes.accept(w);
        return w.end();
    }

    /** This request alone as bytes. */
    public byte[] encode(int familyId, int version, int seq, int pid) {
        return writeTo(new MessageWriter(), familyId, version, seq, pid).toByteArray();
    }
}
