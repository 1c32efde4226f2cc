package io.lvscp.health;

import com.kenai.jffi.MemoryIO;
import io.lvscp.common.CheckType;
import io.lvscp.health.CheckResult.Reason;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP_CHECK and HTTP_GET on one thread with an io_uring ring (Linux 5.19 and later; the lab's 6.1): the
 * socket work of an attempt is a chain of requests the kernel runs by itself, and one
 * {@code io_uring_enter} per loop pass both submits every new request and waits for the next completion or
 * the next due check; with attempts in flight a pass instead sleeps {@code lvs.health.batch-interval} (10 ms in the
 * service), woken by none of their completions, so that one call serves the interval's completions and due checks
 * ({@link Uring#passWaitNanos}). Per HTTP_GET attempt: {@code socket} and {@code setsockopt(SO_LINGER 0)} as system
 * calls (io_uring on 6.1 has no setsockopt, and the reset on close is kept, as keepalived's checker does),
 * then in the ring a linked CONNECT, SEND and RECV whose connect and send report only a failure
 * (IOSQE_CQE_SKIP_SUCCESS): one completion per attempt in the usual case, the response (more RECVs until
 * the verdict is decided), and a CLOSE that reports only a failure. A TCP_CHECK is a CONNECT and a CLOSE.
 * A deadline cancels the attempt's request in flight (IORING_OP_ASYNC_CANCEL); its completion then gives the
 * timeout. The pure parts (layouts, entries, rings, outcomes) are {@link Uring}'s.
 *
 * <p>As {@link NativeProber}: the loop reads the clock once per pass ({@link LoopTime}), runs the schedule
 * when asked ({@link #drive}), and other threads wake it through an eventfd (here read by a READ request in
 * the ring). The same semantics as the other probers: the deadline is {@code connect_timeout} from the start
 * for connect, request and response; the same verdicts ({@link HttpResponse}) and failure reasons; an HTTP_GET
 * connection is reset on close (SO_LINGER 0, set before connect: closing a connection that was never made
 * sends nothing either way), a TCP_CHECK one closes normally.
 */
final class UringProber extends LoopProber<UringProber.Probe> {

    private static final Logger log = LoggerFactory.getLogger(UringProber.class);

    /** The calls the ring needs besides its own; pointers are addresses of direct memory the prober owns. */
    public interface Sys {
        long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

        int socket(int domain, int type, int protocol);

        int bind(int fd, long addr, int len);

        int setsockopt(int fd, int level, int name, long value, int len);

        int close(int fd);

        int eventfd(int initval, int flags);

        long write(int fd, long buf, long len);

        String strerror(int errno);
    }

    private static final int ENTRIES = 1024;
    private static final int RECV_SIZE = 8192;
    private static final int SLOTS_PER_CHUNK = 64;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_LINGER = 13;
    private static final int MSG_WAITALL = 0x100;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    /** a deadline's cancel is sent again this often until the attempt's completion is in */
    private static final long CANCEL_RETRY_NANOS = 20_000_000L;

    /** An attempt; its fields are the loop thread's. */
    static final class Probe extends Attempt {
        Prepared target;
        int fd = -1;
        int slot = -1;
        int generation;
        /** a request of this attempt may still complete (its buffer and socket are in use) */
        boolean outstanding;
        boolean expired;
        long expiredAt;
        HttpResponse response;

        Probe(CheckDefinition def) {
            super(def);
        }
    }

    /** What an attempt of a definition sends and where, in direct memory, built once per definition. */
    private record Prepared(int family, ByteBuffer sockaddr, long sockaddrAddress, ByteBuffer bindSockaddr, long bindAddress,
            ByteBuffer request, long requestAddress, int requestLength) {
    }

    private final Sys sys;
    /** {@code lvs.health.batch-interval} in ns; 0: no batching */
    private final long batchNanos;
    /** mmap and munmap by number (libc's mmap through jnr-ffi failed with EINVAL even for an anonymous mapping) */
    private final int sysMmap;
    private final int sysMunmap;
    private final Runtime runtime;
    private final MemoryIO memory = MemoryIO.getInstance();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Map<CheckDefinition, Prepared> prepared = new HashMap<>();
    private final ByteBuffer linger = Uring.le(ByteBuffer.allocateDirect(8));
    private final long lingerAddress;
    private final ByteBuffer wakeValue = Uring.le(ByteBuffer.allocateDirect(16));
    private final long wakeValueAddress;
    private final ByteBuffer enterArg = Uring.le(ByteBuffer.allocateDirect(Uring.GETEVENTS_ARG_SIZE + 16));
    private final long enterArgAddress;
    private final byte[] readBytes = new byte[RECV_SIZE];
    /**
     * The attempts' receive buffers, {@link #SLOTS_PER_CHUNK} slots of {@link #RECV_SIZE} bytes a chunk, each chunk an
     * anonymous mapping (resident only where a response was written). Slots are taken lowest first, so a burst's
     * chunks at the top empty out afterwards and are unmapped (one empty chunk is kept above the highest in use):
     * a burst of attempts in flight (10,000 checks and slow servers) costs memory only while it lasts.
     */
    private final List<ByteBuffer> chunks = new ArrayList<>();
    private final List<Long> chunkAddresses = new ArrayList<>();
    private int[] usedInChunk = new int[0];
    private final BitSet freeSlots = new BitSet();
    /** chunks mapped now, for tests (written on the loop thread) */
    private volatile int mappedChunks;
    /** set up on the loop thread (the ring's single issuer) before {@link #ready} completes */
    private int ringFd = -1;
    private int wakeFd = -1;
    private long ringMap;
    private long ringMapBytes;
    private long sqesMap;
    private long sqesMapBytes;
    private Uring.Rings rings;
    private String setupFlags;
    /** the pass's time, for the completions it reaps */
    private long passNow;
    private final Uring.Rings.Completion onCompletion = (userData, res) -> complete(userData, res, passNow);
    private Probe[] slots = new Probe[0];
    private int[] generations = new int[0];

    /**
     * Sets up the ring and starts the loop; throws where that is not possible (not Linux, no io_uring, or too old).
     *
     * @param batch {@code lvs.health.batch-interval}: with attempts in flight the loop wakes once per interval
     *              ({@link Uring#passWaitNanos}); zero wakes it at each completion
     */
    UringProber(Duration batch) {
        super(log, "health-uring", true);
        this.batchNanos = batch.isNegative() ? 0 : batch.toNanos();
        Platform p = Platform.getNativePlatform();
        if (p.getOS() != Platform.OS.LINUX) {
            throw new UnsupportedOperationException("not Linux: " + p.getOS());
        }
        if (p.getCPU() != Platform.CPU.X86_64 && p.getCPU() != Platform.CPU.AARCH64) {
            throw new UnsupportedOperationException("no io_uring system call numbers for " + p.getCPU());
        }
        sysMmap = p.getCPU() == Platform.CPU.X86_64 ? 9 : 222;
        sysMunmap = p.getCPU() == Platform.CPU.X86_64 ? 11 : 215;
        sys = LibraryLoader.create(Sys.class).option(LibraryOption.SaveError, true).load("c");
        runtime = Runtime.getRuntime(sys);
        linger.putInt(0, 1); // l_onoff 1, l_linger 0: close resets
        linger.putInt(4, 0);
        lingerAddress = memory.getDirectBufferAddress(linger);
        wakeValue.putLong(0, 1);
        wakeValueAddress = memory.getDirectBufferAddress(wakeValue);
        enterArgAddress = memory.getDirectBufferAddress(enterArg);
        Uring.getEventsArg(enterArg, 0, enterArgAddress + Uring.GETEVENTS_ARG_SIZE);
        startLoop();
        try {
            ready.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            running = false;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("io_uring prober did not start: " + e);
        }
        log.debug("io_uring ring: {} entries, setup flags {}", rings.p.sqEntries(), setupFlags);
    }

    @Override
    public String kind() {
        return "uring";
    }

    private int errno() {
        return runtime.getLastError();
    }

    private String strerror(int errno) {
        String s = sys.strerror(errno);
        return s == null ? "errno " + errno : s;
    }

    /** On the loop thread: the ring (the first flags the kernel accepts), its checks, its mappings, the eventfd. */
    private void setup() {
        int[] tries = {Uring.SETUP_SINGLE_ISSUER | Uring.SETUP_DEFER_TASKRUN | Uring.SETUP_SUBMIT_ALL,
                Uring.SETUP_COOP_TASKRUN | Uring.SETUP_SUBMIT_ALL, 0};
        String[] names = {"SINGLE_ISSUER|DEFER_TASKRUN|SUBMIT_ALL", "COOP_TASKRUN|SUBMIT_ALL", "none"};
        ByteBuffer params = null;
        int fd = -1;
        int err = 0;
        for (int i = 0; i < tries.length && fd < 0; i++) {
            params = Uring.params(tries[i] | Uring.SETUP_CLAMP);
            fd = (int) sys.syscall(Uring.SYS_SETUP, ENTRIES, memory.getDirectBufferAddress(params), 0, 0, 0, 0);
            if (fd < 0) {
                err = errno();
                if (err != 22) { // only EINVAL (flags this kernel lacks) is worth another try
                    break;
                }
            } else {
                setupFlags = names[i];
            }
        }
        if (fd < 0) {
            throw new IllegalStateException("io_uring_setup: " + strerror(err));
        }
        ringFd = fd;
        Uring.Params p = Uring.Params.read(params);
        if (p.missingFeatures() != 0) {
            closeRing();
            throw new IllegalStateException("io_uring lacks features 0x" + Integer.toHexString(p.missingFeatures()) + " (kernel too old)");
        }
        ByteBuffer probe = Uring.le(ByteBuffer.allocateDirect(Uring.PROBE_SIZE));
        if (sys.syscall(Uring.SYS_REGISTER, fd, Uring.REGISTER_PROBE, memory.getDirectBufferAddress(probe), Uring.PROBE_OPS, 0, 0) < 0) {
            int e = errno();
            closeRing();
            throw new IllegalStateException("io_uring_register(PROBE): " + strerror(e));
        }
        String missing = Uring.missingOps(probe);
        if (!missing.isEmpty()) {
            closeRing();
            throw new IllegalStateException("io_uring lacks opcodes " + missing);
        }
        ringMapBytes = p.ringBytes();
        ringMap = sys.syscall(sysMmap, 0, ringMapBytes, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, Uring.OFF_SQ_RING);
        if (ringMap == -1) {
            int e = errno();
            ringMap = 0;
            closeRing();
            throw new IllegalStateException("mmap of the rings: " + strerror(e));
        }
        sqesMapBytes = (long) p.sqEntries() * Uring.SQE_SIZE;
        sqesMap = sys.syscall(sysMmap, 0, sqesMapBytes, PROT_READ_WRITE, MAP_SHARED_POPULATE, fd, Uring.OFF_SQES);
        if (sqesMap == -1) {
            int e = errno();
            sqesMap = 0;
            closeRing();
            throw new IllegalStateException("mmap of the entries: " + strerror(e));
        }
        rings = new Uring.Rings(memory.newDirectByteBuffer(ringMap, (int) ringMapBytes),
                memory.newDirectByteBuffer(sqesMap, (int) sqesMapBytes), p);
        wakeFd = sys.eventfd(0, SOCK_CLOEXEC); // blocking: the ring's READ waits on it
        if (wakeFd < 0) {
            int e = errno();
            closeRing();
            throw new IllegalStateException("eventfd: " + strerror(e));
        }
        armWake();
    }

    private void closeRing() {
        if (sqesMap != 0) {
            sys.syscall(sysMunmap, sqesMap, sqesMapBytes, 0, 0, 0, 0);
            sqesMap = 0;
        }
        if (ringMap != 0) {
            sys.syscall(sysMunmap, ringMap, ringMapBytes, 0, 0, 0, 0);
            ringMap = 0;
        }
        if (ringFd >= 0) {
            sys.close(ringFd);
            ringFd = -1;
        }
    }

    @Override
    Probe attempt(CheckDefinition def) {
        return new Probe(def);
    }

    @Override
    void wake() {
        synchronized (wakeLock) {
            if (!fdsClosed && wakeFd >= 0) {
                sys.write(wakeFd, wakeValueAddress, 8);
            }
        }
    }

    private void armWake() {
        int at = sqe();
        if (at >= 0) {
            Uring.read(rings.sqes, at, wakeFd, wakeValueAddress + 8, 8, Uring.userData(Uring.KIND_WAKE, 0, 0));
        }
    }

    /** A free submission entry, submitting what is written when the ring is full; -1 when even that fails. */
    private int sqe() {
        int at = rings.nextSqe();
        if (at < 0) {
            flush();
            at = rings.nextSqe();
        }
        return at;
    }

    /** Room for {@code n} entries at once (an attempt's chain must not be split across two submissions). */
    private boolean room(int n) {
        if (rings.free() < n) {
            flush();
        }
        return rings.free() >= n;
    }

    /** Submits what is written without waiting. */
    private void flush() {
        int n = rings.publish();
        if (n > 0) {
            sys.syscall(Uring.SYS_ENTER, ringFd, n, 0, 0, 0, 0);
        }
    }

    @Override
    boolean ready() {
        try {
            setup();
        } catch (RuntimeException | LinkageError e) {
            ready.completeExceptionally(e);
            return false;
        }
        ready.complete(null);
        return true;
    }

    @Override
    long pass(long now) {
        expire(now);
        boolean inFlight = live > 0;
        long waitNanos = Uring.passWaitNanos(waitNanos(now), inFlight, batchNanos);
        int toSubmit = rings.publish();
        long r;
        if (waitNanos <= 0) {
            r = sys.syscall(Uring.SYS_ENTER, ringFd, toSubmit, 0, Uring.ENTER_GETEVENTS, 0, 0);
        } else {
            Uring.timespec(enterArg, Uring.GETEVENTS_ARG_SIZE, waitNanos);
            r = sys.syscall(Uring.SYS_ENTER, ringFd, toSubmit, Uring.passMinComplete(inFlight, batchNanos, rings.p.cqEntries()),
                    Uring.ENTER_GETEVENTS | Uring.ENTER_EXT_ARG, enterArgAddress, Uring.GETEVENTS_ARG_SIZE);
        }
        int err = r < 0 ? errno() : 0;
        now = thread.tick();
        startDue(); // before the completions: a start waits for none of their handling
        if (r < 0 && err != Uring.ETIME && err != Uring.EINTR && err != Uring.EBUSY && err != Uring.EAGAIN) {
            log.warn("health prober loop: io_uring_enter: {}", strerror(err));
        }
        passNow = now;
        rings.reap(onCompletion);
        return now;
    }

    @Override
    void start(Probe p, long now) {
        p.start = now;
        p.deadline = now + p.def.connectTimeout().toNanos();
        try {
            p.target = prepare(p.def);
        } catch (UnknownHostException | RuntimeException e) {
            finish(p, Failures.of(e, 0));
            return;
        }
        boolean http = p.def.type() == CheckType.HTTP_GET;
        if (!room(http ? 3 : 1)) {
            finish(p, CheckResult.fail(Reason.ERROR, "io_uring submission queue full", 0));
            return;
        }
        Prepared t = p.target;
        int fd = sys.socket(t.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            failErrno(p, errno(), now);
            return;
        }
        p.fd = fd;
        if (http && sys.setsockopt(fd, SOL_SOCKET, SO_LINGER, lingerAddress, 8) < 0) {
            failErrno(p, errno(), now);
            return;
        }
        if (t.bindSockaddr() != null && sys.bind(fd, t.bindAddress(), t.bindSockaddr().capacity()) < 0) {
            failErrno(p, errno(), now);
            return;
        }
        int slot = allocate(p);
        if (slot < 0) {
            failErrno(p, errno(), now);
            return;
        }
        long connectData = Uring.userData(Uring.KIND_CONNECT, p.generation, slot);
        if (http) {
            long io = Uring.userData(Uring.KIND_IO, p.generation, slot);
            int link = Uring.SQE_IO_LINK | Uring.SQE_CQE_SKIP_SUCCESS;
            Uring.connect(rings.sqes, rings.nextSqe(), link, fd, t.sockaddrAddress(), t.sockaddr().capacity(), connectData);
            Uring.send(rings.sqes, rings.nextSqe(), link, fd, t.requestAddress(), t.requestLength(), MSG_NOSIGNAL | MSG_WAITALL, io);
            Uring.recv(rings.sqes, rings.nextSqe(), 0, fd, bufferAddress(slot), RECV_SIZE, io);
            p.response = new HttpResponse();
        } else {
            Uring.connect(rings.sqes, rings.nextSqe(), 0, fd, t.sockaddrAddress(), t.sockaddr().capacity(), connectData);
        }
        p.outstanding = true;
        live++;
        deadlines.add(p);
    }

    /** A free slot for {@code p} (the lowest), mapping another chunk if none is free; -1 (errno set) when that fails. */
    private int allocate(Probe p) {
        int slot = freeSlots.nextSetBit(0);
        if (slot < 0) {
            int c = chunks.size();
            long bytes = (long) SLOTS_PER_CHUNK * RECV_SIZE;
            long address = sys.syscall(sysMmap, 0, bytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
            if (address == -1) {
                return -1;
            }
            chunks.add(memory.newDirectByteBuffer(address, (int) bytes));
            chunkAddresses.add(address);
            mappedChunks = chunks.size();
            slot = c * SLOTS_PER_CHUNK;
            int to = slot + SLOTS_PER_CHUNK;
            if (slots.length < to) {
                slots = Arrays.copyOf(slots, to);
                generations = Arrays.copyOf(generations, to);
                usedInChunk = Arrays.copyOf(usedInChunk, c + 1);
            }
            freeSlots.set(slot, to);
        }
        freeSlots.clear(slot);
        usedInChunk[slot / SLOTS_PER_CHUNK]++;
        slots[slot] = p;
        p.slot = slot;
        p.generation = generations[slot];
        return slot;
    }

    /** Gives a slot back (nothing of its attempt is in flight) and unmaps the chunks at the top that emptied out. */
    private void release(int slot) {
        slots[slot] = null;
        generations[slot] = (generations[slot] + 1) & 0xffffff;
        freeSlots.set(slot);
        usedInChunk[slot / SLOTS_PER_CHUNK]--;
        for (int last = chunks.size() - 1; last >= 1 && usedInChunk[last] == 0 && usedInChunk[last - 1] == 0; last--) {
            sys.syscall(sysMunmap, chunkAddresses.remove(last), (long) SLOTS_PER_CHUNK * RECV_SIZE, 0, 0, 0, 0);
            chunks.remove(last);
            freeSlots.clear(last * SLOTS_PER_CHUNK, (last + 1) * SLOTS_PER_CHUNK);
        }
        mappedChunks = chunks.size();
    }

    /** Receive-buffer chunks mapped now (tests). */
    int mappedChunks() {
        return mappedChunks;
    }

    private long bufferAddress(int slot) {
        return chunkAddresses.get(slot / SLOTS_PER_CHUNK) + (long) (slot % SLOTS_PER_CHUNK) * RECV_SIZE;
    }

    private Prepared prepare(CheckDefinition def) throws UnknownHostException {
        Prepared t = prepared.get(def);
        if (t != null) {
            return t;
        }
        // the address is a literal (validated): getByName does not resolve it
        InetAddress to = InetAddress.getByName(def.address());
        InetAddress from = def.bindTo() == null ? null : InetAddress.getByName(def.bindTo());
        int family = to instanceof Inet4Address ? NativeProber.AF_INET : NativeProber.AF_INET6;
        ByteBuffer sa = direct(NativeProber.sockaddr(to, def.port()));
        ByteBuffer bind = from == null ? null : direct(NativeProber.sockaddr(from, 0));
        ByteBuffer request = def.type() == CheckType.HTTP_GET ? direct(HttpResponse.request(def)) : null;
        t = new Prepared(family, sa, memory.getDirectBufferAddress(sa), bind, bind == null ? 0 : memory.getDirectBufferAddress(bind),
                request, request == null ? 0 : memory.getDirectBufferAddress(request), request == null ? 0 : request.capacity());
        if (prepared.size() > 100_000) {
            prepared.clear();
        }
        prepared.put(def, t);
        return t;
    }

    private static ByteBuffer direct(byte[] b) {
        ByteBuffer d = ByteBuffer.allocateDirect(b.length);
        d.put(0, b);
        return d;
    }

    /** A completion: the attempt's, the eventfd's, or a close's or cancel's failure. */
    private void complete(long userData, int res, long now) {
        int kind = Uring.kind(userData);
        if (kind == Uring.KIND_WAKE) {
            if (running) {
                armWake();
            }
            return;
        }
        if (kind != Uring.KIND_IO && kind != Uring.KIND_CONNECT) {
            return; // a close or cancel that failed: the attempt's own completion tells what happened
        }
        int slot = Uring.slot(userData);
        Probe p = slot >= 0 && slot < slots.length ? slots[slot] : null;
        if (p == null || p.generation != Uring.generation(userData) || !p.outstanding) {
            return;
        }
        p.outstanding = false;
        boolean http = p.def.type() == CheckType.HTTP_GET;
        long took = now - p.start;
        switch (Uring.outcome(kind, res, http, p.expired)) {
            case CONNECTED -> finish(p, CheckResult.ok(took));
            case DATA -> {
                ByteBuffer chunk = chunks.get(slot / SLOTS_PER_CHUNK);
                chunk.get((slot % SLOTS_PER_CHUNK) * RECV_SIZE, readBytes, 0, res);
                p.response.feed(readBytes, 0, res);
                if (p.response.decided(p.def)) {
                    finish(p, p.response.verdict(p.def, false, took));
                } else {
                    int at = sqe();
                    if (at < 0) {
                        finish(p, CheckResult.fail(Reason.ERROR, "io_uring submission queue full", took));
                        return;
                    }
                    Uring.recv(rings.sqes, at, 0, p.fd, bufferAddress(slot), RECV_SIZE, Uring.userData(Uring.KIND_IO, p.generation, slot));
                    p.outstanding = true;
                }
            }
            case END -> finish(p, p.response.verdict(p.def, true, took));
            case CONNECT_FAILED, IO_FAILED -> failErrno(p, -res, now);
            case TIMEOUT_CONNECTING, TIMEOUT_CONNECTED -> {
                String what = kind == Uring.KIND_CONNECT ? "no connection" : "no complete response";
                finish(p, CheckResult.fail(Reason.TIMEOUT, what + " within " + p.def.connectTimeout().toMillis() + " ms",
                        p.expiredAt - p.start));
            }
        }
    }

    /** Attempts past their deadline: their request in flight is cancelled (again, until its completion is in). */
    private void expire(long now) {
        while (!deadlines.isEmpty()) {
            Probe p = deadlines.peek();
            if (p.done || !p.outstanding) {
                deadlines.poll();
                continue;
            }
            if (p.deadline > now) {
                return;
            }
            deadlines.poll();
            if (!p.expired) {
                p.expired = true;
                p.expiredAt = now;
            }
            // one of the two is in flight: the chain's head (connect) or a later request (send, recv)
            if (room(2)) {
                int skip = Uring.SQE_CQE_SKIP_SUCCESS;
                Uring.cancel(rings.sqes, rings.nextSqe(), skip, Uring.userData(Uring.KIND_CONNECT, p.generation, p.slot),
                        Uring.userData(Uring.KIND_CANCEL, p.generation, p.slot));
                Uring.cancel(rings.sqes, rings.nextSqe(), skip, Uring.userData(Uring.KIND_IO, p.generation, p.slot),
                        Uring.userData(Uring.KIND_CANCEL, p.generation, p.slot));
            }
            p.deadline = now + CANCEL_RETRY_NANOS;
            deadlines.add(p);
        }
    }

    private void failErrno(Probe p, int errno, long now) {
        finish(p, CheckResult.fail(NativeProber.reason(errno), strerror(errno), now - p.start));
    }

    /** Completes the attempt and gives back its socket (closed by the ring) and its slot; nothing of it is in flight. */
    private void finish(Probe p, CheckResult r) {
        if (p.done) {
            return;
        }
        p.done = true;
        if (p.slot >= 0) {
            release(p.slot);
            p.slot = -1;
            live--;
        }
        if (p.fd >= 0) {
            int at = sqe();
            if (at >= 0) {
                Uring.close(rings.sqes, at, Uring.SQE_CQE_SKIP_SUCCESS, p.fd, Uring.userData(Uring.KIND_CLOSE, 0, 0));
            } else {
                sys.close(p.fd);
            }
            p.fd = -1;
        }
        complete(p, r);
    }

    @Override
    public void close() {
        if (stopLoop() && claimFds()) {
            // closing the ring cancels what is in flight; then the sockets it used are closed here
            closeRing();
            for (Probe q : slots) {
                if (q != null && !q.done) {
                    if (q.fd >= 0) {
                        sys.close(q.fd);
                        q.fd = -1;
                    }
                    q.done = true;
                    q.future.complete(Prober.stopped());
                }
            }
            if (wakeFd >= 0) {
                sys.close(wakeFd);
            }
            for (long a : chunkAddresses) {
                sys.syscall(sysMunmap, a, (long) SLOTS_PER_CHUNK * RECV_SIZE, 0, 0, 0, 0);
            }
            chunkAddresses.clear();
            chunks.clear();
            mappedChunks = 0;
        }
    }
}
