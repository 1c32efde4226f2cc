package io.lvscp.common;


/** Persistence netmasks: "255.255.255.0", "24" or "/24" in, dotted (IPv4) or a prefix length (IPv6) out. */
public final class Netmasks {

    private Netmasks() {
    }

    public static Integer parse(Addresses.Family family, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("/")) {
            s = s.substring(1);
        }
        if (s.chars().allMatch(Character::isDigit) && !s.isEmpty() && s.length() <= 3) {
            int prefix = Integer.parseInt(s);
            if (prefix < 1 || prefix > family.bits()) {
                throw new IllegalArgumentException("prefix length must be between 1 and " + family.bits());
            }
            return prefix;
        }
        if (family == Addresses.Family.IPV6) {
            throw new IllegalArgumentException("for IPv6 give a prefix length such as 64");
        }
        byte[] b;
        try {
            b = Addresses.parse(s).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a netmask nor a prefix length");
        }
        if (b.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 netmask");
        }
        int mask = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int prefix = Integer.bitCount(mask);
        if (prefix == 0 || mask != (int) (0xffffffffL << (32 - prefix))) {
            throw new IllegalArgumentException("'" + text + "' is not a contiguous netmask");
        }
        return prefix;
    }

    public static String format(Addresses.Family family, Integer prefix) {
        if (prefix == null) {
            return null;
        }
        if (family == Addresses.Family.IPV6) {
            return Integer.toString(prefix);
        }
        long mask = (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return ((mask >> 24) & 0xff) + "." + ((mask >> 16) & 0xff) + "." + ((mask >> 8) & 0xff) + "." + (mask & 0xff);
    }
}
