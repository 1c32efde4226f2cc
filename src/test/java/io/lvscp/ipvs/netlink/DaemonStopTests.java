package io.lvscp.ipvs.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.ipvs.SyncDaemon;
import io.lvscp.netlink.Errno;
import io.lvscp.netlink.Message;
import io.lvscp.netlink.Netlink;
import io.lvscp.netlink.NetlinkErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sync daemon's stop: DEL_DAEMON then a GET_DAEMON dump in one datagram, and what the answers (or their absence) mean. */
class DaemonStopTests {

    static final int DEL = 41;
    static final int DUMP = 42;

    final Exchange x = new Exchange();

    DaemonStopTests() {
        List<Request> r = DaemonStop.requests(SyncDaemon.Role.BACKUP);
        x.expect(DEL, r.get(0));
        x.expect(DUMP, r.get(1));
    }

    static Message error(int seq, int code) {
        ByteBuffer p = ByteBuffer.allocate(4 + Netlink.NLMSG_HDRLEN).order(ByteOrder.nativeOrder());
        p.putInt(0, code);
        return new Message(Netlink.NLMSG_ERROR, 0, seq, 1, p);
    }

    static Message done(int seq) {
        return new Message(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, seq, 1, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()));
    }

    /** The daemons a real GET_DAEMON dump listed (captured in the lab kernel: master and backup), as replies to our dump. */
    static List<Message> listed() {
        return Capture.load("29-list-daemons").receivedMessages().stream().filter(m -> !m.isError() && !m.isDone()
                && m.type() != Netlink.GENL_ID_CTRL && m.genlCommand() == IpvsCommand.NEW_DAEMON.wireValue())
                .map(m -> new Message(m.type(), m.flags(), DUMP, m.pid(), m.payload())).toList();
    }

    @Test
    void theRequestsAreDelDaemonThenTheDump() {
        List<Request> r = DaemonStop.requests(SyncDaemon.Role.MASTER);
        assertThat(r).extracting(Request::command).containsExactly(IpvsCommand.DEL_DAEMON.wireValue(), IpvsCommand.GET_DAEMON.wireValue());
        assertThat(r.get(0).ack()).isTrue();
        assertThat(r.get(1).dump()).isTrue();
    }

    @Test
    void anAcknowledgedStop() throws IOException {
        x.accept(error(DEL, 0));
        assertThat(DaemonStop.finished(x.get(DUMP))).isFalse();
        x.accept(done(DUMP));
        assertThat(DaemonStop.finished(x.get(DUMP))).isTrue();
        assertThat(DaemonStop.outcome(SyncDaemon.Role.BACKUP, x.get(DEL), x.get(DUMP))).isEqualTo(DaemonStop.Outcome.ACKNOWLEDGED);
    }

    @Test
    void noDaemonWithTheRoleIsTheKernelsEsrch() {
        x.accept(error(DEL, -Errno.ESRCH));
        x.accept(done(DUMP));
        assertThatThrownBy(() -> DaemonStop.outcome(SyncDaemon.Role.BACKUP, x.get(DEL), x.get(DUMP)))
                .isInstanceOfSatisfying(NetlinkErrorException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ESRCH));
    }

    @Test
    void noAnswerToDelDaemonButTheDumpListsNoneIsAStop() throws IOException {
        // the kernel's -EINTR (a thread stopped before it ran): no ACK; the dump comes and lists nothing
        x.accept(done(DUMP));
        assertThat(DaemonStop.finished(x.get(DUMP))).isTrue();
        assertThat(x.complete()).as("the DEL_DAEMON stays open: waiting for it would hang").isFalse();
        assertThat(DaemonStop.outcome(SyncDaemon.Role.BACKUP, x.get(DEL), x.get(DUMP))).isEqualTo(DaemonStop.Outcome.STOPPED_UNANSWERED);
    }

    @Test
    void noAnswerAndTheDaemonStillListedIsAnError() {
        listed().forEach(x::accept);
        x.accept(done(DUMP));
        assertThatThrownBy(() -> DaemonStop.outcome(SyncDaemon.Role.BACKUP, x.get(DEL), x.get(DUMP)))
                .isInstanceOf(IOException.class).hasMessageContaining("still runs");
    }

    @Test
    void noAnswerAndOnlyTheOtherRoleListedIsAStop() throws IOException {
        listed().stream().filter(m -> IpvsCodec.decodeDaemon(m).role() == SyncDaemon.Role.MASTER).forEach(x::accept);
        x.accept(done(DUMP));
        assertThat(DaemonStop.outcome(SyncDaemon.Role.BACKUP, x.get(DEL), x.get(DUMP))).isEqualTo(DaemonStop.Outcome.STOPPED_UNANSWERED);
    }
}
