package io.lvscp.health;

import io.lvscp.health.CheckResult.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * SSL_GET on a bounded pool of threads with blocking sockets: connect, TLS handshake
 * (SNI from the virtual host; certificate and host name verified only when asked),
 * request and response, all within {@code connect_timeout}. A server that hangs holds
 * one pool thread until that deadline; the plain HTTP and TCP checks do not use this
 * pool, so they never wait for it.
 */
final class TlsProber {

    private final ExecutorService pool;
    private final SSLContext verifying;
    private final SSLContext trustAll;

    /**
     * @param verifying the context for {@code tlsVerify} checks (the JDK's default trust store in the service)
     */
    TlsProber(ExecutorService pool, SSLContext verifying) {
        this.pool = pool;
        this.verifying = verifying;
        this.trustAll = trustAll();
    }

    CompletableFuture<CheckResult> probe(CheckDefinition def) {
        try {
            return CompletableFuture.supplyAsync(() -> run(def), pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(CheckResult.fail(Reason.ERROR, "prober stopped", 0));
        }
    }

    CheckResult run(CheckDefinition def) {
        long start = System.nanoTime();
        long deadline = start + def.connectTimeout().toNanos();
        try (Socket raw = new Socket()) {
            if (def.bindTo() != null) {
                raw.bind(new InetSocketAddress(InetAddress.getByName(def.bindTo()), 0));
            }
            raw.setTcpNoDelay(true);
            raw.connect(new InetSocketAddress(InetAddress.getByName(def.address()), def.port()), remainingMillis(deadline));
            String peer = def.virtualhost() != null ? def.virtualhost() : def.address();
            SSLContext ctx = def.tlsVerify() ? verifying : trustAll;
            try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, peer, def.port(), true)) {
                SSLParameters params = tls.getSSLParameters();
                if (def.virtualhost() != null) {
                    params.setServerNames(List.of(new SNIHostName(def.virtualhost())));
                }
                if (def.tlsVerify()) {
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                }
                tls.setSSLParameters(params);
                tls.setSoTimeout(remainingMillis(deadline));
                tls.startHandshake();
                OutputStream out = tls.getOutputStream();
                out.write(HttpResponse.request(def));
                out.flush();
                InputStream in = tls.getInputStream();
                HttpResponse response = new HttpResponse();
                byte[] b = new byte[16 * 1024];
                while (true) {
                    tls.setSoTimeout(remainingMillis(deadline));
                    int n;
                    try {
                        n = in.read(b);
                    } catch (SocketTimeoutException e) {
                        return CheckResult.fail(Reason.TIMEOUT, "no complete response within " + def.connectTimeout().toMillis() + " ms",
                                System.nanoTime() - start);
                    }
                    if (n < 0) {
                        return response.verdict(def, true, System.nanoTime() - start);
                    }
                    response.feed(b, 0, n);
                    if (response.decided(def)) {
                        return response.verdict(def, false, System.nanoTime() - start);
                    }
                }
            }
        } catch (SocketTimeoutException e) {
            return CheckResult.fail(Reason.TIMEOUT, e.getMessage(), System.nanoTime() - start);
        } catch (IOException | RuntimeException e) {
            return Failures.of(e, System.nanoTime() - start);
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
