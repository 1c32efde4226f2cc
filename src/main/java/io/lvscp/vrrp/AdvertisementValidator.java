package io.lvscp.vrrp;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one check every received packet goes through (RFC 3768 section 7.1, RFC 5798 section 7.1;
 * keepalived's vrrp_check_packet). Each packet ends as exactly one of: accepted
 * ({@link VrrpCounter#ADVERT_RCVD}) or rejected with the counter of its {@link Rejection}.
 * Never throws for any content of the packet.
 */
public final class AdvertisementValidator {

    /** The outcome for one packet: an accepted advertisement, or the reason it was dropped. */
    public record Verdict(Advertisement advertisement, Rejection rejection, String detail) {

        static Verdict accept(Advertisement ad) {
            return new Verdict(ad, null, "");
        }

        static Verdict reject(Rejection r, String detail) {
            return new Verdict(null, r, detail);
        }

        public boolean accepted() {
            return advertisement != null;
        }
    }

    private final VrrpInstanceConfig config;
    private final VrrpStats stats;
    private final Set<java.net.InetAddress> vips;

    public AdvertisementValidator(VrrpInstanceConfig config, VrrpStats stats) {
        this.config = config;
        this.stats = stats;
        this.vips = new HashSet<>(config.vips());
    }

    /** Checks a packet, counts the outcome, and returns it. */
    public Verdict check(ReceivedPacket packet) {
        Verdict v = evaluate(packet);
        stats.increment(v.accepted() ? VrrpCounter.ADVERT_RCVD : v.rejection().counter());
        return v;
    }

    private Verdict evaluate(ReceivedPacket packet) {
        if (packet.protocol() != ReceivedPacket.IPPROTO_VRRP) {
            return Verdict.reject(Rejection.PROTOCOL, "IP protocol " + packet.protocol());
        }
        if (packet.family() != config.family()) {
            return Verdict.reject(Rejection.VERSION, "packet family " + packet.family() + ", instance " + config.family());
        }
        // RFC 3768/5798 7.1: "MUST verify that the IP TTL [Hop Limit] is 255"
        if (packet.ttl() != 255) {
            return Verdict.reject(Rejection.TTL, "TTL " + packet.ttl());
        }
        Advertisement ad;
        try {
            ad = AdvertisementCodec.decode(packet);
        } catch (VrrpPacketException e) {
            return Verdict.reject(e.rejection(), e.getMessage());
        }
        if (ad.version() != config.version()) {
            return Verdict.reject(Rejection.VERSION, "version " + ad.version().wireValue());
        }
        if (ad.vrid() != config.vrid()) {
            return Verdict.reject(Rejection.VRID, "VRID " + ad.vrid());
        }
        if (ad.version() == VrrpVersion.V2) {
            if (ad.authType() != config.authType()) {
                return Verdict.reject(Rejection.AUTH_TYPE_MISMATCH, "auth type " + ad.authType());
            }
            if (ad.authType() == VrrpAuthType.PASS && !passwordMatches(ad)) {
                return Verdict.reject(Rejection.AUTH_FAILURE, "wrong password");
            }
            // v2 7.1: "MUST verify that the Adver Interval in the packet is the same as the locally configured"
            if (ad.interval() != config.wireInterval()) {
                return Verdict.reject(Rejection.ADVERT_INTERVAL, "interval " + ad.interval() + " s");
            }
        }
        // v3 learns the interval instead (the state machine does it). RFC 3768 lets an owner's (priority 255)
        // mismatching list through with a log line; keepalived drops every mismatch, and so do we.
        if (!sameAddresses(ad.addresses())) {
            return Verdict.reject(Rejection.ADDRESS_LIST, "address list " + ad.addresses());
        }
        return Verdict.accept(ad);
    }

    private boolean passwordMatches(Advertisement ad) {
        return ad.password().equals(config.password());
    }

    private boolean sameAddresses(List<java.net.InetAddress> received) {
        return received.size() == vips.size() && vips.containsAll(received);
    }
}
