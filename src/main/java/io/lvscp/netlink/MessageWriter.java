package io.lvscp.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one or more netlink messages into a growing buffer in host byte order:
 * nlmsghdr, genlmsghdr, attributes padded to 4 bytes, nested attributes whose
 * length is written after their content. Several messages may follow each other
 * (a batch for one sendmsg).
 */
public final class MessageWriter {

    private ByteBuffer buf;
    private int messageStart = -1;

    public MessageWriter() {
        this(256);
    }

    public MessageWriter(int capacity) {
        buf = ByteBuffer.allocate(Math.max(capacity, 64)).order(ByteOrder.nativeOrder());
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more)).order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    private void pad() {
        int n = (4 - (buf.position() & 3)) & 3;
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf.put((byte) 0);
        }
    }

    /** Starts a message: nlmsghdr with its length filled in by {@link #end()}. */
    public MessageWriter begin(int type, int flags, int seq, int pid) {
        if (messageStart >= 0) {
            throw new IllegalStateException("message not ended");
        }
        pad();
        ensure(Netlink.NLMSG_HDRLEN);
        messageStart = buf.position();
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
        return this;
    }

    /** The generic-netlink header: command, version, reserved. */
    public MessageWriter genl(int cmd, int version) {
        ensure(Netlink.GENL_HDRLEN);
        buf.put((byte) cmd).put((byte) version).putShort((short) 0);
        return this;
    }

    /** Ends the current message: writes nlmsg_len and pads to 4 bytes. */
    public MessageWriter end() {
        if (messageStart < 0) {
            throw new IllegalStateException("no message begun");
        }
        buf.putInt(messageStart, buf.position() - messageStart);
        messageStart = -1;
        pad();
        return this;
    }

    /** Opens a nested attribute (with NLA_F_NESTED, as libnl and the kernel write it); returns its start for {@link #endNested}. */
    public int nested(int type) {
        pad();
        ensure(Netlink.NLA_HDRLEN);
        int start = buf.position();
        buf.putShort((short) 0).putShort((short) (type | Netlink.NLA_F_NESTED));
        return start;
    }

    public MessageWriter endNested(int start) {
        buf.putShort(start, (short) (buf.position() - start));
        pad();
        return this;
    }

    public MessageWriter bytes(int type, byte[] value) {
        pad();
        ensure(Netlink.NLA_HDRLEN + value.length + 3);
        buf.putShort((short) (Netlink.NLA_HDRLEN + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    public MessageWriter u8(int type, int value) {
        return bytes(type, new byte[] {(byte) value});
    }

    public MessageWriter u16(int type, int value) {
        return bytes(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array());
    }

    /** A 16-bit value in network byte order (ports). */
    public MessageWriter be16(int type, int value) {
        return bytes(type, new byte[] {(byte) (value >> 8), (byte) value});
    }

    public MessageWriter u32(int type, int value) {
        return bytes(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    /** A 32-bit value in network byte order. */
    public MessageWriter be32(int type, int value) {
        return bytes(type, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(value).array());
    }

    public MessageWriter u64(int type, long value) {
        return bytes(type, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array());
    }

    /** A NUL-terminated string. */
    public MessageWriter string(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.US_ASCII);
        return bytes(type, Arrays.copyOf(s, s.length + 1));
    }

    /** Raw bytes without an attribute header (fixed headers such as nlmsgerr); not padded. */
    public MessageWriter bytesRaw(byte[] value) {
        ensure(value.length);
        buf.put(value);
        return this;
    }

    /** A raw host-order 32-bit value without an attribute header. */
    public MessageWriter u32raw(int value) {
        ensure(4);
        buf.putInt(value);
        return this;
    }

    public int size() {
        return buf.position();
    }

    public byte[] toByteArray() {
        if (messageStart >= 0) {
            throw new IllegalStateException("message not ended");
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }
}
