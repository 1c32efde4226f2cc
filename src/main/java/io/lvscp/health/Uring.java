package io.lvscp.health;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The pure parts of the io_uring prober ({@link UringProber}), free of I/O: the kernel's structure layouts
 * (Linux uapi {@code io_uring.h}, little-endian on x86_64 and aarch64), the encoding of a submission queue
 * entry, the {@code user_data} of an attempt's requests, the offsets {@code io_uring_setup} returns, the
 * opcode probe, and the submission and completion rings' bookkeeping over memory the caller maps
 * ({@link Rings}).
 */
final class Uring {

    private Uring() {
    }

    // system call numbers: the same on x86_64 and aarch64 (the common table from 424 on)
    static final int SYS_SETUP = 425;
    static final int SYS_ENTER = 426;
    static final int SYS_REGISTER = 427;

    // opcodes (enum io_uring_op)
    static final byte OP_NOP = 0;
    static final byte OP_ASYNC_CANCEL = 14;
    static final byte OP_CONNECT = 16;
    static final byte OP_CLOSE = 19;
    static final byte OP_READ = 22;
    static final byte OP_SEND = 26;
    static final byte OP_RECV = 27;
    /** the opcodes the prober uses (checked with IORING_REGISTER_PROBE) */
    static final byte[] NEEDED_OPS = {OP_ASYNC_CANCEL, OP_CONNECT, OP_CLOSE, OP_READ, OP_SEND, OP_RECV};

    // submission entry flags
    static final int SQE_IO_LINK = 1 << 2;
    static final int SQE_CQE_SKIP_SUCCESS = 1 << 6;

    // io_uring_setup flags
    static final int SETUP_CLAMP = 1 << 4;
    static final int SETUP_SUBMIT_ALL = 1 << 7;
    static final int SETUP_COOP_TASKRUN = 1 << 8;
    static final int SETUP_SINGLE_ISSUER = 1 << 12;
    static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // features io_uring_setup reports
    static final int FEAT_SINGLE_MMAP = 1;
    static final int FEAT_NODROP = 1 << 1;
    static final int FEAT_FAST_POLL = 1 << 5;
    static final int FEAT_EXT_ARG = 1 << 8;
    static final int FEAT_CQE_SKIP = 1 << 11;
    /** what the prober needs: one mapping, no lost completions, poll-driven sockets, a timed wait, skipped successes */
    static final int NEEDED_FEATURES = FEAT_SINGLE_MMAP | FEAT_NODROP | FEAT_FAST_POLL | FEAT_EXT_ARG | FEAT_CQE_SKIP;

    // io_uring_enter flags
    static final int ENTER_GETEVENTS = 1;
    static final int ENTER_EXT_ARG = 1 << 3;

    static final int REGISTER_PROBE = 8;
    static final int PROBE_OPS = 256;
    static final int PROBE_SIZE = 16 + 8 * PROBE_OPS;
    static final int OP_SUPPORTED = 1;

    static final long OFF_SQ_RING = 0L;
    static final long OFF_SQES = 0x10000000L;

    static final int PARAMS_SIZE = 120;
    static final int SQE_SIZE = 64;
    static final int CQE_SIZE = 16;
    /** struct io_uring_getevents_arg */
    static final int GETEVENTS_ARG_SIZE = 24;

    static final int ECANCELED = 125;
    static final int ETIME = 62;
    static final int EINTR = 4;
    static final int EBUSY = 16;
    static final int EAGAIN = 11;

    /** A little-endian view of {@code b} (the kernel's byte order on the platforms the prober runs on). */
    static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** struct io_uring_params with the requested flags; the kernel fills in the rest. */
    static ByteBuffer params(int flags) {
        ByteBuffer p = le(ByteBuffer.allocateDirect(PARAMS_SIZE));
        p.putInt(8, flags);
        return p;
    }

    /** What io_uring_setup wrote into struct io_uring_params. */
    record Params(int sqEntries, int cqEntries, int flags, int features,
            int sqHead, int sqTail, int sqMask, int sqEntriesOff, int sqArray,
            int cqHead, int cqTail, int cqMask, int cqEntriesOff, int cqOverflow, int cqCqes) {

        static Params read(ByteBuffer p) {
            return new Params(p.getInt(0), p.getInt(4), p.getInt(8), p.getInt(20),
                    p.getInt(40), p.getInt(44), p.getInt(48), p.getInt(52), p.getInt(64),
                    p.getInt(80), p.getInt(84), p.getInt(88), p.getInt(92), p.getInt(96), p.getInt(100));
        }

        /** Bytes of the one mapping of both rings (IORING_FEAT_SINGLE_MMAP). */
        long ringBytes() {
            return Math.max(sqArray + 4L * sqEntries, cqCqes + (long) CQE_SIZE * cqEntries);
        }

        /** The features the prober needs that the kernel lacks (0: none). */
        int missingFeatures() {
            return NEEDED_FEATURES & ~features;
        }
    }

    /** Whether IORING_REGISTER_PROBE's answer marks {@code op} supported. */
    static boolean supported(ByteBuffer probe, int op) {
        int lastOp = probe.get(0) & 0xff;
        int opsLen = probe.get(1) & 0xff;
        if (op > lastOp || op >= opsLen) {
            return false;
        }
        return (probe.getShort(16 + 8 * op + 2) & OP_SUPPORTED) != 0;
    }

    /** The opcodes among {@link #NEEDED_OPS} the probe does not mark supported, as text ("" when none). */
    static String missingOps(ByteBuffer probe) {
        StringBuilder s = new StringBuilder();
        for (byte op : NEEDED_OPS) {
            if (!supported(probe, op)) {
                s.append(s.isEmpty() ? "" : ",").append(op);
            }
        }
        return s.toString();
    }

    /** Writes one struct io_uring_sqe at {@code at}: every field the prober does not name is 0. */
    static void sqe(ByteBuffer sqes, int at, byte op, int flags, int fd, long off, long addr, int len, int opFlags, long userData) {
        sqes.put(at, op);
        sqes.put(at + 1, (byte) flags);
        sqes.putShort(at + 2, (short) 0); // ioprio
        sqes.putInt(at + 4, fd);
        sqes.putLong(at + 8, off); // off / addr2 / addrlen of connect
        sqes.putLong(at + 16, addr);
        sqes.putInt(at + 24, len);
        sqes.putInt(at + 28, opFlags); // msg_flags, rw_flags, cancel_flags
        sqes.putLong(at + 32, userData);
        sqes.putLong(at + 40, 0L); // buf_index, personality, file_index
        sqes.putLong(at + 48, 0L); // addr3
        sqes.putLong(at + 56, 0L);
    }

    /** IORING_OP_CONNECT: {@code addr} points at a sockaddr of {@code addrLen} bytes. */
    static void connect(ByteBuffer sqes, int at, int flags, int fd, long addr, int addrLen, long userData) {
        sqe(sqes, at, OP_CONNECT, flags, fd, addrLen, addr, 0, 0, userData);
    }

    /** IORING_OP_SEND of {@code len} bytes at {@code buf}. */
    static void send(ByteBuffer sqes, int at, int flags, int fd, long buf, int len, int msgFlags, long userData) {
        sqe(sqes, at, OP_SEND, flags, fd, 0, buf, len, msgFlags, userData);
    }

    /** IORING_OP_RECV into {@code len} bytes at {@code buf}. */
    static void recv(ByteBuffer sqes, int at, int flags, int fd, long buf, int len, long userData) {
        sqe(sqes, at, OP_RECV, flags, fd, 0, buf, len, 0, userData);
    }

    /** IORING_OP_READ of {@code len} bytes at {@code buf} (offset -1: the file's position, as read(2)). */
    static void read(ByteBuffer sqes, int at, int fd, long buf, int len, long userData) {
        sqe(sqes, at, OP_READ, 0, fd, -1L, buf, len, 0, userData);
    }

    /** IORING_OP_CLOSE of a normal descriptor. */
    static void close(ByteBuffer sqes, int at, int flags, int fd, long userData) {
        sqe(sqes, at, OP_CLOSE, flags, fd, 0, 0, 0, 0, userData);
    }

    /** IORING_OP_ASYNC_CANCEL of the (first) request with {@code target} as its user_data. */
    static void cancel(ByteBuffer sqes, int at, int flags, long target, long userData) {
        sqe(sqes, at, OP_ASYNC_CANCEL, flags, -1, 0, target, 0, 0, userData);
    }

    /** struct io_uring_getevents_arg {sigmask 0, sigmask_sz 0, pad, ts} at {@code at}. */
    static void getEventsArg(ByteBuffer b, int at, long timespecAddress) {
        b.putLong(at, 0L);
        b.putInt(at + 8, 0);
        b.putInt(at + 12, 0);
        b.putLong(at + 16, timespecAddress);
    }

    /** struct __kernel_timespec of {@code nanos} at {@code at}. */
    static void timespec(ByteBuffer b, int at, long nanos) {
        b.putLong(at, nanos / 1_000_000_000L);
        b.putLong(at + 8, nanos % 1_000_000_000L);
    }

    /**
     * How long a loop pass waits in {@code io_uring_enter} when passes are batched ({@code lvs.health.batch-interval},
     * {@code batchNanos} &gt; 0): with attempts in flight it sleeps the batch interval, woken by none of their
     * completions ({@link #passMinComplete}), so that one system call reaps every completion of the interval and
     * starts every check due in it; with none in flight it waits for the next check (at least the interval) or a
     * wake-up. So a check starts up to one interval late and a deadline passes up to one interval late. Without
     * batching: until the next check or deadline. {@code waitNanos} &le; 0 (attempts queued): 0, no wait.
     */
    static long passWaitNanos(long waitNanos, boolean inFlight, long batchNanos) {
        if (waitNanos <= 0 || batchNanos <= 0) {
            return Math.max(0, waitNanos);
        }
        return inFlight ? batchNanos : Math.max(waitNanos, batchNanos);
    }

    /**
     * The completions a waiting pass asks for ({@code min_complete}): the completion queue's size when batched with
     * attempts in flight (the wait then ends at its timeout, or when the queue is full), else the first one.
     */
    static int passMinComplete(boolean inFlight, long batchNanos, int cqEntries) {
        return inFlight && batchNanos > 0 ? cqEntries : 1;
    }

    // ---- user_data of the prober's requests: kind (8 bits), generation (24 bits), slot (32 bits)

    /** the attempt's socket requests: its chain (connect, send, recv) and any further recv */
    static final int KIND_IO = 1;
    /** the close of an attempt's socket (a completion only when it fails) */
    static final int KIND_CLOSE = 2;
    /** the cancel of an attempt at its deadline (a completion only when it fails) */
    static final int KIND_CANCEL = 3;
    /** the read of the wake-up eventfd */
    static final int KIND_WAKE = 4;
    /** the connect of an attempt's chain: its completion says the connection was not made */
    static final int KIND_CONNECT = 5;

    static long userData(int kind, int generation, int slot) {
        return ((long) (kind & 0xff) << 56) | ((long) (generation & 0xffffff) << 32) | (slot & 0xffffffffL);
    }

    static int kind(long userData) {
        return (int) (userData >>> 56);
    }

    static int generation(long userData) {
        return (int) (userData >>> 32) & 0xffffff;
    }

    static int slot(long userData) {
        return (int) userData;
    }

    // ---- what an attempt's completion means

    /** The meaning of the one completion of an attempt's chain (or of a further recv). */
    enum Outcome {
        /** TCP_CHECK: connected */
        CONNECTED,
        /** HTTP_GET: {@code res} bytes of the response arrived */
        DATA,
        /** HTTP_GET: the server closed its side */
        END,
        /** the connection was not made (errno {@code -res}) */
        CONNECT_FAILED,
        /** connected, then the request or the response failed (errno {@code -res}) */
        IO_FAILED,
        /** the attempt's deadline passed before the connection was made */
        TIMEOUT_CONNECTING,
        /** the attempt's deadline passed after it connected */
        TIMEOUT_CONNECTED
    }

    /**
     * The outcome of a completion of kind {@link #KIND_CONNECT} or {@link #KIND_IO} with result {@code res};
     * {@code http}: the attempt sends and receives; {@code expired}: its deadline has passed (any completion
     * after it is a timeout, whatever its result).
     */
    static Outcome outcome(int kind, int res, boolean http, boolean expired) {
        boolean connecting = kind == KIND_CONNECT;
        if (expired) {
            return connecting ? Outcome.TIMEOUT_CONNECTING : Outcome.TIMEOUT_CONNECTED;
        }
        if (connecting) {
            return res < 0 ? Outcome.CONNECT_FAILED : Outcome.CONNECTED;
        }
        if (!http) {
            return Outcome.CONNECTED;
        }
        if (res > 0) {
            return Outcome.DATA;
        }
        return res == 0 ? Outcome.END : Outcome.IO_FAILED;
    }

    /**
     * The submission and completion rings over the memory the kernel shares ({@code ring}: the one mapping of
     * both rings, {@code sqes}: the entries), as io_uring_setup's offsets lay them out. The kernel reads the
     * submission tail and writes its head; it writes the completion tail and reads its head: the tails are
     * read after an acquire fence and the heads and tails written after a release fence. Single-threaded
     * (the loop's).
     */
    static final class Rings {
        final ByteBuffer ring;
        final ByteBuffer sqes;
        final Params p;
        private final int sqMask;
        private final int cqMask;
        /** the submission tail as written so far (published at {@link #publish}) */
        private int sqTail;
        private int cqHead;

        Rings(ByteBuffer ring, ByteBuffer sqes, Params p) {
            this.ring = le(ring);
            this.sqes = le(sqes);
            this.p = p;
            this.sqMask = ring.getInt(p.sqMask());
            this.cqMask = ring.getInt(p.cqMask());
            this.sqTail = ring.getInt(p.sqTail());
            this.cqHead = ring.getInt(p.cqHead());
            // the indirection array: entry i at index i, once (the prober fills entries in ring order)
            for (int i = 0; i < p.sqEntries(); i++) {
                ring.putInt(p.sqArray() + 4 * i, i);
            }
        }

        /** Where the next entry goes (a byte offset into {@link #sqes}), or -1 when the ring is full. */
        int nextSqe() {
            VarHandle.acquireFence();
            int head = ring.getInt(p.sqHead());
            VarHandle.acquireFence();
            if (sqTail - head >= p.sqEntries()) {
                return -1;
            }
            int at = (sqTail & sqMask) * SQE_SIZE;
            sqTail++;
            return at;
        }

        /** Free entries (the ring's size less those written and not yet consumed by the kernel). */
        int free() {
            VarHandle.acquireFence();
            int head = ring.getInt(p.sqHead());
            VarHandle.acquireFence();
            return p.sqEntries() - (sqTail - head);
        }

        /** Makes the written entries visible to the kernel; returns how many it has not consumed yet. */
        int publish() {
            VarHandle.releaseFence();
            ring.putInt(p.sqTail(), sqTail);
            VarHandle.acquireFence();
            int head = ring.getInt(p.sqHead());
            VarHandle.acquireFence();
            return sqTail - head;
        }

        /** Receives completions: user_data and result. */
        interface Completion {
            void accept(long userData, int res);
        }

        /** Hands every completion in the ring to {@code c}, then frees their entries; returns how many. */
        int reap(Completion c) {
            VarHandle.acquireFence();
            int tail = ring.getInt(p.cqTail());
            VarHandle.acquireFence();
            int n = 0;
            while (cqHead != tail) {
                int at = p.cqCqes() + (cqHead & cqMask) * CQE_SIZE;
                long userData = ring.getLong(at);
                int res = ring.getInt(at + 8);
                cqHead++;
                n++;
                // the entry is copied out: the kernel may reuse it once the head moves
                VarHandle.releaseFence();
                ring.putInt(p.cqHead(), cqHead);
                c.accept(userData, res);
                VarHandle.acquireFence();
                if (cqHead == tail) {
                    tail = ring.getInt(p.cqTail());
                    VarHandle.acquireFence();
                }
            }
            return n;
        }
    }
}
