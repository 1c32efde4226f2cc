package io.lvscp.web;

import io.lvscp.cluster.RealServer;
import io.lvscp.common.Addresses;
import io.lvscp.common.CheckType;

/**
 * One row of a virtual server's real-server table; {@code health} is this node's finding
 * ("up", "down", "unchecked") or null when this node does not check it.
 */
record RealServerView(long id, String endpoint, int weight, String state, String checkType, String checkDetail, String health,
        String healthDetail) {

    RealServerView(long id, String endpoint, int weight, String state, String checkType, String checkDetail) {
        this(id, endpoint, weight, state, checkType, checkDetail, null, null);
    }

    RealServerView withHealth(io.lvscp.cluster.RealServerHealth h) {
        if (h == null) {
            return this;
        }
        String detail = h.lastError() != null && !"up".equals(h.status()) ? h.lastError()
                : h.note() != null ? h.note() : h.latencyMs() != null ? h.latencyMs() + " ms" : null;
        return new RealServerView(id, endpoint, weight, state, checkType, checkDetail, h.status(), detail);
    }

    static RealServerView of(RealServer r) {
        CheckType type = r.getCheckType();
        String detail = null;
        if (type.isHttp()) {
            detail = r.getCheckPath() + (r.getCheckStatusCodes() == null ? "" : " → " + r.getCheckStatusCodes());
        } else if (type == CheckType.MISC_CHECK) {
            detail = r.getCheckCommand();
        }
        return new RealServerView(r.getId(), Addresses.hostPort(r.getAddress(), r.getPort()), r.getWeight(), r.getState().wireName(),
                type.wireName(), detail);
    }
}
