package io.lvscp.vrrp;

import io.lvscp.common.Addresses.Family;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The instances of one node: packets dispatched by interface, family and VRID (several instances
 * share an interface), one timer for all ({@link #nextDeadline()}), link events fanned out to the
 * instances on or tracking that interface. Pure and single-threaded, like {@link VrrpInstance}.
 */
public final class VrrpEngine {

    private record Key(String interfaceName, Family family, int vrid) {
    }

    private record Entry(VrrpInstance instance, String interfaceName, Set<String> trackedInterfaces) {
    }

    private final Map<Key, Entry> byKey = new LinkedHashMap<>();
    private final Map<String, VrrpStats> unmatched = new HashMap<>();

    /** Registers an instance on its interface, with the interfaces whose link it tracks. */
    public void add(VrrpInstance instance, String interfaceName, Set<String> trackedInterfaces) {
        VrrpInstanceConfig c = instance.config();
        Key key = new Key(interfaceName, c.family(), c.vrid());
        if (byKey.containsKey(key)) {
            throw new IllegalArgumentException("VRID " + c.vrid() + " " + c.family() + " is already used on " + interfaceName
                    + " by " + byKey.get(key).instance().config().name());
        }
        byKey.put(key, new Entry(instance, interfaceName, Set.copyOf(trackedInterfaces)));
    }

    /** Stops and forgets an instance (a config change); the others keep running. */
    public void remove(String name) {
        byKey.values().removeIf(e -> {
            if (e.instance().config().name().equals(name)) {
                e.instance().stop();
                return true;
            }
            return false;
        });
    }

    public void startAll() {
        byKey.values().forEach(e -> e.instance().start());
    }

    public void stopAll() {
        byKey.values().forEach(e -> e.instance().stop());
    }

    /**
     * Hands a packet to the instance of its VRID on that interface. A packet for no instance of
     * ours (another router's VRID, or too short to carry one) is counted on the interface.
     */
    public void receive(String interfaceName, ReceivedPacket packet) {
        int vrid = packet.payloadLength() >= 2 ? packet.payloadByte(1) : -1;
        Entry e = byKey.get(new Key(interfaceName, packet.family(), vrid));
        if (e == null) {
            unmatched.computeIfAbsent(interfaceName, i -> new VrrpStats())
                    .increment(vrid < 0 ? VrrpCounter.PACKET_LEN_ERR : VrrpCounter.VRID_ERR);
            return;
        }
        e.instance().receive(packet);
    }

    /** Fires every instance's due timers. */
    public void poll() {
        byKey.values().forEach(e -> e.instance().poll());
    }

    /** The earliest timer of all instances, or null. */
    public Instant nextDeadline() {
        Instant next = null;
        for (Entry e : byKey.values()) {
            Instant d = e.instance().nextDeadline();
            if (d != null && (next == null || d.isBefore(next))) {
                next = d;
            }
        }
        return next;
    }

    /** A link changed: instances on that interface or tracking it go to FAULT or leave it. */
    public void linkChanged(String interfaceName, boolean up) {
        for (Entry e : byKey.values()) {
            if (e.interfaceName().equals(interfaceName) || e.trackedInterfaces().contains(interfaceName)) {
                if (up) {
                    e.instance().linkUp(interfaceName);
                } else {
                    e.instance().linkDown(interfaceName);
                }
            }
        }
    }

    /** Packets that reached no instance on an interface. */
    public VrrpStats unmatched(String interfaceName) {
        return unmatched.computeIfAbsent(interfaceName, i -> new VrrpStats());
    }

    public List<VrrpStatus> statuses() {
        List<VrrpStatus> list = new ArrayList<>();
        byKey.values().forEach(e -> list.add(e.instance().status()));
        return list;
    }
}
