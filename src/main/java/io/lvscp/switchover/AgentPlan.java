package io.lvscp.switchover;

import io.lvscp.vrrp.VrrpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one director's switch-over agent does with the rows it reads: pure, so the protocol between the
 * API node and the directors is tested without a database or a socket.
 *
 * <ul>
 *   <li>The <b>target</b> of a row that is HANDING_OVER or COMPLETED runs the instance at the row's priority
 *       (the hold); any other effective priority it runs with is cleared.</li>
 *   <li>Once it runs the instance at that priority, the target acknowledges a HANDING_OVER row (target_ready_at).</li>
 *   <li>The <b>old master</b> ({@code from_node}) releases the instance once the target has acknowledged, if it is
 *       master here and nobody released for this row yet (the store's update of released_at is the one-shot guard).</li>
 * </ul>
 */
public final class AgentPlan {

    private AgentPlan() {
    }

    /** One release: the row and its instance. */
    public record Release(long rowId, String instance) {
    }

    /**
     * @param setPriorities effective priorities to set, by instance (null value: back to the configured priority)
     * @param acknowledge   HANDING_OVER rows this node is ready for, as target
     * @param release       rows whose instance this node must release, as old master
     */
    public record Actions(Map<String, Integer> setPriorities, List<Long> acknowledge, List<Release> release) {
        public boolean none() {
            return setPriorities.isEmpty() && acknowledge.isEmpty() && release.isEmpty();
        }
    }

    /**
     * @param me        this node's name
     * @param rows      the rows naming this node as target or old master (any status; others are ignored)
     * @param current   the effective priorities this node's VRRP runs with now, by instance
     * @param states    the state of each instance running here, by name
     */
    public static Actions decide(String me, List<SwitchoverRow> rows, Map<String, Integer> current, Map<String, VrrpState> states) {
        Map<String, Integer> wanted = new TreeMap<>();
        for (SwitchoverRow r : rows) {
            if (r.status().holds() && me.equals(r.targetNode())) {
                wanted.put(r.instanceName(), r.priority());
            }
        }
        Map<String, Integer> set = new TreeMap<>();
        wanted.forEach((instance, p) -> {
            if (!p.equals(current.get(instance))) {
                set.put(instance, p);
            }
        });
        current.keySet().stream().filter(i -> !wanted.containsKey(i)).forEach(i -> set.put(i, null));
        List<Long> ack = new ArrayList<>();
        List<Release> release = new ArrayList<>();
        for (SwitchoverRow r : rows) {
            if (r.status() != SwitchoverRow.Status.HANDING_OVER) {
                continue;
            }
            if (me.equals(r.targetNode()) && r.targetReadyAt() == null && states.containsKey(r.instanceName())
                    && Objects.equals(wanted.get(r.instanceName()), r.priority())) {
                ack.add(r.id());
            }
            if (me.equals(r.fromNode()) && !me.equals(r.targetNode()) && r.targetReadyAt() != null && r.releasedAt() == null
                    && states.get(r.instanceName()) == VrrpState.MASTER) {
                release.add(new Release(r.id(), r.instanceName()));
            }
        }
        return new Actions(set, ack, release);
    }
}
