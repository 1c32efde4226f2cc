package io.lvscp.splitbrain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Whether this director steps down in a split brain seen through the database, and when its hold ends
 * ({@code lvs.split-brain.step-down}). Pure logic: the detector's episodes and the reports of one observation in,
 * decisions out.
 *
 * <ul>
 *   <li><b>Step down</b>: in a confirmed episode (two or more masters for two heartbeats) in which this director is
 *       {@link SplitBrainDetector.Episode#lowestPriorityMaster() the master that steps down first} (the lowest
 *       priority, on a tie the last by name) and not already held. With three masters the next lowest steps down
 *       in the episode confirmed after that.</li>
 *   <li><b>Hold</b>: the director stays backup (its Master_Down_Timer does not make it master) as long as another
 *       director of the instance reports MASTER in a fresh heartbeat. While the VRRP path is cut it hears no
 *       adverts, so without the hold it would be master again one Master_Down_Interval later.</li>
 *   <li><b>End of the hold</b>: at the first observation in which no other director reports MASTER freshly (it
 *       fell back, stopped, crashed or lost the database: its report went stale), so a real failure of the winner
 *       still fails over; and when the database cannot be read ({@link #unreadable}), VRRP alone decides again.</li>
 * </ul>
 */
public final class StepDown {

    /** This director steps down from {@code key} in {@code episode}. */
    public record Leave(SplitBrainDetector.Key key, SplitBrainDetector.Episode episode) {
    }

    /** The hold of {@code key} ends, and why (for the event). */
    public record Resume(SplitBrainDetector.Key key, String reason) {
    }

    public record Actions(List<Leave> stepDown, List<Resume> resume) {
        public boolean none() {
            return stepDown.isEmpty() && resume.isEmpty();
        }
    }

    private StepDown() {
    }

    /**
     * @param me         this director's node name
     * @param now        the database's time of the observation
     * @param staleAfter a report older than this does not count
     * @param reports    every director's reports at {@code now}
     * @param episodes   the detector's episodes after this observation
     * @param held       the instances this director holds as backup now
     */
    public static Actions decide(String me, Instant now, Duration staleAfter, Collection<SplitBrainDetector.Report> reports,
            Collection<SplitBrainDetector.Episode> episodes, Collection<SplitBrainDetector.Key> held) {
        List<Leave> leave = new ArrayList<>();
        for (SplitBrainDetector.Episode ep : episodes) {
            if (ep.masters().containsKey(me) && me.equals(ep.lowestPriorityMaster()) && !held.contains(ep.key())) {
                leave.add(new Leave(ep.key(), ep));
            }
        }
        List<Resume> resume = new ArrayList<>();
        Instant freshFrom = now.minus(staleAfter);
        for (SplitBrainDetector.Key key : held) {
            TreeSet<String> fresh = new TreeSet<>();
            TreeSet<String> stale = new TreeSet<>();
            for (SplitBrainDetector.Report r : reports) {
                if (r.node().equals(me) || !r.key().equals(key) || !r.master()) {
                    continue;
                }
                (r.reportedAt().isBefore(freshFrom) ? stale : fresh).add(r.node());
            }
            if (fresh.isEmpty()) {
                resume.add(new Resume(key, stale.isEmpty() ? "no other director reports being master"
                        : "the other master's report is stale (" + String.join(", ", stale) + ": no heartbeat for "
                                + staleAfter.toMillis() / 1000.0 + " s)"));
            }
        }
        return new Actions(leave, resume);
    }

    /**
     * The database cannot be read: once the last good read is {@code staleAfter} old, every hold ends (no one can say
     * the other master is alive; VRRP alone decides, as without this setting). A shorter outage changes nothing.
     */
    public static List<Resume> unreadable(Collection<SplitBrainDetector.Key> held, Duration sinceLastRead, Duration staleAfter) {
        if (sinceLastRead.compareTo(staleAfter) < 0) {
            return List.of();
        }
        return held.stream().map(k -> new Resume(k, "the database could not be read for " + sinceLastRead.toMillis() / 1000.0
                + " s: VRRP alone decides")).toList();
    }
}
