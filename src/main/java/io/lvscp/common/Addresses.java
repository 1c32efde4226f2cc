package io.lvscp.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Parses and canonicalises IP address literals without ever touching DNS.
 *
 * <p>IPv4 is kept as dotted quad without leading zeros; IPv6 in the RFC 5952 form
 * (lower case, longest run of zero groups compressed, no zone id).
 */
public final class Addresses {

    /** The address family of a literal. */
    public enum Family {
        IPV4, IPV6;

        public int bits() {
            return this == IPV4 ? 32 : 128;
        }
    }

    private Addresses() {
    }

    /**
     * Returns the canonical text form of an IPv4 or IPv6 literal.
     *
     * @throws IllegalArgumentException with a human-readable reason when the text is not an address
     */
    public static String canonical(String text) {
        return format(parse(text));
    }

    /** The family of a literal, which must be valid. */
    public static Family family(String text) {
        return parse(text) instanceof Inet4Address ? Family.IPV4 : Family.IPV6;
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True for 224.0.0.0/4 and ff00::/8. */
    public static boolean isMulticast(String text) {
        return parse(text).isMulticastAddress();
    }

    /** Parses a literal strictly (no host names, no zone ids, no shorthand like "10.1"). */
    public static InetAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be an IPv4 or IPv6 address");
        }
        String s = text.trim();
        try {
            if (s.indexOf(':') >= 0) {
                if (!s.matches("[0-9A-Fa-f:.]+")) {
                    throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
                }
                InetAddress a = InetAddress.getByName(s);
                if (a instanceof Inet4Address) {
                    // an IPv4-mapped literal such as ::ffff:10.0.0.1: keep the IPv6 form
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xff;
                    mapped[11] = (byte) 0xff;
                    System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
                    return Inet6Address.getByAddress(null, mapped, -1);
                }
                return a;
            }
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("'" + text + "' is not a valid IPv4 address (need four dotted numbers)");
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("'" + text + "' is not a valid IPv4 address");
                }
                int v = Integer.parseInt(p);
                if (v > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not a valid IPv4 address (" + v + " > 255)");
                }
                bytes[i] = (byte) v;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid IP address");
        }
    }

    /** Formats an address: IPv4 dotted quad, IPv6 per RFC 5952. */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // longest run of zero groups (length >= 2), first one on ties
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] == 0) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Formats "addr:port", bracketing IPv6 ("[2001:db8::1]:80"). */
    public static String hostPort(String canonicalAddress, int port) {
        return canonicalAddress.indexOf(':') >= 0 ? "[" + canonicalAddress + "]:" + port : canonicalAddress + ":" + port;
    }
}
