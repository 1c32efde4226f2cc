package io.lvscp.common;

/** Expected HTTP status codes: "200", "200,301-302" (keepalived's status_code accepts ranges too). */
public final class StatusCodes {

    private StatusCodes() {
    }

    public static String normalize(String text) {
        if (text == null || text.isBlank()) {
            return "200";
        }
        StringBuilder sb = new StringBuilder();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("'" + text + "' has an empty entry");
            }
            String[] range = p.split("-", -1);
            if (range.length > 2) {
                throw new IllegalArgumentException("'" + p + "' is not a code or a range such as 200-299");
            }
            int lo = code(range[0], p);
            int hi = range.length == 2 ? code(range[1], p) : lo;
            if (hi < lo) {
                throw new IllegalArgumentException("range '" + p + "' ends before it starts");
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(lo == hi ? Integer.toString(lo) : lo + "-" + hi);
        }
        return sb.toString();
    }

    private static int code(String s, String part) {
        String t = s.trim();
        if (t.isEmpty() || t.length() > 3 || !t.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + part + "' is not an HTTP status code between 100 and 599");
        }
        int v = Integer.parseInt(t);
        if (v < 100 || v > 599) {
            throw new IllegalArgumentException("'" + part + "' is not an HTTP status code between 100 and 599");
        }
        return v;
    }
}
