package io.lvscp.plan;

/**
 * One step that brings a data plane to its desired state: an IPVS write (from the reconciler, with the ipvsadm
 * command an operator would type for it) or a VRRP instance started, reconfigured or stopped.
 *
 * @param target what the step acts on: "TCP 172.18.42.42:80", "TCP 172.18.42.42:80 -> 10.0.0.1:80", a VRRP
 *               instance's name
 */
public record Change(Op op, String target, String description) {

    /**
     * Kinds of step. IPVS steps come in the reconciler's order (per service: add or edit the service, add, edit and
     * delete destinations; services no longer wanted last), then the VRRP steps.
     */
    public enum Op {
        ADD_SERVICE, EDIT_SERVICE, ADD_DESTINATION, EDIT_DESTINATION, DELETE_DESTINATION, DELETE_SERVICE,
        ADD_VRRP_INSTANCE, UPDATE_VRRP_INSTANCE, REMOVE_VRRP_INSTANCE,
        /** An IPVS connection-synchronisation daemon started or stopped (after the IPVS steps). */
        START_SYNC_DAEMON, STOP_SYNC_DAEMON
    }

    /** An IPVS write as a step of a plan: its kind, what it acts on and the ipvsadm command an operator would type. */
    public static Change of(io.lvscp.ipvs.IpvsOp w) {
        Op op = switch (w.kind()) {
            case NEW_SERVICE -> Op.ADD_SERVICE;
            case SET_SERVICE -> Op.EDIT_SERVICE;
            case DEL_SERVICE -> Op.DELETE_SERVICE;
            case NEW_DEST -> Op.ADD_DESTINATION;
            case SET_DEST -> Op.EDIT_DESTINATION;
            case DEL_DEST -> Op.DELETE_DESTINATION;
        };
        return new Change(op, w.target(), w.ipvsadm());
    }

    public static Change addInstance(VrrpInstanceSpec i) {
        return new Change(Op.ADD_VRRP_INSTANCE, i.name(), "start VRRP instance " + i.name() + " (VRID " + i.vrid() + " on "
                + i.interfaceName() + ", priority " + i.priority() + ")");
    }

    public static Change updateInstance(VrrpInstanceSpec i) {
        return new Change(Op.UPDATE_VRRP_INSTANCE, i.name(), "reconfigure VRRP instance " + i.name() + " (VRID " + i.vrid()
                + " on " + i.interfaceName() + ", priority " + i.priority() + ")");
    }

    public static Change removeInstance(VrrpInstanceSpec i) {
        return new Change(Op.REMOVE_VRRP_INSTANCE, i.name(), "stop VRRP instance " + i.name() + " (VRID " + i.vrid() + ")");
    }

    /** The VRRP steps from the instances a data plane runs to those it must run: start, reconfigure, stop. */
    public static java.util.List<Change> vrrpSteps(java.util.List<VrrpInstanceSpec> current, java.util.List<VrrpInstanceSpec> desired) {
        java.util.List<Change> changes = new java.util.ArrayList<>();
        for (VrrpInstanceSpec w : desired) {
            VrrpInstanceSpec h = current.stream().filter(c -> c.name().equals(w.name())).findFirst().orElse(null);
            if (h == null) {
                changes.add(addInstance(w));
            } else if (!h.equals(w)) {
                changes.add(updateInstance(w));
            }
        }
        for (VrrpInstanceSpec h : current) {
            if (desired.stream().noneMatch(w -> w.name().equals(h.name()))) {
                changes.add(removeInstance(h));
            }
        }
        return changes;
    }
}
