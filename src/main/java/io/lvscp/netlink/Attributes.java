package io.lvscp.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The attributes of one level (top level of a message, or inside a nested attribute),
 * parsed once. Types are looked up without the NLA_F_NESTED / NLA_F_NET_BYTEORDER bits;
 * a later attribute of the same type wins, as in the kernel's nla_parse.
 */
public final class Attributes {

    /** One attribute: its type (flags removed), whether it was marked nested, and its value. */
    public record Attribute(int type, boolean nestedFlag, ByteBuffer value) {
    }

    private final List<Attribute> list;
    private final Attribute[] byType;

    private Attributes(List<Attribute> list) {
        this.list = list;
        int max = 0;
        for (Attribute a : list) {
            max = Math.max(max, a.type);
        }
        byType = new Attribute[max + 1];
        for (Attribute a : list) {
            byType[a.type] = a;
        }
    }

    /** Parses attributes from position to limit of the buffer (which is not moved). */
    public static Attributes parse(ByteBuffer region) {
        ByteBuffer b = region.duplicate().order(ByteOrder.nativeOrder());
        List<Attribute> out = new ArrayList<>();
        while (b.remaining() >= Netlink.NLA_HDRLEN) {
            int start = b.position();
            int len = Short.toUnsignedInt(b.getShort(start));
            int type = Short.toUnsignedInt(b.getShort(start + 2));
            if (len < Netlink.NLA_HDRLEN || len > b.remaining()) {
                throw new IllegalArgumentException("bad attribute length " + len + " at " + start + " (" + b.remaining() + " left)");
            }
            ByteBuffer value = b.duplicate().order(ByteOrder.nativeOrder());
            value.position(start + Netlink.NLA_HDRLEN).limit(start + len);
            out.add(new Attribute(type & Netlink.NLA_TYPE_MASK, (type & Netlink.NLA_F_NESTED) != 0, value.slice().order(ByteOrder.nativeOrder())));
            int next = start + ((len + 3) & ~3);
            b.position(Math.min(next, b.limit()));
        }
        return new Attributes(Collections.unmodifiableList(out));
    }

    public List<Attribute> all() {
        return list;
    }

    public boolean has(int type) {
        return type < byType.length && byType[type] != null;
    }

    private ByteBuffer value(int type) {
        if (!has(type)) {
            throw new IllegalArgumentException("missing attribute " + type);
        }
        return byType[type].value.duplicate().order(ByteOrder.nativeOrder());
    }

    public Attributes nested(int type) {
        return parse(value(type));
    }

    public int u8(int type) {
        return Byte.toUnsignedInt(value(type).get(0));
    }

    public int u16(int type) {
        return Short.toUnsignedInt(value(type).getShort(0));
    }

    public int be16(int type) {
        return Short.toUnsignedInt(value(type).order(ByteOrder.BIG_ENDIAN).getShort(0));
    }

    public int u32(int type) {
        return value(type).getInt(0);
    }

    public int u32(int type, int missing) {
        return has(type) ? u32(type) : missing;
    }

    public long u64(int type) {
        return value(type).getLong(0);
    }

    public byte[] bytes(int type) {
        ByteBuffer v = value(type);
        byte[] out = new byte[v.remaining()];
        v.get(out);
        return out;
    }

    /** A NUL-terminated (or not) string. */
    public String string(int type) {
        byte[] b = bytes(type);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }
}
