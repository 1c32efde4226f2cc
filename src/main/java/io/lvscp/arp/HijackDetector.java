package io.lvscp.arp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may answer ARP for a VIP, against who did (pure, with memory so that a hijack is
 * reported when it starts and when it ends, not on every probe).
 *
 * <ul>
 * <li>While this director holds the VIP, nobody else may answer: every MAC that answers
 * our probe is a hijacker (we never hear our own answer).</li>
 * <li>While another director holds it and its MAC is known (the VRRP master's), any other
 * MAC is a hijacker.</li>
 * <li>When neither is known, one answer is taken for the master; two or more answers are
 * a conflict and all of them are reported.</li>
 * </ul>
 * A hijacker is cleared only after {@link #CLEAR_AFTER} probes in a row without its
 * answer (one lost reply does not end a hijack, nor report it twice).
 */
public final class HijackDetector {

    /** Probes in a row without a hijacker's answer before it is cleared. */
    public static final int CLEAR_AFTER = 2;

    /** What one probe of one VIP saw. {@code masterMac} is null when unknown. */
    public record Observation(String vip, String interfaceName, boolean heldHere, String masterMac, Set<String> answered) {
    }

    /** A change to report: offenders that appeared, and offenders that went away. */
    public record Change(String vip, String interfaceName, Set<String> detected, Set<String> cleared, Set<String> current) {
    }

    /** Per "vip%interface": each current offender and how many probes in a row missed it. */
    private final Map<String, Map<String, Integer>> offenders = new HashMap<>();

    public static Set<String> offenders(Observation o) {
        Set<String> out = new TreeSet<>(o.answered());
        if (o.heldHere()) {
            return out;
        }
        if (o.masterMac() != null) {
            out.remove(o.masterMac());
            return out;
        }
        return out.size() > 1 ? out : new TreeSet<>();
    }

    /** Records the observation; returns what changed (null when nothing did). */
    public synchronized Change observe(Observation o) {
        String key = o.vip() + "%" + o.interfaceName();
        Set<String> seen = offenders(o);
        Map<String, Integer> known = offenders.computeIfAbsent(key, k -> new HashMap<>());
        Set<String> detected = new TreeSet<>();
        Set<String> cleared = new TreeSet<>();
        for (String mac : seen) {
            if (known.put(mac, 0) == null) {
                detected.add(mac);
            }
        }
        known.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            int misses = e.getValue() + 1;
            if (misses >= CLEAR_AFTER) {
                cleared.add(e.getKey());
                return true;
            }
            e.setValue(misses);
            return false;
        });
        Set<String> now = new TreeSet<>(known.keySet());
        if (known.isEmpty()) {
            offenders.remove(key);
        }
        return detected.isEmpty() && cleared.isEmpty() ? null : new Change(o.vip(), o.interfaceName(), detected, cleared, now);
    }

    /** Forgets VIPs no longer watched; returns the changes that clears. */
    public synchronized List<Change> retain(Set<String> watchedKeys) {
        List<Change> out = new ArrayList<>();
        offenders.entrySet().removeIf(e -> {
            if (watchedKeys.contains(e.getKey())) {
                return false;
            }
            String[] k = e.getKey().split("%", 2);
            out.add(new Change(k[0], k[1], Set.of(), new TreeSet<>(e.getValue().keySet()), Set.of()));
            return true;
        });
        return out;
    }

    /** Current offenders by "vip%interface". */
    public synchronized Map<String, Set<String>> current() {
        Map<String, Set<String>> copy = new HashMap<>();
        offenders.forEach((k, v) -> copy.put(k, Set.copyOf(v.keySet())));
        return copy;
    }
}
