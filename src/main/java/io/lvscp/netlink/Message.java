package io.lvscp.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: its header fields and its payload (after nlmsghdr).
 */
public record Message(int type, int flags, int seq, int pid, ByteBuffer payload) {

    /** Splits a datagram (or a concatenation of them) into messages. */
    public static List<Message> parseAll(ByteBuffer data) {
        ByteBuffer b = data.duplicate().order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        while (b.remaining() >= Netlink.NLMSG_HDRLEN) {
            int start = b.position();
            int len = b.getInt(start);
            if (len < Netlink.NLMSG_HDRLEN || len > b.remaining()) {
                throw new IllegalArgumentException("bad nlmsg_len " + len + " at " + start + " (" + b.remaining() + " left)");
            }
            int type = Short.toUnsignedInt(b.getShort(start + 4));
            int flags = Short.toUnsignedInt(b.getShort(start + 6));
            int seq = b.getInt(start + 8);
            int pid = b.getInt(start + 12);
            ByteBuffer payload = b.duplicate().order(ByteOrder.nativeOrder());
            payload.position(start + Netlink.NLMSG_HDRLEN).limit(start + len);
            out.add(new Message(type, flags, seq, pid, payload.slice().order(ByteOrder.nativeOrder())));
            b.position(Math.min(start + ((len + 3) & ~3), b.limit()));
        }
        return out;
    }

    public static List<Message> parseAll(byte[] data) {
        return parseAll(ByteBuffer.wrap(data));
    }

    public boolean isError() {
        return type == Netlink.NLMSG_ERROR;
    }

    public boolean isDone() {
        return type == Netlink.NLMSG_DONE;
    }

    /** For NLMSG_ERROR: the error code (0 = ACK, negative errno otherwise). */
    public int errorCode() {
        return payload.getInt(0);
    }

    /** For NLMSG_ERROR: the generic-netlink command of the echoed request, or -1 if capped. */
    public int erroredGenlCommand() {
        int off = 4 + Netlink.NLMSG_HDRLEN;
        return (flags & Netlink.NLM_F_CAPPED) == 0 && payload.limit() > off ? Byte.toUnsignedInt(payload.get(off)) : -1;
    }

    /** For NLMSG_ERROR with NLM_F_ACK_TLVS: the extended-ACK message, or null. */
    public String extendedAckMessage() {
        if ((flags & Netlink.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int echoedLen = payload.getInt(4);
        int off = 4 + ((flags & Netlink.NLM_F_CAPPED) != 0 ? Netlink.NLMSG_HDRLEN : ((echoedLen + 3) & ~3));
        if (off >= payload.limit()) {
            return null;
        }
        ByteBuffer tlv = payload.duplicate().order(ByteOrder.nativeOrder());
        tlv.position(off);
        Attributes a = Attributes.parse(tlv.slice().order(ByteOrder.nativeOrder()));
        return a.has(Netlink.NLMSGERR_ATTR_MSG) ? a.string(Netlink.NLMSGERR_ATTR_MSG) : null;
    }

    /** The generic-netlink command of a reply. */
    public int genlCommand() {
        return Byte.toUnsignedInt(payload.get(0));
    }

    /** The attributes after the generic-netlink header. */
    public Attributes genlAttributes() {
        ByteBuffer p = payload.duplicate().order(ByteOrder.nativeOrder());
        p.position(Netlink.GENL_HDRLEN);
        return Attributes.parse(p.slice().order(ByteOrder.nativeOrder()));
    }
}
