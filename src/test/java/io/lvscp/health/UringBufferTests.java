package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.lvscp.common.CheckType;
import io.lvscp.health.CheckResult.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The io_uring prober's receive buffers against real servers on 127.0.0.1: chunks are mapped while attempts are in
 * flight and unmapped when they end. Like {@link ProberTests}, it fails (never skips) where io_uring cannot run.
 */
class UringBufferTests {

    HttpServer http;
    int httpPort;
    final LocalServers servers = new LocalServers();
    Prober prober;

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        http.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 2);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("ok".getBytes());
            }
        });
        http.start();
        httpPort = http.getAddress().getPort();
        prober = new Prober(4, null, "uring");
        assertThat(prober.connectProberKind()).as("lvs.health.prober=uring runs the io_uring prober").isEqualTo("uring");
    }

    @AfterEach
    void stop() {
        prober.close();
        http.stop(0);
        servers.close();
    }

    static CheckDefinition http(int port, Duration timeout) {
        return new CheckDefinition(CheckType.HTTP_GET, "127.0.0.1", port, null, "/", null, null, null,
                false, null, timeout, null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
    }

    boolean ok() throws Exception {
        return prober.probe(http(httpPort, Duration.ofMillis(800))).get(10, TimeUnit.SECONDS).ok();
    }

    @Test
    void theReceiveBuffersOfABurstAreGivenBackWhenItEnds() throws Exception {
        assertThat(ok()).isTrue();
        assertThat(prober.uringBufferChunks()).isEqualTo(1); // one attempt at a time: one chunk of 64 slots
        CheckDefinition slow = http(servers.hanging(), Duration.ofSeconds(3));
        List<CompletableFuture<CheckResult>> burst = new ArrayList<>();
        for (int k = 0; k < 300; k++) { // 300 attempts in flight at once: 5 chunks
            burst.add(prober.probe(slow));
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (prober.uringBufferChunks() < 5 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(prober.uringBufferChunks()).as("chunks while 300 attempts are in flight").isEqualTo(5);
        for (CompletableFuture<CheckResult> f : burst) {
            assertThat(f.get(10, TimeUnit.SECONDS).reason()).isEqualTo(Reason.TIMEOUT);
        }
        // after the burst, one attempt at a time again: the lowest chunk only (an empty one is kept above the highest in use)
        assertThat(ok()).isTrue();
        assertThat(prober.uringBufferChunks()).isEqualTo(1);
        for (int k = 0; k < 200; k++) {
            assertThat(ok()).isTrue();
        }
        assertThat(prober.uringBufferChunks()).isEqualTo(1);
    }
}
