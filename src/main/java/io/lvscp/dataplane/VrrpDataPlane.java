package io.lvscp.dataplane;

import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A data plane with this node's VRRP instances: every round hands the plan's instances to
 * the {@link VrrpNode}, which starts, stops or restarts only the instances that changed.
 *
 * <ul>
 * <li>{@code kernel}: the inner data plane programs IPVS; the VRRP steps are the VRRP node's
 * (raw sockets, VIPs through rtnetlink). An instance that cannot start (no such interface)
 * is a refused step, retried at the next round.</li>
 * <li>{@code dry-run}: the inner dry-run data plane records the VRRP steps it would take, and
 * the VRRP node is configured in its dry-run form (nothing sent), so the API shows the
 * instances.</li>
 * </ul>
 */
final class VrrpDataPlane implements DataPlane {

    private final DataPlane inner;
    private final VrrpNodeHandle vrrp;
    private final Supplier<Map<String, String>> passwords;
    private final Supplier<String> directorInterface;
    private final boolean inMemory;
    private List<VrrpInstanceSpec> configured = List.of();

    /**
     * @param directorInterface the interface this node's Director record names (null when none does): the VRRP
     *                          node acts on no other interface
     */
    VrrpDataPlane(DataPlane inner, VrrpNodeHandle vrrp, Supplier<Map<String, String>> passwords, Supplier<String> directorInterface) {
        this.inner = inner;
        this.vrrp = vrrp;
        this.passwords = passwords;
        this.directorInterface = directorInterface;
        this.inMemory = inner instanceof DryRunDataPlane;
    }

    DataPlane inner() {
        return inner;
    }

    @Override
    public Mode mode() {
        return inner.mode();
    }

    @Override
    public List<io.lvscp.ipvs.SyncDaemon> syncDaemons() {
        return inner.syncDaemons();
    }

    @Override
    public synchronized DataPlaneTable read() {
        DataPlaneTable t = inner.read();
        return inMemory ? t : new DataPlaneTable(t.services(), configured);
    }

    @Override
    public synchronized List<Change> preview(DesiredState desired) {
        List<Change> steps = new ArrayList<>(inner.preview(desired));
        if (!inMemory) {
            steps.addAll(Change.vrrpSteps(configured, desired.vrrpInstances()));
        }
        return steps;
    }

    @Override
    public synchronized Result reconcile(DesiredState desired) {
        Result ipvs = inner.reconcile(desired);
        // safety: only the interface the Director record names (the instance's, and each VIP's device)
        String allowed = directorInterface.get();
        List<VrrpInstanceSpec> mine = new ArrayList<>();
        Map<String, String> outside = new HashMap<>();
        for (VrrpInstanceSpec i : desired.vrrpInstances()) {
            String wrong = i.interfaceName().equals(allowed) ? null : i.interfaceName();
            for (var v : i.vips()) {
                if (wrong == null && v.device() != null && !v.device().equals(allowed)) {
                    wrong = v.device();
                }
            }
            if (wrong == null) {
                mine.add(i);
            } else {
                outside.put(i.name(), "interface " + wrong + " is not this director's (its Director record names " + allowed
                        + "): the VRRP engine acts on no other interface");
            }
        }
        VrrpNode.Result r = vrrp.configure(mine, passwords.get());
        if (inMemory) {
            return ipvs;
        }
        Map<String, VrrpInstanceSpec> want = new HashMap<>();
        desired.vrrpInstances().forEach(i -> want.put(i.name(), i));
        Map<String, VrrpInstanceSpec> had = new HashMap<>();
        configured.forEach(i -> had.put(i.name(), i));
        List<Change> applied = new ArrayList<>(ipvs.applied());
        List<Refused> refused = new ArrayList<>(ipvs.refused());
        r.started().forEach(n -> applied.add(Change.addInstance(want.get(n))));
        r.restarted().forEach(n -> applied.add(Change.updateInstance(want.get(n))));
        r.stopped().forEach(n -> {
            VrrpInstanceSpec spec = had.get(n);
            if (spec != null) {
                applied.add(Change.removeInstance(spec));
            }
        });
        Map<String, String> errors = new HashMap<>(r.errors());
        errors.putAll(outside);
        errors.forEach((n, why) -> {
            VrrpInstanceSpec spec = want.get(n);
            if (spec != null) {
                refused.add(new Refused(Change.addInstance(spec), why));
            }
        });
        configured = desired.vrrpInstances().stream().filter(i -> !errors.containsKey(i.name())).toList();
        return new Result(applied, refused, ipvs.drains());
    }
}
