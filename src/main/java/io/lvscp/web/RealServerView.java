package io.lvscp.web;

import io.lvscp.model.HealthCheckSettings;
import io.lvscp.model.RealServer;
import io.lvscp.realserver.RealServerHealth;
import io.lvscp.common.Addresses;
import io.lvscp.common.CheckType;
import io.lvscp.dataplane.LocalConnections;
import io.lvscp.database.DrainProgressStore;
import java.util.List;

/**
 * One row of a virtual server's real-server table. {@code health} is this node's finding ("up",
 * "down", "unchecked") or null when this node does not check it; {@code table} is what this node's
 * data plane holds for it (null when unknown: this node is no director of the cluster); {@code drains} each
 * director's last report of its drain (while it drains).
 */
record RealServerView(long id, long version, String endpoint, int weight, String state, String checkType, String checkDetail,
        String health, String healthDetail, String lastError, Double latencyMs, Table table, List<DrainProgressStore.Row> drains) {

    /** This node's IPVS table for the real server: absent, or present with its weight and connections (null in dry-run). */
    record Table(boolean present, Integer weight, Integer active, Integer inactive) {

        static final Table ABSENT = new Table(false, null, null, null);

        static Table of(LocalConnections.Entry e) {
            return e == null ? ABSENT : new Table(true, e.weight(), e.active(), e.inactive());
        }
    }

    RealServerView(long id, String endpoint, int weight, String state, String checkType, String checkDetail) {
        this(id, 0, endpoint, weight, state, checkType, checkDetail, null, null, null, null, null, List.of());
    }

    RealServerView withHealth(RealServerHealth h) {
        if (h == null) {
            return this;
        }
        String detail = h.lastError() != null && !"up".equals(h.status()) ? h.lastError()
                : h.note() != null ? h.note() : h.latencyMs() != null ? h.latencyMs() + " ms" : null;
        return new RealServerView(id, version, endpoint, weight, state, checkType, checkDetail, h.status(), detail, h.lastError(),
                h.latencyMs(), table, drains);
    }

    RealServerView withTable(Table t) {
        return new RealServerView(id, version, endpoint, weight, state, checkType, checkDetail, health, healthDetail, lastError, latencyMs, t,
                drains);
    }

    /** Each director's last report of this real server's drain (the row's progress line per director). */
    RealServerView withDrains(List<DrainProgressStore.Row> d) {
        return new RealServerView(id, version, endpoint, weight, state, checkType, checkDetail, health, healthDetail, lastError, latencyMs,
                table, List.copyOf(d));
    }

    public boolean draining() {
        return "draining".equals(state);
    }

    static RealServerView of(RealServer r) {
        HealthCheckSettings check = r.getHealthCheck();
        CheckType type = check.getType();
        String detail = null;
        if (type.isHttp()) {
            detail = check.getPath() + (check.getStatusCodes() == null ? "" : " → " + check.getStatusCodes());
        } else if (type == CheckType.MISC_CHECK) {
            detail = check.getCommand();
        }
        return new RealServerView(r.getId(), r.getVersion(), Addresses.hostPort(r.getAddress(), r.getPort()),
                r.getWeight(), r.getState().wireName(), type.wireName(), detail, null, null, null, null, null, List.of());
    }
}
