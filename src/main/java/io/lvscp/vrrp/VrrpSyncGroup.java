package io.lvscp.vrrp;

import java.time.Instant;
import java.util.List;

/**
 * Instances that change state together (keepalived's vrrp_sync_group): when one becomes master
 * the others do; when one falls back to backup the others do; when one enters FAULT the others
 * enter FAULT until it leaves it.
 */
public final class VrrpSyncGroup implements VrrpInstance.Listener {

    private final String name;
    private final List<VrrpInstance> members;
    private boolean propagating;

    public VrrpSyncGroup(String name, List<VrrpInstance> members) {
        this.name = name;
        this.members = List.copyOf(members);
        for (VrrpInstance m : this.members) {
            m.addListener(this);
        }
    }

    /** Detaches the group from its members (they keep running; a changed group is built anew). */
    public void dissolve() {
        for (VrrpInstance m : members) {
            m.removeListener(this);
        }
    }

    public String name() {
        return name;
    }

    public List<VrrpInstance> members() {
        return members;
    }

    @Override
    public void transitioned(VrrpInstance instance, VrrpState from, VrrpState to, Instant at) {
        if (propagating) {
            return;
        }
        propagating = true;
        try {
            for (VrrpInstance other : members) {
                if (other == instance) {
                    continue;
                }
                if (to == VrrpState.FAULT) {
                    other.addFault(VrrpInstance.SYNC_GROUP_FAULT);
                } else if (from == VrrpState.FAULT) {
                    other.clearFault(VrrpInstance.SYNC_GROUP_FAULT);
                } else if (to == VrrpState.MASTER) {
                    other.syncToMaster();
                } else if (to == VrrpState.BACKUP && from == VrrpState.MASTER) {
                    other.syncToBackup();
                }
            }
        } finally {
            propagating = false;
        }
    }
}
