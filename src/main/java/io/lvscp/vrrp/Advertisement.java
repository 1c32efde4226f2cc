package io.lvscp.vrrp;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One VRRP advertisement (type 1), immutable.
 *
 * @param version 2 or 3
 * @param vrid virtual router id, 1-255
 * @param priority 0 (master stopping) to 255 (address owner)
 * @param interval v2: seconds (8 bits); v3: centiseconds (12 bits, "Max Adver Int")
 * @param family IPv4 or IPv6 (v2 is IPv4 only)
 * @param addresses the virtual addresses, all of {@code family}
 * @param authType v2 only; {@link VrrpAuthType#NONE} for v3
 * @param password v2 PASS: the text before the zero padding of the 8 auth bytes (ISO-8859-1); empty otherwise
 */
public record Advertisement(VrrpVersion version, int vrid, int priority, int interval, Family family,
        List<InetAddress> addresses, VrrpAuthType authType, String password) {

    /** The type of every advertisement (RFC 3768 and 5798 define no other). */
    public static final int TYPE_ADVERTISEMENT = 1;
    public static final int AUTH_DATA_LENGTH = 8;

    public Advertisement {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(authType, "authType");
        Objects.requireNonNull(password, "password");
        addresses = List.copyOf(addresses);
        if (vrid < 0 || vrid > 255 || priority < 0 || priority > 255 || addresses.size() > 255) {
            throw new IllegalArgumentException("vrid, priority and address count are single bytes");
        }
        int maxInterval = version == VrrpVersion.V2 ? 0xff : 0xfff;
        if (interval < 0 || interval > maxInterval) {
            throw new IllegalArgumentException("interval " + interval + " out of 0.." + maxInterval);
        }
        if (version == VrrpVersion.V2 && family != Family.IPV4) {
            throw new IllegalArgumentException("VRRPv2 is IPv4 only");
        }
        if (version == VrrpVersion.V3 && (authType != VrrpAuthType.NONE || !password.isEmpty())) {
            throw new IllegalArgumentException("VRRPv3 has no authentication");
        }
        if (password.getBytes(StandardCharsets.ISO_8859_1).length > AUTH_DATA_LENGTH) {
            throw new IllegalArgumentException("a PASS password has at most 8 bytes");
        }
        for (InetAddress a : addresses) {
            if ((a instanceof Inet4Address) != (family == Family.IPV4)) {
                throw new IllegalArgumentException("address " + a.getHostAddress() + " is not " + family);
            }
        }
    }

    /** A VRRPv2 advertisement; {@code seconds} is the advert interval. */
    public static Advertisement v2(int vrid, int priority, int seconds, List<InetAddress> addresses, VrrpAuthType authType,
            String password) {
        return new Advertisement(VrrpVersion.V2, vrid, priority, seconds, Family.IPV4, addresses, authType,
                authType == VrrpAuthType.PASS ? password : "");
    }

    /** A VRRPv3 advertisement; {@code centiseconds} is the max advert interval. */
    public static Advertisement v3(int vrid, int priority, int centiseconds, Family family, List<InetAddress> addresses) {
        return new Advertisement(VrrpVersion.V3, vrid, priority, centiseconds, family, addresses, VrrpAuthType.NONE, "");
    }

    /** The advert interval as a duration, whatever the version's unit. */
    public Duration intervalDuration() {
        return version == VrrpVersion.V2 ? Duration.ofSeconds(interval) : Duration.ofMillis(10L * interval);
    }

    /** Length of the encoded VRRP message. */
    public int encodedLength() {
        int addressBytes = addresses.size() * (family == Family.IPV4 ? 4 : 16);
        return 8 + addressBytes + (version == VrrpVersion.V2 ? AUTH_DATA_LENGTH : 0);
    }

    /** Same advertisement with another priority (e.g. 0 for the stopping master). */
    public Advertisement withPriority(int newPriority) {
        return new Advertisement(version, vrid, newPriority, interval, family, addresses, authType, password);
    }

    @Override
    public String toString() {
        return "Advertisement[v" + version.wireValue() + " vrid=" + vrid + " prio=" + priority + " int=" + interval
                + (version == VrrpVersion.V2 ? "s" : "cs") + " " + addresses.stream().map(Addresses::format).toList()
                + (authType == VrrpAuthType.NONE ? "" : " auth=" + authType) + "]";
    }
}
