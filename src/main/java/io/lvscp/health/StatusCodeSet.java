package io.lvscp.health;

import java.util.BitSet;

/**
 * Expected HTTP status codes, as keepalived's {@code status_code}: single codes and
 * ranges, {@code "200-299,301"}. Codes must lie in 100-599.
 */
public final class StatusCodeSet {

    private final String text;
    private final BitSet codes = new BitSet(600);

    private StatusCodeSet(String text) {
        this.text = text;
    }

    /** Parses a list such as "200,301-302"; null or blank means "200". */
    public static StatusCodeSet parse(String text) {
        String t = text == null || text.isBlank() ? "200" : text.replace(" ", "");
        StatusCodeSet s = new StatusCodeSet(t);
        for (String part : t.split(",", -1)) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' has an empty entry");
            }
            String[] range = part.split("-", -1);
            if (range.length > 2) {
                throw new IllegalArgumentException("'" + part + "' is not a code or a range such as 200-299");
            }
            int lo = code(range[0], part);
            int hi = range.length == 2 ? code(range[1], part) : lo;
            if (hi < lo) {
                throw new IllegalArgumentException("range '" + part + "' ends before it starts");
            }
            s.codes.set(lo, hi + 1);
        }
        return s;
    }

    private static int code(String s, String part) {
        if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + part + "' is not an HTTP status code between 100 and 599");
        }
        int v = Integer.parseInt(s);
        if (v < 100 || v > 599) {
            throw new IllegalArgumentException("'" + part + "' is not an HTTP status code between 100 and 599");
        }
        return v;
    }

    public boolean contains(int code) {
        return code >= 0 && code < 600 && codes.get(code);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusCodeSet s && s.codes.equals(codes);
    }

    @Override
    public int hashCode() {
        return codes.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
