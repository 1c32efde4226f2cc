package io.lvscp.ipvs.linux;

import io.lvscp.ipvs.IpvsOp;
import io.lvscp.ipvs.TableEntry;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.netlink.NetlinkErrorException;
import io.lvscp.ipvs.netlink.Request;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's IPVS table as the reconciler sees it: read whole (services, then each
 * one's destinations with stats and connection counts), written as a batch of ops where
 * one refused op does not stop the others.
 */
public final class KernelIpvsTable {

    private final IpvsClient client;

    public KernelIpvsTable(IpvsClient client) {
        this.client = client;
    }

    public List<TableEntry> read() throws IOException {
        List<TableEntry> out = new ArrayList<>();
        for (VirtualService s : client.services()) {
            try {
                out.add(new TableEntry(s, client.destinations(s)));
            } catch (NetlinkErrorException e) {
                // deleted by someone else between the two dumps: it is gone, so leave it out
                if (e.errno() != io.lvscp.netlink.Errno.ESRCH) {
                    throw e;
                }
            }
        }
        return out;
    }

    /** Carries out the ops in order; returns the refused ones (with the kernel's reason and the op named). */
    public IpvsClient.BatchResult apply(List<IpvsOp> ops) throws IOException {
        List<Request> requests = new ArrayList<>(ops.size());
        ops.forEach(op -> requests.add(op.toRequest()));
        return requests.isEmpty() ? new IpvsClient.BatchResult(0, List.of()) : client.apply(requests);
    }
}
