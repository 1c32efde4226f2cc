package io.lvscp.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The exact, ordered list of steps from what a data plane holds to what it must hold.
 * Equal tables give no step. Order keeps capacity up: services and destinations are
 * added before old ones are removed, and a changed forwarding method (which IPVS can
 * edit in place) is an edit, not a remove and add.
 */
public final class PlanDiff {

    private PlanDiff() {
    }

    public static List<Change> between(DataPlaneTable current, DataPlaneTable desired) {
        Map<ServiceKey, IpvsService> have = new LinkedHashMap<>();
        current.services().forEach(s -> have.put(s.key(), s));
        Map<ServiceKey, IpvsService> want = new LinkedHashMap<>();
        desired.services().forEach(s -> want.put(s.key(), s));

        List<Change> addSvc = new ArrayList<>();
        List<Change> editSvc = new ArrayList<>();
        List<Change> addDst = new ArrayList<>();
        List<Change> editDst = new ArrayList<>();
        List<Change> delDst = new ArrayList<>();
        List<Change> delSvc = new ArrayList<>();

        for (IpvsService w : want.values()) {
            IpvsService h = have.get(w.key());
            if (h == null) {
                addSvc.add(Change.addService(w));
                w.destinations().forEach(d -> addDst.add(Change.addDestination(w.key(), d)));
                continue;
            }
            if (!w.sameAttributes(h)) {
                editSvc.add(Change.editService(w));
            }
            for (IpvsDestination d : w.destinations()) {
                IpvsDestination old = h.destinations().stream().filter(d::sameEndpoint).findFirst().orElse(null);
                if (old == null) {
                    addDst.add(Change.addDestination(w.key(), d));
                } else if (!old.equals(d)) {
                    editDst.add(Change.editDestination(w.key(), d));
                }
            }
            for (IpvsDestination old : h.destinations()) {
                if (w.destinations().stream().noneMatch(old::sameEndpoint)) {
                    delDst.add(Change.deleteDestination(w.key(), old));
                }
            }
        }
        for (IpvsService h : have.values()) {
            if (!want.containsKey(h.key())) {
                delSvc.add(Change.deleteService(h));
            }
        }

        List<Change> changes = new ArrayList<>();
        changes.addAll(addSvc);
        changes.addAll(editSvc);
        changes.addAll(addDst);
        changes.addAll(editDst);
        changes.addAll(delDst);
        changes.addAll(delSvc);
        changes.addAll(vrrp(current.vrrpInstances(), desired.vrrpInstances()));
        return changes;
    }

    private static List<Change> vrrp(List<VrrpInstanceSpec> current, List<VrrpInstanceSpec> desired) {
        List<Change> changes = new ArrayList<>();
        for (VrrpInstanceSpec w : desired) {
            VrrpInstanceSpec h = current.stream().filter(c -> c.name().equals(w.name())).findFirst().orElse(null);
            if (h == null) {
                changes.add(Change.addInstance(w));
            } else if (!Objects.equals(h, w)) {
                changes.add(Change.updateInstance(w));
            }
        }
        for (VrrpInstanceSpec h : current) {
            if (desired.stream().noneMatch(w -> w.name().equals(h.name()))) {
                changes.add(Change.removeInstance(h));
            }
        }
        return changes;
    }

    /** Applies steps to a table: what a data plane holds after it carried them out. */
    public static DataPlaneTable apply(DataPlaneTable table, List<Change> changes) {
        Map<ServiceKey, IpvsService> services = new LinkedHashMap<>();
        table.services().forEach(s -> services.put(s.key(), s));
        Map<String, VrrpInstanceSpec> instances = new LinkedHashMap<>();
        table.vrrpInstances().forEach(i -> instances.put(i.name(), i));
        for (Change c : changes) {
            switch (c.op()) {
                case ADD_SERVICE -> services.put(c.service(), c.serviceSpec().withDestinations(List.of()));
                case EDIT_SERVICE -> services.computeIfPresent(c.service(),
                        (k, s) -> c.serviceSpec().withDestinations(s.destinations()));
                case ADD_DESTINATION, EDIT_DESTINATION -> services.computeIfPresent(c.service(), (k, s) -> {
                    List<IpvsDestination> d = new ArrayList<>(s.destinations());
                    d.removeIf(x -> x.sameEndpoint(c.destination()));
                    d.add(c.destination());
                    d.sort(IpvsDestination.ORDER);
                    return s.withDestinations(d);
                });
                case DELETE_DESTINATION -> services.computeIfPresent(c.service(), (k, s) -> {
                    List<IpvsDestination> d = new ArrayList<>(s.destinations());
                    d.removeIf(x -> x.sameEndpoint(c.destination()));
                    return s.withDestinations(d);
                });
                case DELETE_SERVICE -> services.remove(c.service());
                case ADD_VRRP_INSTANCE, UPDATE_VRRP_INSTANCE -> instances.put(c.instance().name(), c.instance());
                case REMOVE_VRRP_INSTANCE -> instances.remove(c.instance().name());
                default -> throw new IllegalStateException("unknown step " + c.op());
            }
        }
        List<IpvsService> sorted = new ArrayList<>(services.values());
        sorted.sort(java.util.Comparator.comparing(IpvsService::key));
        List<VrrpInstanceSpec> inst = new ArrayList<>(instances.values());
        inst.sort(java.util.Comparator.comparing(VrrpInstanceSpec::name));
        return new DataPlaneTable(sorted, inst);
    }
}
