package io.lvscp.ipvs.linux;

import io.lvscp.dataplane.DataPlane;
import io.lvscp.ipvs.IpvsOp;
import io.lvscp.ipvs.PlanMapping;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.plan.Change;
import io.lvscp.plan.DataPlaneTable;
import io.lvscp.plan.IpvsService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The `kernel` data plane's IPVS part: reads the kernel's table over netlink and applies
 * the plan's IPVS steps as one batch. A step the kernel refuses is logged with its
 * reason; the others are still applied; then an exception names every refused step (so
 * the agent records the error and retries on the next resync). VRRP steps are not
 * handled here.
 */
public final class KernelDataPlane implements DataPlane, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KernelDataPlane.class);

    private final IpvsClient client;
    private final KernelIpvsTable table;

    /** Takes over the client (one netlink socket; calls are serialised here, the socket is not thread-safe). */
    public KernelDataPlane(IpvsClient client) {
        this.client = client;
        this.table = new KernelIpvsTable(client);
    }

    @Override
    public synchronized void close() {
        client.close();
    }

    @Override
    public String mode() {
        return "kernel";
    }

    @Override
    public synchronized DataPlaneTable read() {
        try {
            List<IpvsService> services = new ArrayList<>();
            for (TableEntry e : table.read()) {
                IpvsService s = PlanMapping.fromKernel(e);
                if (s != null) {
                    services.add(s);
                }
            }
            services.sort(Comparator.comparing(IpvsService::key));
            return new DataPlaneTable(services, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the IPVS table: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void apply(List<Change> changes, long generation) {
        List<IpvsOp> ops = toOps(changes);
        try {
            IpvsClient.BatchResult r = table.apply(ops);
            r.errors().forEach(e -> log.warn("generation {}: the kernel refused {}", generation, e.getMessage()));
            if (!r.ok()) {
                throw new UncheckedIOException(new IOException(r.errors().size() + " of " + r.requests()
                        + " IPVS steps refused: " + r.errors().stream().map(Throwable::getMessage).toList()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("applying generation " + generation + ": " + e.getMessage(), e);
        }
    }

    /** The plan's IPVS steps as kernel ops, in the same order; VRRP steps left out. */
    public static List<IpvsOp> toOps(List<Change> changes) {
        List<IpvsOp> ops = new ArrayList<>();
        for (Change c : changes) {
            VirtualService svc = c.serviceSpec() != null ? PlanMapping.toKernel(c.serviceSpec())
                    : c.service() != null ? PlanMapping.toKernel(c.service()) : null;
            switch (c.op()) {
                case ADD_SERVICE -> ops.add(new IpvsOp(IpvsOp.Kind.NEW_SERVICE, svc, null));
                case EDIT_SERVICE -> ops.add(new IpvsOp(IpvsOp.Kind.SET_SERVICE, svc, null));
                case DELETE_SERVICE -> ops.add(new IpvsOp(IpvsOp.Kind.DEL_SERVICE, svc, null));
                case ADD_DESTINATION -> ops.add(new IpvsOp(IpvsOp.Kind.NEW_DEST, svc, PlanMapping.toKernel(c.destination())));
                case EDIT_DESTINATION -> ops.add(new IpvsOp(IpvsOp.Kind.SET_DEST, svc, PlanMapping.toKernel(c.destination())));
                case DELETE_DESTINATION -> ops.add(new IpvsOp(IpvsOp.Kind.DEL_DEST, svc, PlanMapping.toKernel(c.destination())));
                default -> {
                    // VRRP steps belong to the VRRP side of the data plane
                }
            }
        }
        return ops;
    }
}
