package io.lvscp.vrrp;

import java.util.List;

/**
 * Whether an instance that starts may keep the VIPs it finds on its interface (issue 16, item 5). Pure: the caller
 * reads the interface and the database and passes what it saw.
 *
 * <p>A restart of ours after a crash (or {@code kill -9}) finds the VIPs still on the interface: the kernel kept
 * them and kept forwarding. The RFC's router starts as a backup without them and waits Master_Down_Interval (3.6 s at
 * 1 s adverts), so a director alone leaves its site without the VIP that long. Two channels can tell whether another
 * router holds them meanwhile: VRRP itself (during the wait: {@link VrrpInstance#startHoldingVips()} lets them go at
 * the first advert of a live master) and the database, where every director reports the state of its instances with
 * its heartbeat. They are kept only when
 * <ul>
 * <li>keeping is on ({@code lvs.vrrp.keep-vips-on-restart}),</li>
 * <li>every VIP of the instance is on the interface (a master's crash leaves them all; anything else is not ours
 * to guess about),</li>
 * <li>the interface's link is up (a router in fault holds nothing), and</li>
 * <li>no other director reports being the instance's master in a fresh report. A database that cannot be read does
 * not forbid it: VRRP alone decides then, and a live master is heard within one advert interval.</li>
 * </ul>
 */
public final class RestartVips {

    private RestartVips() {
    }

    /**
     * The other directors that report being the instance's master now, as read from the database; {@code known}
     * false when it could not be read (no database, an outage, the reports not written).
     */
    public record OtherMasters(boolean known, List<String> nodes) {

        public OtherMasters {
            nodes = List.copyOf(nodes);
        }

        public static OtherMasters unknown() {
            return new OtherMasters(false, List.of());
        }

        public static OtherMasters none() {
            return new OtherMasters(true, List.of());
        }

        public static OtherMasters of(List<String> nodes) {
            return new OtherMasters(true, nodes);
        }
    }

    /** Keep them or not, and why (for the log and the transition's reason). */
    public record Decision(boolean keep, String reason) {
    }

    public static Decision decide(boolean enabled, boolean vipsOnInterface, boolean linkUp, OtherMasters database) {
        if (!vipsOnInterface) {
            return new Decision(false, "its VIPs are not (all) on the interface");
        }
        if (!enabled) {
            return new Decision(false, "keeping the VIPs on restart is off (lvs.vrrp.keep-vips-on-restart)");
        }
        if (!linkUp) {
            return new Decision(false, "the interface's link is down");
        }
        if (!database.nodes().isEmpty()) {
            return new Decision(false, "the database shows another master: " + String.join(", ", database.nodes()));
        }
        return new Decision(true, database.known() ? "no other master in the database; listening for one"
                : "the database cannot tell (not readable); VRRP alone decides: listening for a master");
    }
}
