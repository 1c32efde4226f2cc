package io.lvscp.vrrp;

import java.time.Duration;

/**
 * How a new master announces its VIPs (gratuitous ARP / unsolicited NA), as keepalived's
 * garp_master_repeat, garp_master_delay and garp_master_refresh.
 *
 * @param repeat announcements per burst (at least 1)
 * @param secondBurstDelay a second burst this long after becoming master; zero for none
 * @param refresh a burst every this long while master; zero for none
 */
public record AnnouncePolicy(int repeat, Duration secondBurstDelay, Duration refresh) {

    /** One announcement on becoming master, nothing after. */
    public static final AnnouncePolicy ONCE = new AnnouncePolicy(1, Duration.ZERO, Duration.ZERO);

    /** keepalived's defaults: 5 at once, 5 more after 5 s, no refresh. */
    public static final AnnouncePolicy KEEPALIVED_DEFAULTS = new AnnouncePolicy(5, Duration.ofSeconds(5), Duration.ZERO);

    public AnnouncePolicy {
        if (repeat < 1 || secondBurstDelay.isNegative() || refresh.isNegative()) {
            throw new IllegalArgumentException("repeat >= 1, delays >= 0");
        }
    }
}
