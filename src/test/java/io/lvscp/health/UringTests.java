package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.health.Uring.Outcome;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The io_uring prober's pure parts: layouts, entries, user_data, outcomes, the rings' bookkeeping (the probing: ProberTests). */
class UringTests {

    @Test
    void aSubmissionEntryIsTheKernelsLayout() {
        ByteBuffer b = Uring.le(ByteBuffer.allocate(128));
        for (int i = 0; i < 128; i++) {
            b.put(i, (byte) 0x5a); // whatever the slot held before
        }
        Uring.connect(b, 64, Uring.SQE_IO_LINK | Uring.SQE_CQE_SKIP_SUCCESS, 7, 0x1122334455L, 16, 0xabcdefL);
        assertThat(b.get(64)).isEqualTo((byte) 16); // IORING_OP_CONNECT
        assertThat(b.get(65)).isEqualTo((byte) 0x44); // IO_LINK | CQE_SKIP_SUCCESS
        assertThat(b.getShort(66)).isZero();
        assertThat(b.getInt(68)).isEqualTo(7); // fd
        assertThat(b.getLong(72)).isEqualTo(16); // addrlen in off
        assertThat(b.getLong(80)).isEqualTo(0x1122334455L); // addr
        assertThat(b.getInt(88)).isZero();
        assertThat(b.getInt(92)).isZero();
        assertThat(b.getLong(96)).isEqualTo(0xabcdefL); // user_data
        for (int i = 104; i < 128; i++) {
            assertThat(b.get(i)).as("byte %d", i).isZero();
        }
        assertThat(b.get(0)).as("the entry before is untouched").isEqualTo((byte) 0x5a);

        Uring.send(b, 0, 0, 3, 0x1000, 99, 0x4100, 5);
        assertThat(b.get(0)).isEqualTo((byte) 26);
        assertThat(b.getLong(16)).isEqualTo(0x1000);
        assertThat(b.getInt(24)).isEqualTo(99);
        assertThat(b.getInt(28)).isEqualTo(0x4100); // msg_flags
        Uring.recv(b, 0, 0, 3, 0x2000, 8192, 6);
        assertThat(b.get(0)).isEqualTo((byte) 27);
        assertThat(b.getInt(24)).isEqualTo(8192);
        Uring.read(b, 0, 9, 0x3000, 8, 7);
        assertThat(b.get(0)).isEqualTo((byte) 22);
        assertThat(b.getLong(8)).as("offset -1: the file's position").isEqualTo(-1L);
        Uring.close(b, 0, Uring.SQE_CQE_SKIP_SUCCESS, 11, 8);
        assertThat(b.get(0)).isEqualTo((byte) 19);
        assertThat(b.getInt(4)).isEqualTo(11);
        Uring.cancel(b, 0, 0, 0x0100000200000003L, 9);
        assertThat(b.get(0)).isEqualTo((byte) 14);
        assertThat(b.getLong(16)).as("the target's user_data").isEqualTo(0x0100000200000003L);
    }

    @Test
    void theWaitArgumentAndItsTimespec() {
        ByteBuffer b = Uring.le(ByteBuffer.allocate(40));
        Uring.getEventsArg(b, 0, 0x7000);
        Uring.timespec(b, 24, 2_500_000_000L);
        assertThat(b.getLong(0)).isZero();
        assertThat(b.getLong(16)).isEqualTo(0x7000);
        assertThat(b.getLong(24)).isEqualTo(2);
        assertThat(b.getLong(32)).isEqualTo(500_000_000L);
    }

    @Test
    void aBatchedPassSleepsTheIntervalWhileAttemptsAreInFlight() {
        long ms = 1_000_000L;
        // batched (10 ms), attempts in flight: the interval, whatever is due sooner or later, and no completion wakes it
        assertThat(Uring.passWaitNanos(3 * ms, true, 10 * ms)).isEqualTo(10 * ms);
        assertThat(Uring.passWaitNanos(700 * ms, true, 10 * ms)).isEqualTo(10 * ms);
        assertThat(Uring.passMinComplete(true, 10 * ms, 4096)).isEqualTo(4096);
        // batched, nothing in flight: until the next check, at least the interval; a wake-up (one completion) ends it
        assertThat(Uring.passWaitNanos(3 * ms, false, 10 * ms)).isEqualTo(10 * ms);
        assertThat(Uring.passWaitNanos(700 * ms, false, 10 * ms)).isEqualTo(700 * ms);
        assertThat(Uring.passMinComplete(false, 10 * ms, 4096)).isEqualTo(1);
        // attempts queued: no wait, batched or not
        assertThat(Uring.passWaitNanos(0, true, 10 * ms)).isZero();
        assertThat(Uring.passWaitNanos(0, false, 0)).isZero();
        // not batched: until the next check or deadline, woken by the first completion
        assertThat(Uring.passWaitNanos(3 * ms, true, 0)).isEqualTo(3 * ms);
        assertThat(Uring.passMinComplete(true, 0, 4096)).isEqualTo(1);
    }

    @Test
    void userDataCarriesKindGenerationAndSlot() {
        long u = Uring.userData(Uring.KIND_CONNECT, 0xabcdef, 123456);
        assertThat(Uring.kind(u)).isEqualTo(Uring.KIND_CONNECT);
        assertThat(Uring.generation(u)).isEqualTo(0xabcdef);
        assertThat(Uring.slot(u)).isEqualTo(123456);
        long wrapped = Uring.userData(Uring.KIND_IO, 0x1000000 + 5, 0);
        assertThat(Uring.generation(wrapped)).as("24 bits").isEqualTo(5);
        assertThat(Uring.kind(wrapped)).isEqualTo(Uring.KIND_IO);
    }

    @Test
    void paramsAndProbeAreRead() {
        ByteBuffer p = Uring.params(Uring.SETUP_COOP_TASKRUN);
        assertThat(p.getInt(8)).isEqualTo(Uring.SETUP_COOP_TASKRUN);
        p.putInt(0, 1024).putInt(4, 2048).putInt(20, Uring.NEEDED_FEATURES | 1 << 12);
        p.putInt(40, 0).putInt(44, 64).putInt(48, 256).putInt(52, 384).putInt(64, 16448);
        p.putInt(80, 128).putInt(84, 192).putInt(88, 260).putInt(92, 388).putInt(96, 396).putInt(100, 448);
        Uring.Params r = Uring.Params.read(p);
        assertThat(r.sqEntries()).isEqualTo(1024);
        assertThat(r.cqEntries()).isEqualTo(2048);
        assertThat(r.sqTail()).isEqualTo(64);
        assertThat(r.sqArray()).isEqualTo(16448);
        assertThat(r.cqCqes()).isEqualTo(448);
        assertThat(r.missingFeatures()).isZero();
        assertThat(r.ringBytes()).as("the larger of the two rings").isEqualTo(Math.max(16448 + 4 * 1024, 448 + 16 * 2048));
        p.putInt(20, Uring.FEAT_SINGLE_MMAP | Uring.FEAT_NODROP | Uring.FEAT_FAST_POLL);
        assertThat(Uring.Params.read(p).missingFeatures()).isEqualTo(Uring.FEAT_EXT_ARG | Uring.FEAT_CQE_SKIP);

        ByteBuffer probe = Uring.le(ByteBuffer.allocate(Uring.PROBE_SIZE));
        probe.put(0, (byte) 30).put(1, (byte) 31);
        for (byte op : Uring.NEEDED_OPS) {
            probe.putShort(16 + 8 * op + 2, (short) Uring.OP_SUPPORTED);
        }
        assertThat(Uring.missingOps(probe)).isEmpty();
        probe.putShort(16 + 8 * Uring.OP_RECV + 2, (short) 0);
        assertThat(Uring.missingOps(probe)).isEqualTo("27");
        probe.put(0, (byte) 20); // an older kernel: its last op is before SEND
        assertThat(Uring.supported(probe, Uring.OP_SEND)).isFalse();
        assertThat(Uring.supported(probe, Uring.OP_CONNECT)).isTrue();
    }

    @Test
    void completionsMeanWhatTheChainDid() {
        // HTTP_GET: the connect reports only its failure, the recv its data, the end or a failure after connecting
        assertThat(Uring.outcome(Uring.KIND_CONNECT, -111, true, false)).isEqualTo(Outcome.CONNECT_FAILED);
        assertThat(Uring.outcome(Uring.KIND_IO, 120, true, false)).isEqualTo(Outcome.DATA);
        assertThat(Uring.outcome(Uring.KIND_IO, 0, true, false)).isEqualTo(Outcome.END);
        assertThat(Uring.outcome(Uring.KIND_IO, -104, true, false)).isEqualTo(Outcome.IO_FAILED);
        // TCP_CHECK: the connect alone
        assertThat(Uring.outcome(Uring.KIND_CONNECT, 0, false, false)).isEqualTo(Outcome.CONNECTED);
        assertThat(Uring.outcome(Uring.KIND_CONNECT, -111, false, false)).isEqualTo(Outcome.CONNECT_FAILED);
        // past the deadline whatever came is a timeout, where it stood
        assertThat(Uring.outcome(Uring.KIND_CONNECT, -Uring.ECANCELED, true, true)).isEqualTo(Outcome.TIMEOUT_CONNECTING);
        assertThat(Uring.outcome(Uring.KIND_IO, -Uring.ECANCELED, true, true)).isEqualTo(Outcome.TIMEOUT_CONNECTED);
        assertThat(Uring.outcome(Uring.KIND_IO, 50, true, true)).isEqualTo(Outcome.TIMEOUT_CONNECTED);
        assertThat(Uring.outcome(Uring.KIND_CONNECT, 0, false, true)).isEqualTo(Outcome.TIMEOUT_CONNECTING);
    }

    /** A ring of 4 entries laid out as a kernel would, with this test as the kernel. */
    static final class FakeKernel {
        static final int SQ_HEAD = 0, SQ_TAIL = 4, SQ_MASK = 8, SQ_ENTRIES = 12, SQ_ARRAY = 64;
        static final int CQ_HEAD = 16, CQ_TAIL = 20, CQ_MASK = 24, CQ_ENTRIES = 28, CQ_OVERFLOW = 32, CQES = 128;
        final ByteBuffer ring = Uring.le(ByteBuffer.allocateDirect(CQES + 8 * Uring.CQE_SIZE));
        final ByteBuffer sqes = Uring.le(ByteBuffer.allocateDirect(4 * Uring.SQE_SIZE));
        final Uring.Params params = new Uring.Params(4, 8, 0, Uring.NEEDED_FEATURES, SQ_HEAD, SQ_TAIL, SQ_MASK, SQ_ENTRIES, SQ_ARRAY,
                CQ_HEAD, CQ_TAIL, CQ_MASK, CQ_ENTRIES, CQ_OVERFLOW, CQES);

        FakeKernel() {
            ring.putInt(SQ_MASK, 3).putInt(SQ_ENTRIES, 4).putInt(CQ_MASK, 7).putInt(CQ_ENTRIES, 8);
        }

        /** Consumes every published entry: the user_data of each, in order. */
        List<Long> consume() {
            List<Long> out = new ArrayList<>();
            int head = ring.getInt(SQ_HEAD);
            int tail = ring.getInt(SQ_TAIL);
            for (; head != tail; head++) {
                int index = ring.getInt(SQ_ARRAY + 4 * (head & 3));
                out.add(sqes.getLong(index * Uring.SQE_SIZE + 32));
            }
            ring.putInt(SQ_HEAD, head);
            return out;
        }

        void post(long userData, int res) {
            int tail = ring.getInt(CQ_TAIL);
            int at = CQES + (tail & 7) * Uring.CQE_SIZE;
            ring.putLong(at, userData).putInt(at + 8, res).putInt(at + 12, 0);
            ring.putInt(CQ_TAIL, tail + 1);
        }
    }

    @Test
    void theRingsHandEntriesToTheKernelAndTakeCompletionsBack() {
        FakeKernel k = new FakeKernel();
        Uring.Rings r = new Uring.Rings(k.ring, k.sqes, k.params);
        assertThat(r.free()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            int at = r.nextSqe();
            assertThat(at).isEqualTo(i * Uring.SQE_SIZE);
            Uring.sqe(r.sqes, at, Uring.OP_NOP, 0, -1, 0, 0, 0, 0, 100 + i);
        }
        assertThat(r.nextSqe()).as("full until the kernel consumes").isEqualTo(-1);
        assertThat(k.consume()).as("nothing before publish").isEmpty();
        assertThat(r.publish()).isEqualTo(4);
        assertThat(k.consume()).containsExactly(100L, 101L, 102L, 103L);
        assertThat(r.publish()).isZero();
        assertThat(r.free()).isEqualTo(4);
        // the indices wrap around the ring
        int at = r.nextSqe();
        assertThat(at).isZero();
        Uring.sqe(r.sqes, at, Uring.OP_NOP, 0, -1, 0, 0, 0, 0, 200);
        r.publish();
        assertThat(k.consume()).containsExactly(200L);

        for (int i = 0; i < 10; i++) { // more than the ring holds, in two batches
            k.post(i, -i);
            if (i == 5) {
                List<Long> got = new ArrayList<>();
                assertThat(r.reap((u, res) -> got.add(u))).isEqualTo(6);
                assertThat(got).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
                assertThat(k.ring.getInt(FakeKernel.CQ_HEAD)).isEqualTo(6);
            }
        }
        List<Integer> results = new ArrayList<>();
        assertThat(r.reap((u, res) -> results.add(res))).isEqualTo(4);
        assertThat(results).containsExactly(-6, -7, -8, -9);
        assertThat(r.reap((u, res) -> results.add(res))).isZero();
    }
}
