package io.lvscp.web;

import io.lvscp.cluster.RealServer;
import io.lvscp.common.Addresses;
import io.lvscp.common.CheckType;

/** One row of a virtual server's real-server table. */
record RealServerView(long id, String endpoint, int weight, String state, String checkType, String checkDetail) {

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
