package io.lvscp.health;

import io.lvscp.common.CheckType;
import io.lvscp.health.CheckResult.Reason;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP_CHECK and HTTP_GET on one thread that calls libc directly (jnr-ffi): an epoll loop with
 * the fewest system calls per attempt, for the lab kernel (User-mode Linux) where each system
 * call and each clock read is a round trip through the host. Per HTTP_GET attempt:
 * {@code socket} (non-blocking, close-on-exec at once), {@code connect}, one
 * {@code epoll_ctl} (edge-triggered, in and out at once), {@code sendto} of the request,
 * {@code read} until the verdict is decided, {@code setsockopt(SO_LINGER 0)} and {@code close}
 * (which leaves the epoll set by itself); {@code getsockopt(SO_ERROR)} only when epoll reports
 * an error. One {@code epoll_wait} and one clock read per loop pass serve every attempt in it.
 *
 * <p>With {@link #drive} the loop also runs the schedule ({@link HealthDriver}): once per pass, right after
 * its clock read and before its socket events, it starts the checks that are due, and it waits in
 * {@code epoll_wait} until the next one at most; an attempt started on
 * the loop thread starts at once, without the queue and the eventfd wake-up another thread's needs. Whatever
 * runs on the loop thread reads the pass's time ({@link LoopTime}) instead of the clock.
 *
 * <p>The same semantics as {@link NioProber}: the attempt's deadline is {@code connect_timeout}
 * for connect, request and response, counted from when the loop starts it; an HTTP_GET
 * connection is reset on close once connected (SO_LINGER 0), a TCP_CHECK one closes normally;
 * the same verdicts ({@link HttpResponse}) and the same failure reasons.
 */
final class NativeProber extends LoopProber<NativeProber.Probe> {

    private static final Logger log = LoggerFactory.getLogger(NativeProber.class);

    /** The calls of the loop; Pointer arguments are direct memory the loop owns. */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int bind(int fd, Pointer addr, int len);

        int connect(int fd, Pointer addr, int len);

        int epoll_create1(int flags);

        int epoll_ctl(int epfd, int op, int fd, Pointer event);

        int epoll_wait(int epfd, Pointer events, int maxEvents, int timeoutMillis);

        int eventfd(int initval, int flags);

        @ssize_t long sendto(int fd, Pointer buf, @size_t long len, int flags, Pointer addr, int addrlen);

        @ssize_t long read(int fd, Pointer buf, @size_t long len);

        @ssize_t long write(int fd, Pointer buf, @size_t long len);

        int getsockopt(int fd, int level, int name, Pointer value, Pointer len);

        int setsockopt(int fd, int level, int name, Pointer value, int len);

        int close(int fd);

        String strerror(int errno);
    }

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 04000;
    static final int SOCK_CLOEXEC = 02000000;
    static final int SOL_SOCKET = 1;
    static final int SO_ERROR = 4;
    static final int SO_LINGER = 13;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EINPROGRESS = 115;
    static final int EPIPE = 32;
    static final int ENETUNREACH = 101;
    static final int ECONNRESET = 104;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;

    private static final int MAX_EVENTS = 1024;
    private static final int READ_SIZE = 64 * 1024;
    private static final int WAKE_FD_SLOT = -1;

    /** An attempt; its fields are the loop thread's. */
    static final class Probe extends Attempt {
        Prepared target;
        int fd = -1;
        boolean connected;
        int written;
        HttpResponse response;

        Probe(CheckDefinition def) {
            super(def);
        }
    }

    /** What an attempt of a definition sends and where, built once per definition. */
    private record Prepared(int family, byte[] sockaddr, byte[] bindSockaddr, byte[] request) {
    }

    private final LibC libc;
    private final Runtime runtime;
    private final int epfd;
    private final int wakeFd;
    private final int eventSize;
    private final int dataOffset;
    private final Pointer events;
    private final Pointer ctlEvent;
    private final Pointer addr;
    private final Pointer out;
    private final Pointer in;
    private final Pointer intValue;
    private final Pointer intLength;
    private final Pointer linger;
    private final Pointer wakeValue;
    private final byte[] readBytes = new byte[READ_SIZE];
    private final Map<CheckDefinition, Prepared> prepared = new HashMap<>();
    private Probe[] byFd = new Probe[1024];

    /** Loads libc and starts the loop; throws where that is not possible (not Linux, no libc, no epoll). */
    NativeProber() {
        super(log, "health-native", true);
        Platform p = Platform.getNativePlatform();
        if (p.getOS() != Platform.OS.LINUX) {
            throw new UnsupportedOperationException("not Linux: " + p.getOS());
        }
        if (p.getCPU() == Platform.CPU.X86_64) {
            eventSize = 12; // struct epoll_event is packed on x86_64
            dataOffset = 4;
        } else if (p.getCPU() == Platform.CPU.AARCH64) {
            eventSize = 16;
            dataOffset = 8;
        } else {
            throw new UnsupportedOperationException("no epoll_event layout for " + p.getCPU());
        }
        libc = LibraryLoader.create(LibC.class).option(LibraryOption.SaveError, true).load("c");
        runtime = Runtime.getRuntime(libc);
        epfd = libc.epoll_create1(SOCK_CLOEXEC);
        if (epfd < 0) {
            throw new IllegalStateException("epoll_create1: " + libc.strerror(runtime.getLastError()));
        }
        wakeFd = libc.eventfd(0, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (wakeFd < 0) {
            int e = runtime.getLastError();
            libc.close(epfd);
            throw new IllegalStateException("eventfd: " + libc.strerror(e));
        }
        events = Memory.allocateDirect(runtime, MAX_EVENTS * eventSize);
        ctlEvent = Memory.allocateDirect(runtime, 16);
        addr = Memory.allocateDirect(runtime, 28);
        out = Memory.allocateDirect(runtime, 4096);
        in = Memory.allocateDirect(runtime, READ_SIZE);
        intValue = Memory.allocateDirect(runtime, 8);
        intLength = Memory.allocateDirect(runtime, 8);
        linger = Memory.allocateDirect(runtime, 8);
        linger.putInt(0, 1); // l_onoff 1, l_linger 0: close resets
        linger.putInt(4, 0);
        wakeValue = Memory.allocateDirect(runtime, 8);
        wakeValue.putLong(0, 1);
        // edge-triggered: every write to the eventfd is a new edge, so the loop never needs to read it
        ctlEvent.putInt(0, EPOLLIN | EPOLLET);
        ctlEvent.putLong(dataOffset, WAKE_FD_SLOT & 0xffffffffL);
        if (libc.epoll_ctl(epfd, EPOLL_CTL_ADD, wakeFd, ctlEvent) < 0) {
            int e = runtime.getLastError();
            libc.close(wakeFd);
            libc.close(epfd);
            throw new IllegalStateException("epoll_ctl: " + libc.strerror(e));
        }
        startLoop();
    }

    @Override
    public String kind() {
        return "native";
    }

    @Override
    Probe attempt(CheckDefinition def) {
        return new Probe(def);
    }

    /** One write to the eventfd; never after close() closed it (its number may belong to another file by then). */
    @Override
    void wake() {
        synchronized (wakeLock) {
            if (!fdsClosed) {
                libc.write(wakeFd, wakeValue, 8);
            }
        }
    }

    /**
     * One clock read per pass: every start, duration and deadline of the pass uses it, and so does whatever else
     * runs on this thread in the pass (LoopTime).
     */
    @Override
    long pass(long now) {
        expire(now);
        long waitNanos = waitNanos(now);
        int timeoutMs = waitNanos <= 0 ? 0 : (int) Math.min(1000, (waitNanos + 999_999) / 1_000_000);
        int n = libc.epoll_wait(epfd, events, MAX_EVENTS, timeoutMs);
        int err = n < 0 ? runtime.getLastError() : 0;
        now = thread.tick();
        startDue(); // before the events: a start waits for none of their handling
        if (n < 0) {
            if (err != EINTR) {
                log.warn("health prober loop: epoll_wait: {}", libc.strerror(err));
            }
            return now;
        }
        for (int i = 0; i < n; i++) {
            int ev = events.getInt((long) i * eventSize);
            int slot = events.getInt((long) i * eventSize + dataOffset);
            if (slot == WAKE_FD_SLOT) {
                continue; // submitted attempts start at the top of the pass
            }
            Probe p = slot >= 0 && slot < byFd.length ? byFd[slot] : null;
            if (p != null && !p.done) {
                handle(p, ev, now);
            }
        }
        return now;
    }

    @Override
    void start(Probe p, long now) {
        p.start = now;
        p.deadline = now + p.def.connectTimeout().toNanos();
        try {
            p.target = prepare(p.def);
        } catch (UnknownHostException | RuntimeException e) {
            finish(p, Failures.of(e, 0), now);
            return;
        }
        int fd = libc.socket(p.target.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            failErrno(p, "socket", runtime.getLastError(), now);
            return;
        }
        p.fd = fd;
        if (p.target.bindSockaddr() != null) {
            addr.put(0, p.target.bindSockaddr(), 0, p.target.bindSockaddr().length);
            if (libc.bind(fd, addr, p.target.bindSockaddr().length) < 0) {
                failErrno(p, "bind", runtime.getLastError(), now);
                return;
            }
        }
        addr.put(0, p.target.sockaddr(), 0, p.target.sockaddr().length);
        int r = libc.connect(fd, addr, p.target.sockaddr().length);
        if (r < 0) {
            int e = runtime.getLastError();
            if (e != EINPROGRESS) {
                failErrno(p, "connect", e, now);
                return;
            }
        }
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(byFd.length * 2, fd + 1));
        }
        byFd[fd] = p;
        live++;
        deadlines.add(p);
        ctlEvent.putInt(0, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
        ctlEvent.putLong(dataOffset, fd & 0xffffffffL);
        if (libc.epoll_ctl(epfd, EPOLL_CTL_ADD, fd, ctlEvent) < 0) {
            failErrno(p, "epoll_ctl", runtime.getLastError(), now);
            return;
        }
        if (r == 0) {
            connected(p, 0, now);
        }
    }

    private Prepared prepare(CheckDefinition def) throws UnknownHostException {
        Prepared t = prepared.get(def);
        if (t != null) {
            return t;
        }
        // the address is a literal (validated): getByName does not resolve it
        InetAddress to = InetAddress.getByName(def.address());
        InetAddress from = def.bindTo() == null ? null : InetAddress.getByName(def.bindTo());
        int family = to instanceof Inet4Address ? AF_INET : AF_INET6;
        byte[] request = def.type() == CheckType.HTTP_GET ? HttpResponse.request(def) : null;
        t = new Prepared(family, sockaddr(to, def.port()), from == null ? null : sockaddr(from, 0), request);
        if (prepared.size() > 100_000) {
            prepared.clear();
        }
        prepared.put(def, t);
        return t;
    }

    /** struct sockaddr_in or sockaddr_in6 (family in host order, port in network order). */
    static byte[] sockaddr(InetAddress a, int port) {
        byte[] raw = a.getAddress();
        if (a instanceof Inet4Address) {
            byte[] s = new byte[16];
            s[0] = AF_INET;
            s[2] = (byte) (port >> 8);
            s[3] = (byte) port;
            System.arraycopy(raw, 0, s, 4, 4);
            return s;
        }
        byte[] s = new byte[28];
        s[0] = AF_INET6;
        s[2] = (byte) (port >> 8);
        s[3] = (byte) port;
        System.arraycopy(raw, 0, s, 8, 16);
        int scope = ((Inet6Address) a).getScopeId();
        s[24] = (byte) scope;
        s[25] = (byte) (scope >> 8);
        s[26] = (byte) (scope >> 16);
        s[27] = (byte) (scope >> 24);
        return s;
    }

    private void handle(Probe p, int ev, long now) {
        if (!p.connected) {
            if ((ev & EPOLLERR) != 0 || ((ev & EPOLLHUP) != 0 && (ev & EPOLLOUT) == 0)) {
                int e = socketError(p.fd);
                failErrno(p, "connect", e == 0 ? ECONNREFUSED : e, now);
                return;
            }
            if ((ev & EPOLLOUT) == 0) {
                return;
            }
            connected(p, ev, now);
            return;
        }
        if ((ev & EPOLLOUT) != 0 && p.response != null && p.written < p.target.request().length) {
            if (!send(p, now)) {
                return;
            }
        }
        if ((ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
            read(p, ev, now);
        }
    }

    private int socketError(int fd) {
        intValue.putInt(0, 0);
        intLength.putInt(0, 4);
        if (libc.getsockopt(fd, SOL_SOCKET, SO_ERROR, intValue, intLength) < 0) {
            return runtime.getLastError();
        }
        return intValue.getInt(0);
    }

    private void connected(Probe p, int ev, long now) {
        p.connected = true;
        if (p.def.type() == CheckType.TCP_CHECK) {
            finish(p, CheckResult.ok(now - p.start), now);
            return;
        }
        p.response = new HttpResponse();
        if (!send(p, now)) {
            return;
        }
        // the server may already have answered (or closed): edge-triggered, this edge is the only report of it
        if ((ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
            read(p, ev, now);
        }
    }

    /** Sends what is left of the request; false when the attempt ended. */
    private boolean send(Probe p, long now) {
        byte[] request = p.target.request();
        while (p.written < request.length) {
            int chunk = (int) Math.min(out.size(), request.length - p.written);
            out.put(0, request, p.written, chunk);
            long n = libc.sendto(p.fd, out, chunk, MSG_NOSIGNAL, null, 0);
            if (n < 0) {
                int e = runtime.getLastError();
                if (e == EAGAIN) {
                    return true; // the rest on the next writable edge
                }
                failErrno(p, "write", e, now);
                return false;
            }
            p.written += (int) n;
        }
        return true;
    }

    private void read(Probe p, int ev, long now) {
        while (true) {
            long n = libc.read(p.fd, in, READ_SIZE);
            if (n < 0) {
                int e = runtime.getLastError();
                if (e == EAGAIN) {
                    return; // more on the next edge
                }
                if (e == EINTR) {
                    continue;
                }
                failErrno(p, "read", e, now);
                return;
            }
            if (n == 0) {
                finish(p, p.response.verdict(p.def, true, now - p.start), now, true);
                return;
            }
            in.get(0, readBytes, 0, (int) n);
            p.response.feed(readBytes, 0, (int) n);
            if (p.response.decided(p.def)) {
                finish(p, p.response.verdict(p.def, false, now - p.start), now, true);
                return;
            }
            if (n < READ_SIZE && (ev & EPOLLRDHUP) != 0) {
                // the peer's FIN was in before this read, and the read left the queue empty: the stream has ended
                finish(p, p.response.verdict(p.def, true, now - p.start), now, true);
                return;
            }
        }
    }

    private void expire(long now) {
        while (!deadlines.isEmpty()) {
            Probe p = deadlines.peek();
            if (p.done) {
                deadlines.poll();
                continue;
            }
            if (p.deadline > now) {
                return;
            }
            deadlines.poll();
            String what = p.connected ? "no complete response" : "no connection";
            finish(p, CheckResult.fail(Reason.TIMEOUT, what + " within " + p.def.connectTimeout().toMillis() + " ms", now - p.start),
                    now, p.def.type() == CheckType.HTTP_GET);
        }
    }

    private void failErrno(Probe p, String call, int errno, long now) {
        finish(p, CheckResult.fail(reason(errno), strerror(errno), now - p.start), now);
    }

    private String strerror(int errno) {
        String s = libc.strerror(errno);
        return s == null ? "errno " + errno : s;
    }

    /** The reason {@link Failures} gives the JDK's exception for the same errno. */
    static Reason reason(int errno) {
        return switch (errno) {
            case ECONNREFUSED -> Reason.REFUSED;
            case ECONNRESET, EPIPE -> Reason.RESET;
            case ETIMEDOUT -> Reason.TIMEOUT;
            case EHOSTUNREACH, ENETUNREACH -> Reason.UNREACHABLE;
            default -> Reason.ERROR;
        };
    }

    private void finish(Probe p, CheckResult r, long now) {
        finish(p, r, now, false);
    }

    /** Completes the attempt; {@code reset}: a connected socket closes with a RST (SO_LINGER 0) instead of a FIN. */
    private void finish(Probe p, CheckResult r, long now, boolean reset) {
        if (p.done) {
            return;
        }
        p.done = true;
        int fd = p.fd;
        if (fd >= 0) {
            if (fd < byFd.length && byFd[fd] == p) {
                byFd[fd] = null;
                live--;
            }
            if (reset && p.connected) {
                libc.setsockopt(fd, SOL_SOCKET, SO_LINGER, linger, 8);
            }
            libc.close(fd); // leaves the epoll set with it
            p.fd = -1;
        }
        complete(p, r);
    }

    @Override
    public void close() {
        if (stopLoop()) {
            for (Probe q : deadlines) {
                finish(q, Prober.stopped(), 0);
            }
            if (claimFds()) {
                libc.close(wakeFd);
                libc.close(epfd);
            }
        }
    }
}
