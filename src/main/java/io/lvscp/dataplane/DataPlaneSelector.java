package io.lvscp.dataplane;

import io.lvscp.LvsProperties.DataPlaneMode;

/**
 * Picks the data plane (pure): what was asked for, against what the host has.
 */
public final class DataPlaneSelector {

    /** The choice and why, shown in the actuator health. */
    public record Selection(DataPlane.Mode mode, String reason) {
    }

    /** Raised when {@code kernel} is asked for and cannot be had: better to stop than to pretend. */
    public static class UnavailableException extends IllegalStateException {
        public UnavailableException(String message) {
            super(message);
        }
    }

    private DataPlaneSelector() {
    }

    /**
     * @param requested        lvs.dataplane
     * @param ipvsPresent      the host kernel has IPVS
     * @param directorForNode  a Director record names this node
     */
    public static Selection select(DataPlaneMode requested, boolean ipvsPresent, boolean directorForNode, String node) {
        switch (requested) {
            case DRY_RUN:
                return new Selection(DataPlane.Mode.DRY_RUN, "lvs.dataplane=dry-run");
            case KERNEL:
                if (!ipvsPresent) {
                    throw new UnavailableException("lvs.dataplane=kernel, but this host has no IPVS (load the ip_vs module, or use dry-run)");
                }
                return new Selection(DataPlane.Mode.KERNEL, "lvs.dataplane=kernel");
            default:
                if (!ipvsPresent) {
                    return new Selection(DataPlane.Mode.DRY_RUN, "auto: this host has no IPVS");
                }
                if (!directorForNode) {
                    // safe: the kernel data plane only ever touches services it owns, and owns none until a director names this node
                    return new Selection(DataPlane.Mode.KERNEL, "auto: IPVS present; no Director record names node '" + node
                            + "' yet, so nothing is programmed until one does");
                }
                return new Selection(DataPlane.Mode.KERNEL, "auto: IPVS present and node '" + node + "' is a director");
        }
    }
}
