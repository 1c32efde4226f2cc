package io.lvscp.splitbrain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Split brain seen through the database: from the VRRP states all directors report with their
 * heartbeats, finds instances that two or more directors hold as MASTER. Pure logic (no I/O, no
 * clock of its own: every observation carries the database's time).
 *
 * <p>A report counts while it is fresh: reported no longer than {@code staleAfter} before the
 * observation. An episode <b>starts</b> when two or more directors are masters of one instance in
 * two heartbeats in a row: in two consecutive observations, and each of at least two of those
 * masters reported MASTER again in between (its report is newer than at the first sighting). So a
 * master that died without a word (its last report still fresh, saying MASTER, while the backup takes
 * over) and the moment of a normal hand-over (old and new master both reporting MASTER once) are not
 * split brains. It <b>ends</b> at the first observation with fewer than two fresh masters.
 */
public final class SplitBrainDetector {

    /** A VRRP instance of a cluster ({@code cluster} null: the reporting director has no Director record). */
    public record Key(String cluster, String instance) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::cluster, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Key::instance);

        @Override
        public String toString() {
            return (cluster == null ? "" : cluster + "/") + instance;
        }
    }

    /** One director's report of one instance. */
    public record Report(String node, String cluster, String instance, String state, int priority, Instant reportedAt) {
        Key key() {
            return new Key(cluster, instance);
        }

        boolean master() {
            return "MASTER".equals(state);
        }
    }

    /**
     * Two or more masters of one instance.
     *
     * @param masters     the masters' node names with their priorities, by name
     * @param since       the observation that first saw them
     * @param confirmedAt the observation that confirmed them (the episode's start as events and metrics show it)
     */
    public record Episode(Key key, Map<String, Integer> masters, Instant since, Instant confirmedAt) {

        /** The master that would step down first: the lowest priority, on a tie the last by name. */
        public String lowestPriorityMaster() {
            return masters.entrySet().stream().min(Map.Entry.<String, Integer>comparingByValue()
                    .thenComparing(Map.Entry.<String, Integer>comparingByKey().reversed())).map(Map.Entry::getKey).orElseThrow();
        }
    }

    /** An episode that started ({@code started}) or ended at {@code at}. */
    public record Change(boolean started, Episode episode, Instant at) {
    }

    private final Duration staleAfter;
    /** First sighting of two or more masters, not yet confirmed: node to its report time then, and the time of that observation. */
    private final Map<Key, Map<String, Instant>> pending = new HashMap<>();
    private final Map<Key, Instant> pendingSince = new HashMap<>();
    private final Map<Key, Episode> episodes = new TreeMap<>(Key.ORDER);
    private Map<Key, Integer> masterCounts = Map.of();

    public SplitBrainDetector(Duration staleAfter) {
        this.staleAfter = Objects.requireNonNull(staleAfter);
    }

    /** One observation of all reports at the database's time {@code now}; returns the episodes started and ended. */
    public synchronized List<Change> observe(Instant now, Collection<Report> reports) {
        Map<Key, Map<String, Report>> masters = new TreeMap<>(Key.ORDER);
        for (Report r : reports) {
            boolean fresh = !r.reportedAt().isBefore(now.minus(staleAfter));
            masters.computeIfAbsent(r.key(), k -> new TreeMap<>());
            if (fresh && r.master()) {
                masters.get(r.key()).put(r.node(), r);
            }
        }
        Map<Key, Integer> counts = new TreeMap<>(Key.ORDER);
        masters.forEach((k, m) -> counts.put(k, m.size()));
        masterCounts = counts;

        List<Change> changes = new ArrayList<>();
        for (Map.Entry<Key, Map<String, Report>> e : masters.entrySet()) {
            Key key = e.getKey();
            Map<String, Report> now2 = e.getValue();
            if (now2.size() < 2) {
                continue;
            }
            Episode running = episodes.get(key);
            if (running != null) {
                Map<String, Integer> p = priorities(now2);
                if (!p.equals(running.masters())) {
                    episodes.put(key, new Episode(key, p, running.since(), running.confirmedAt()));
                }
                continue;
            }
            Map<String, Instant> first = pending.get(key);
            if (first == null) {
                Map<String, Instant> seen = new TreeMap<>();
                now2.forEach((node, r) -> seen.put(node, r.reportedAt()));
                pending.put(key, seen);
                pendingSince.put(key, now);
                continue;
            }
            Map<String, Integer> again = new TreeMap<>();
            for (Report r : now2.values()) {
                Instant before = first.get(r.node());
                if (before != null && r.reportedAt().isAfter(before)) {
                    again.put(r.node(), r.priority());
                }
            }
            if (again.size() >= 2) {
                Episode ep = new Episode(key, priorities(now2), pendingSince.get(key), now);
                episodes.put(key, ep);
                pending.remove(key);
                pendingSince.remove(key);
                changes.add(new Change(true, ep, now));
            } else {
                now2.forEach((node, r) -> first.putIfAbsent(node, r.reportedAt()));
            }
        }
        for (Key key : List.copyOf(pending.keySet())) {
            Map<String, Report> m = masters.get(key);
            if (m == null || m.size() < 2) {
                pending.remove(key);
                pendingSince.remove(key);
            }
        }
        for (Key key : List.copyOf(episodes.keySet())) {
            Map<String, Report> m = masters.get(key);
            if (m == null || m.size() < 2) {
                changes.add(new Change(false, episodes.remove(key), now));
            }
        }
        return changes;
    }

    private static Map<String, Integer> priorities(Map<String, Report> masters) {
        Map<String, Integer> p = new TreeMap<>();
        masters.forEach((node, r) -> p.put(node, r.priority()));
        return p;
    }

    /** The episodes going on, by cluster and instance. */
    public synchronized List<Episode> episodes() {
        return List.copyOf(episodes.values());
    }

    /** At the last observation: the fresh masters of each instance any director reported. */
    public synchronized Map<Key, Integer> masterCounts() {
        return masterCounts;
    }

    /**
     * Which node records the events of an episode, so that they are written once, not once per director:
     * the first by name of the nodes whose heartbeat is fresh (every process of the service, director
     * or API node, writes one). Every node computes the same from the same rows.
     */
    public static String recorder(Instant now, Duration staleAfter, Map<String, Instant> heartbeats) {
        return heartbeats.entrySet().stream().filter(e -> !e.getValue().isBefore(now.minus(staleAfter))).map(Map.Entry::getKey).sorted()
                .findFirst().orElse(null);
    }
}
