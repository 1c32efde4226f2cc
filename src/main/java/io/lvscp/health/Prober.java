package io.lvscp.health;

import io.lvscp.health.CheckResult.Reason;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Runs one attempt of any check type: HTTP_GET and TCP_CHECK on one selector thread,
 * SSL_GET on a bounded pool of blocking threads, MISC_CHECK as a child process. Every
 * attempt ends by its deadline.
 */
public class Prober implements AutoCloseable {

    private final NioProber nio;
    private final ExecutorService blocking;
    private final ScheduledExecutorService timer;
    private final TlsProber tls;
    private final MiscProber misc;

    /**
     * @param blockingThreads threads for SSL_GET attempts and for starting MISC_CHECK commands
     * @param verifying       trust for SSL_GET checks that verify (the JDK's default in the service)
     */
    public Prober(int blockingThreads, SSLContext verifying) {
        this.nio = new NioProber();
        AtomicInteger n = new AtomicInteger();
        this.blocking = new ThreadPoolExecutor(blockingThreads, blockingThreads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> daemon(r, "health-blocking-" + n.incrementAndGet()));
        ((ThreadPoolExecutor) blocking).allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "health-timer"));
        this.tls = new TlsProber(blocking, verifying);
        this.misc = new MiscProber(blocking, timer);
    }

    /** With the JDK's default trust store for verifying SSL_GET checks. */
    public static Prober withDefaultTrust(int blockingThreads) {
        try {
            return new Prober(blockingThreads, SSLContext.getDefault());
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
            case HTTP_GET, TCP_CHECK -> nio.probe(def);
            case SSL_GET -> tls.probe(def);
            case MISC_CHECK -> misc.probe(def);
            case NONE -> CompletableFuture.completedFuture(CheckResult.ok(0));
        };
        return f.exceptionally(e -> Failures.of(e.getCause() != null ? e.getCause() : e, 0));
    }

    @Override
    public void close() {
        nio.close();
        blocking.shutdownNow();
        timer.shutdownNow();
    }

    static CheckResult stopped() {
        return CheckResult.fail(Reason.ERROR, "prober stopped", 0);
    }
}
