package io.lvscp.vrrp.node;

import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.VrrpCounter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the service uses of its node's VRRP engine, wherever the engine runs: in this JVM ({@link VrrpNode}, setting
 * {@code lvs.vrrp.engine=embedded}) or in a child process of its own that runs the same {@link VrrpNode}
 * ({@link io.lvscp.vrrp.process.ProcessVrrpNode}, {@code lvs.vrrp.engine=process}). The semantics are {@link VrrpNode}'s.
 */
public interface VrrpNodeHandle extends AutoCloseable {

    String nodeName();

    /** A node that shows what it would run and never touches the host. */
    boolean dryRun();

    void addListener(VrrpNode.Listener listener);

    /** {@code lvs.vrrp.keep-vips-on-restart}; set before the first {@link #configure}. */
    void keepVipsOnRestart(boolean keep);

    /** The second channel that tells whether another node is master of an instance (none: VRRP alone). */
    void otherMasters(VrrpNode.OtherMasters lookup);

    /** The instances as last seen, by name. Safe from any thread; never blocks. */
    List<VrrpNode.InstanceSnapshot> instances();

    /** Per interface, the packets that reached no instance of ours, as last seen. Safe from any thread. */
    Map<String, Map<VrrpCounter, Long>> unmatched();

    default Optional<VrrpNode.InstanceSnapshot> instance(String name) {
        return instances().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** See {@link VrrpNode#configure}. */
    VrrpNode.Result configure(List<VrrpInstanceSpec> desired, Map<String, String> passwords);

    /** See {@link VrrpNode#setEffectivePriority}. */
    boolean setEffectivePriority(String instance, Integer priority);

    Map<String, Integer> effectivePriorities();

    /** See {@link VrrpNode#release}. */
    boolean release(String instance);

    /** See {@link VrrpNode#standDown}: released and held as backup (split brain seen through the database). */
    boolean standDown(String instance, String reason);

    /**
     * The scheduling of the engine's loop thread ({@code lvs.vrrp.realtime-priority}): in effect, refused (and why),
     * off, or not known yet. Safe from any thread.
     */
    RealtimeScheduling realtime();

    /** See {@link VrrpNode#endStandDown}. */
    boolean endStandDown(String instance);

    /** Stops every instance (masters send priority 0 and remove their VIPs). */
    @Override
    void close();
}
