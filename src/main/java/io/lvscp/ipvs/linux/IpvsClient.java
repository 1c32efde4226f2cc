package io.lvscp.ipvs.linux;

import io.lvscp.linux.SyscallException;
import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.IpvsInfo;
import io.lvscp.ipvs.SyncDaemon;
import io.lvscp.ipvs.Timeouts;
import io.lvscp.ipvs.VirtualService;
import io.lvscp.netlink.Errno;
import io.lvscp.ipvs.netlink.DaemonStop;
import io.lvscp.ipvs.netlink.Exchange;
import io.lvscp.ipvs.netlink.GenlControl;
import io.lvscp.ipvs.netlink.IpvsCodec;
import io.lvscp.netlink.Message;
import io.lvscp.netlink.MessageWriter;
import io.lvscp.ipvs.netlink.IpvsNetlink;
import io.lvscp.netlink.Netlink;
import io.lvscp.netlink.NetlinkErrorException;
import io.lvscp.ipvs.netlink.Request;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's IPVS table over one generic-netlink socket: the family "IPVS" resolved
 * once, single requests with their ACK, dumps, and batches of many requests per
 * sendmsg (only the last of each datagram asks for an ACK; the kernel still answers
 * every failing one with its error, before that ACK). Not thread-safe.
 */
public final class IpvsClient implements AutoCloseable {

    /** Bytes per sendmsg in a batch: well under the socket's send buffer. */
    static final int BATCH_BYTES = 128 << 10;

    private final NetlinkSocket socket;
    private final int familyId;
    private int seq = (int) (System.nanoTime() & 0x3fffffff);

    private IpvsClient(NetlinkSocket socket, int familyId) {
        this.socket = socket;
        this.familyId = familyId;
    }

    /** Opens a socket and resolves the family; ENOENT here means the kernel has no IPVS (module not loaded). */
    public static IpvsClient open() throws IOException {
        NetlinkSocket s = new NetlinkSocket(Netlink.NETLINK_GENERIC);
        try {
            return new IpvsClient(s, resolveFamily(s, IpvsNetlink.IPVS_GENL_NAME));
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** True when the IPVS family resolves here (what the `auto` data plane asks). */
    public static boolean available() {
        try (IpvsClient c = open()) {
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    static int resolveFamily(NetlinkSocket s, String name) throws IOException {
        Request r = GenlControl.getFamily(name);
        Exchange x = new Exchange();
        x.expect(1, r);
        s.send(r.encode(Netlink.GENL_ID_CTRL, 1, 1, s.portId()));
        receiveUntilComplete(s, x);
        if (x.firstError() != null) {
            throw x.firstError();
        }
        return GenlControl.familyId(x.get(1).replies().get(0));
    }

    public int familyId() {
        return familyId;
    }

    private static void receiveUntilComplete(NetlinkSocket s, Exchange x) throws IOException {
        while (!x.complete()) {
            for (Message m : Message.parseAll(s.receive())) {
                if (m.type() == Netlink.NLMSG_OVERRUN) {
                    throw new SyscallException("netlink", Errno.ENOBUFS, "overrun");
                }
                x.accept(m);
            }
        }
    }

    /** Sends one request, waits for its ACK (or the end of its dump), returns its data messages. */
    public List<Message> execute(Request r) throws IOException {
        Exchange x = new Exchange();
        int s = nextSeq();
        x.expect(s, r);
        socket.send(r.encode(familyId, IpvsNetlink.IPVS_GENL_VERSION, s, socket.portId()));
        receiveUntilComplete(socket, x);
        Exchange.Pending p = x.get(s);
        if (p.error() != null) {
            throw p.error();
        }
        return p.replies();
    }

    /**
     * Carries out many write requests with few system calls. Every request is tried
     * (a failing one does not stop the rest); the result lists each failure.
     */
    public BatchResult apply(List<Request> requests) throws IOException {
        List<NetlinkErrorException> errors = new ArrayList<>();
        List<Integer> failed = new ArrayList<>();
        int i = 0;
        while (i < requests.size()) {
            MessageWriter w = new MessageWriter(BATCH_BYTES + 4096);
            Exchange x = new Exchange();
            int start = i;
            while (i < requests.size() && (i == start || w.size() < BATCH_BYTES)) {
                i++;
            }
            int[] seqs = new int[i - start];
            for (int k = start; k < i; k++) {
                Request r = k == i - 1 ? requests.get(k) : requests.get(k).withoutAck();
                int s = nextSeq();
                seqs[k - start] = s;
                x.expect(s, r);
                r.writeTo(w, familyId, IpvsNetlink.IPVS_GENL_VERSION, s, socket.portId());
            }
            socket.send(w.toByteArray());
            receiveUntilComplete(socket, x);
            for (int k = 0; k < seqs.length; k++) {
                NetlinkErrorException e = x.get(seqs[k]).error();
                if (e != null) {
                    errors.add(e);
                    failed.add(start + k);
                }
            }
        }
        return new BatchResult(requests.size(), errors, failed);
    }

    /** What a batch did: how many requests, which failed (the kernel's errors, and their indexes in the batch, in order). */
    public record BatchResult(int requests, List<NetlinkErrorException> errors, List<Integer> failedIndexes) {
        public BatchResult {
            errors = List.copyOf(errors);
            failedIndexes = List.copyOf(failedIndexes);
        }

        public BatchResult(int requests, List<NetlinkErrorException> errors) {
            this(requests, errors, List.of());
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private int nextSeq() {
        seq = (seq + 1) & 0x7fffffff;
        return seq == 0 ? ++seq : seq;
    }

    // ---- the IPVS commands --------------------------------------------------------

    public IpvsInfo info() throws IOException {
        return IpvsCodec.decodeInfo(execute(IpvsCodec.getInfo()).get(0));
    }

    public Timeouts timeouts() throws IOException {
        return IpvsCodec.decodeTimeouts(execute(IpvsCodec.getConfig()).get(0));
    }

    public void setTimeouts(Timeouts t) throws IOException {
        execute(IpvsCodec.setConfig(t));
    }

    public void flush() throws IOException {
        execute(IpvsCodec.flush());
    }

    public List<VirtualService> services() throws IOException {
        return execute(IpvsCodec.dumpServices()).stream().map(IpvsCodec::decodeService).toList();
    }

    /** One service by its key; empty when the kernel answers ESRCH. */
    public Optional<VirtualService> service(VirtualService key) throws IOException {
        try {
            List<Message> r = execute(IpvsCodec.getService(key));
            return r.isEmpty() ? Optional.empty() : Optional.of(IpvsCodec.decodeService(r.get(0)));
        } catch (NetlinkErrorException e) {
            if (e.errno() == Errno.ESRCH) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public List<Destination> destinations(VirtualService s) throws IOException {
        return execute(IpvsCodec.dumpDestinations(s)).stream().map(m -> IpvsCodec.decodeDestination(m, s.family())).toList();
    }

    public void newService(VirtualService s) throws IOException {
        execute(IpvsCodec.newService(s));
    }

    public void setService(VirtualService s) throws IOException {
        execute(IpvsCodec.setService(s));
    }

    public void delService(VirtualService s) throws IOException {
        execute(IpvsCodec.delService(s));
    }

    public void newDestination(VirtualService s, Destination d) throws IOException {
        execute(IpvsCodec.newDestination(s, d));
    }

    public void setDestination(VirtualService s, Destination d) throws IOException {
        execute(IpvsCodec.setDestination(s, d));
    }

    public void delDestination(VirtualService s, Destination d) throws IOException {
        execute(IpvsCodec.delDestination(s, d));
    }

    /** The running connection-synchronisation daemons (GET_DAEMON dump; empty when none runs). */
    public List<SyncDaemon> daemons() throws IOException {
        return execute(IpvsCodec.dumpDaemons()).stream().map(IpvsCodec::decodeDaemon).toList();
    }

    /** Starts a sync daemon (NEW_DAEMON); EEXIST when one with that role already runs, ENODEV for an unknown interface. */
    public void startDaemon(SyncDaemon d) throws IOException {
        execute(IpvsCodec.newDaemon(d));
    }

    /**
     * Stops the sync daemon with this role (DEL_DAEMON); ESRCH when none runs. Sent with a GET_DAEMON dump in the same
     * datagram ({@link DaemonStop}): the kernel sends no answer to a DEL_DAEMON that stopped a daemon whose thread had
     * not run yet, and the dump tells.
     */
    public DaemonStop.Outcome stopDaemon(SyncDaemon.Role role) throws IOException {
        List<Request> requests = DaemonStop.requests(role);
        Exchange x = new Exchange();
        MessageWriter w = new MessageWriter();
        int[] seqs = new int[requests.size()];
        for (int k = 0; k < seqs.length; k++) {
            seqs[k] = nextSeq();
            x.expect(seqs[k], requests.get(k));
            requests.get(k).writeTo(w, familyId, IpvsNetlink.IPVS_GENL_VERSION, seqs[k], socket.portId());
        }
        socket.send(w.toByteArray());
        Exchange.Pending dump = x.get(seqs[1]);
        while (!DaemonStop.finished(dump)) {
            for (Message m : Message.parseAll(socket.receive())) {
                if (m.type() == Netlink.NLMSG_OVERRUN) {
                    throw new SyscallException("netlink", Errno.ENOBUFS, "overrun");
                }
                x.accept(m);
            }
        }
        return DaemonStop.outcome(role, x.get(seqs[0]), dump);
    }

    @Override
    public void close() {
        socket.close();
    }
}
