package io.lvscp.health;

import io.lvscp.health.CheckResult.Reason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of any check type: HTTP_GET and TCP_CHECK on one loop thread (an
 * io_uring ring, the native epoll loop or the {@code java.nio} selector, {@code lvs.health.prober}), SSL_GET
 * on a bounded pool of blocking threads, MISC_CHECK as a child process. Every attempt
 * ends by its deadline.
 */
public class Prober implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Prober.class);

    private final ConnectProber connect;
    private final ExecutorService blocking;
    private final ScheduledExecutorService timer;
    private final TlsProber tls;
    private final MiscProber misc;

    /**
     * @param blockingThreads threads for SSL_GET attempts and for starting MISC_CHECK commands
     * @param verifying       trust for SSL_GET checks that verify (the JDK's default in the service)
     */
    public Prober(int blockingThreads, SSLContext verifying) {
        this(blockingThreads, verifying, "auto");
    }

    /**
     * @param blockingThreads threads for SSL_GET attempts and for starting MISC_CHECK commands
     * @param verifying       trust for SSL_GET checks that verify (the JDK's default in the service)
     * @param connectProber   {@code lvs.health.prober}: auto, uring, native or nio (which runs HTTP_GET and TCP_CHECK)
     */
    public Prober(int blockingThreads, SSLContext verifying, String connectProber) {
        this(blockingThreads, verifying, connectProber, Duration.ZERO);
    }

    /**
     * @param blockingThreads threads for SSL_GET attempts and for starting MISC_CHECK commands
     * @param verifying       trust for SSL_GET checks that verify (the JDK's default in the service)
     * @param connectProber   {@code lvs.health.prober}: auto, uring, native or nio (which runs HTTP_GET and TCP_CHECK)
     * @param batch           {@code lvs.health.batch-interval}: the io_uring loop's pass interval while attempts are in
     *                        flight (zero: a pass per completion); the other probers do not batch
     */
    public Prober(int blockingThreads, SSLContext verifying, String connectProber, Duration batch) {
        this.connect = connectProber(ConnectProber.Choice.parse(connectProber), batch);
        AtomicInteger n = new AtomicInteger();
        this.blocking = new ThreadPoolExecutor(blockingThreads, blockingThreads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "health-blocking-" + n.incrementAndGet()));
        ((ThreadPoolExecutor) blocking).allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "health-timer"));
        this.tls = new TlsProber(blocking, verifying);
        this.misc = new MiscProber(blocking, timer);
    }

    private static ConnectProber connectProber(ConnectProber.Choice choice, Duration batch) {
        String asked = choice.name().toLowerCase(java.util.Locale.ROOT);
        String uringWhy = null;
        if (choice == ConnectProber.Choice.AUTO || choice == ConnectProber.Choice.URING) {
            try {
                ConnectProber p = new UringProber(batch);
                log.info("Health checks: HTTP_GET and TCP_CHECK on the io_uring loop (lvs.health.prober={}, lvs.health.batch-interval={} ms)",
                        asked, batch.toMillis());
                return p;
            } catch (RuntimeException | LinkageError e) {
                uringWhy = e.toString();
                if (choice == ConnectProber.Choice.URING) {
                    log.warn("Health checks: the io_uring prober cannot run here ({})", uringWhy);
                }
            }
        }
        if (choice != ConnectProber.Choice.NIO) {
            try {
                ConnectProber p = new NativeProber();
                if (uringWhy == null) {
                    log.info("Health checks: HTTP_GET and TCP_CHECK on the native epoll loop (lvs.health.prober={})", asked);
                } else {
                    log.info("Health checks: HTTP_GET and TCP_CHECK on the native epoll loop (lvs.health.prober={}; io_uring cannot run here: {})",
                            asked, uringWhy);
                }
                return p;
            } catch (RuntimeException | LinkageError e) {
                String why = e.toString() + (uringWhy == null ? "" : "; io_uring: " + uringWhy);
                if (choice != ConnectProber.Choice.AUTO) {
                    log.warn("Health checks: the native prober cannot run here ({}): HTTP_GET and TCP_CHECK on java.nio", why);
                } else {
                    log.info("Health checks: HTTP_GET and TCP_CHECK on java.nio (the native probers cannot run here: {})", why);
                }
                return new NioProber();
            }
        }
        log.info("Health checks: HTTP_GET and TCP_CHECK on java.nio (lvs.health.prober=nio)");
        return new NioProber();
    }

    /** The io_uring prober's receive-buffer chunks mapped now, or -1 when another prober runs (tests). */
    int uringBufferChunks() {
        return connect instanceof UringProber u ? u.mappedChunks() : -1;
    }

    /** Which prober runs HTTP_GET and TCP_CHECK: "uring", "native" or "nio". */
    public String connectProberKind() {
        return connect.kind();
    }

    /** {@link ConnectProber#drive}: whether this prober's loop runs {@code hook} once per pass (the native loop does). */
    boolean drive(ConnectProber.PassHook hook) {
        return connect.drive(hook);
    }

    /** {@link ConnectProber#wakeup}. */
    void wakeup() {
        connect.wakeup();
    }

    /** {@link ConnectProber#onLoopThread}. */
    boolean onLoopThread() {
        return connect.onLoopThread();
    }

    /** With the JDK's default trust store for verifying SSL_GET checks. */
    public static Prober withDefaultTrust(int blockingThreads) {
        return withDefaultTrust(blockingThreads, "auto", Duration.ZERO);
    }

    /** With the JDK's default trust store, HTTP_GET and TCP_CHECK on {@code connectProber}, the io_uring loop batched by {@code batch}. */
    public static Prober withDefaultTrust(int blockingThreads, String connectProber, Duration batch) {
        try {
            return new Prober(blockingThreads, SSLContext.getDefault(), connectProber, batch);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One attempt; the future never completes exceptionally. */
    public CompletableFuture<CheckResult> probe(CheckDefinition def) {
        CompletableFuture<CheckResult> f = switch (def.type()) {
            case HTTP_GET, TCP_CHECK -> connect.probe(def);
            case SSL_GET -> tls.probe(def);
            case MISC_CHECK -> misc.probe(def);
            case NONE -> CompletableFuture.completedFuture(CheckResult.ok(0));
        };
        return f.exceptionally(e -> Failures.of(e.getCause() != null ? e.getCause() : e, 0));
    }

    @Override
    public void close() {
        connect.close();
        blocking.shutdownNow();
        timer.shutdownNow();
    }

    static CheckResult stopped() {
        return CheckResult.fail(Reason.ERROR, "prober stopped", 0);
    }
}
