package io.lvscp.plan;

import io.lvscp.common.Forwarding;

/**
 * One step that brings a data plane to its desired state, with the ipvsadm command
 * an operator would type for it (for IPVS steps).
 */
public record Change(Op op, ServiceKey service, IpvsService serviceSpec, IpvsDestination destination, VrrpInstanceSpec instance,
        String description) {

    /** Kinds of step, in the order they are applied. */
    public enum Op {
        ADD_SERVICE, EDIT_SERVICE, ADD_DESTINATION, EDIT_DESTINATION, DELETE_DESTINATION, DELETE_SERVICE,
        ADD_VRRP_INSTANCE, UPDATE_VRRP_INSTANCE, REMOVE_VRRP_INSTANCE
    }

    public static Change addService(IpvsService s) {
        return new Change(Op.ADD_SERVICE, s.key(), s, null, null, "ipvsadm -A " + s.key().ipvsadmArgs() + serviceArgs(s));
    }

    public static Change editService(IpvsService s) {
        return new Change(Op.EDIT_SERVICE, s.key(), s, null, null, "ipvsadm -E " + s.key().ipvsadmArgs() + serviceArgs(s));
    }

    public static Change deleteService(IpvsService s) {
        return new Change(Op.DELETE_SERVICE, s.key(), s, null, null, "ipvsadm -D " + s.key().ipvsadmArgs());
    }

    public static Change addDestination(ServiceKey k, IpvsDestination d) {
        return new Change(Op.ADD_DESTINATION, k, null, d, null, "ipvsadm -a " + k.ipvsadmArgs() + destArgs(d));
    }

    public static Change editDestination(ServiceKey k, IpvsDestination d) {
        return new Change(Op.EDIT_DESTINATION, k, null, d, null, "ipvsadm -e " + k.ipvsadmArgs() + destArgs(d));
    }

    public static Change deleteDestination(ServiceKey k, IpvsDestination d) {
        return new Change(Op.DELETE_DESTINATION, k, null, d, null, "ipvsadm -d " + k.ipvsadmArgs() + " -r " + d.endpoint());
    }

    public static Change addInstance(VrrpInstanceSpec i) {
        return new Change(Op.ADD_VRRP_INSTANCE, null, null, null, i, "start VRRP instance " + i.name() + " (VRID " + i.vrid() + " on "
                + i.interfaceName() + ", priority " + i.priority() + ")");
    }

    public static Change updateInstance(VrrpInstanceSpec i) {
        return new Change(Op.UPDATE_VRRP_INSTANCE, null, null, null, i, "reconfigure VRRP instance " + i.name() + " (VRID " + i.vrid()
                + " on " + i.interfaceName() + ", priority " + i.priority() + ")");
    }

    public static Change removeInstance(VrrpInstanceSpec i) {
        return new Change(Op.REMOVE_VRRP_INSTANCE, null, null, null, i, "stop VRRP instance " + i.name() + " (VRID " + i.vrid() + ")");
    }

    private static String serviceArgs(IpvsService s) {
        String args = " -s " + s.scheduler();
        if (s.persistenceTimeout() > 0) {
            args += " -p " + s.persistenceTimeout();
            if (s.persistenceNetmask() != null) {
                args += " -M " + netmask(s.key(), s.persistenceNetmask());
            }
        }
        return args;
    }

    private static String netmask(ServiceKey k, int prefix) {
        if (k.family() == io.lvscp.common.Addresses.Family.IPV6) {
            return Integer.toString(prefix);
        }
        long m = (0xffffffffL << (32 - prefix)) & 0xffffffffL;
        return ((m >> 24) & 0xff) + "." + ((m >> 16) & 0xff) + "." + ((m >> 8) & 0xff) + "." + (m & 0xff);
    }

    private static String destArgs(IpvsDestination d) {
        String method = d.forwarding() == Forwarding.DR ? "-g" : d.forwarding() == Forwarding.NAT ? "-m" : "-i";
        String args = " -r " + d.endpoint() + " " + method + " -w " + d.weight();
        if (d.upperThreshold() > 0) {
            args += " -x " + d.upperThreshold();
        }
        if (d.lowerThreshold() > 0) {
            args += " -y " + d.lowerThreshold();
        }
        return args;
    }
}
