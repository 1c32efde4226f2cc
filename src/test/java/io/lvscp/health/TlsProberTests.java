package io.lvscp.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.CheckType;
import io.lvscp.health.CheckResult.Reason;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SSL_GET against a TLS server on 127.0.0.1 with a self-signed certificate made by
 * keytool in the test (names: localhost and 127.0.0.1).
 */
class TlsProberTests {

    @TempDir
    static Path dir;

    static SSLContext serverContext;
    static SSLContext trustingOurCert;
    static SSLServerSocket server;
    static final List<String> sni = new CopyOnWriteArrayList<>();
    static final List<String> hosts = new CopyOnWriteArrayList<>();
    static Prober prober;

    @BeforeAll
    static void start() throws Exception {
        Path ks = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext",
                "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass",
                "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        trustingOurCert = SSLContext.getInstance("TLS");
        trustingOurCert.init(null, tmf.getTrustManagers(), null);

        server = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    SSLSocket s = (SSLSocket) server.accept();
                    Thread w = new Thread(() -> answer(s));
                    w.setDaemon(true);
                    w.start();
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        prober = new Prober(2, trustingOurCert);
    }

    static void answer(SSLSocket s) {
        try (s) {
            s.setSoTimeout(5000);
            s.startHandshake();
            List<SNIServerName> names = ((ExtendedSSLSession) s.getSession()).getRequestedServerNames();
            sni.add(names.isEmpty() ? "" : ((SNIHostName) names.get(0)).getAsciiName());
            String req = LocalServers.readRequest(s);
            String host = req.lines().filter(l -> l.startsWith("Host: ")).findFirst().orElse("Host: ?").substring(6);
            hosts.add(host);
            boolean ok = req.startsWith("GET /ok ");
            String body = "secure";
            OutputStream out = s.getOutputStream();
            out.write(((ok ? "HTTP/1.1 200 OK" : "HTTP/1.1 404 Not Found") + "\r\nContent-Length: " + body.length()
                    + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (Exception e) {
            // the client went away (a failed verification)
        }
    }

    @AfterAll
    static void stop() throws Exception {
        prober.close();
        server.close();
    }

    static CheckDefinition ssl(String path, String vhost, boolean verify) {
        return new CheckDefinition(CheckType.SSL_GET, "127.0.0.1", server.getLocalPort(), null, path, null,
                HttpResponse.md5("secure".getBytes(StandardCharsets.UTF_8)), vhost, verify, null, Duration.ofSeconds(3), null, 0,
                Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
    }

    CheckResult run(CheckDefinition d) throws Exception {
        return prober.probe(d).get(10, TimeUnit.SECONDS);
    }

    @Test
    void withoutVerificationASelfSignedServerIsFine() throws Exception {
        CheckResult r = run(ssl("/ok", null, false));
        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(sni).last().as("no SNI for an IP address").isEqualTo("");
        assertThat(hosts).last().isEqualTo("127.0.0.1:" + server.getLocalPort());
        assertThat(run(ssl("/missing", null, false)).reason()).isEqualTo(Reason.BAD_STATUS);
    }

    @Test
    void theVirtualHostIsTheSniAndTheHostHeader() throws Exception {
        CheckResult r = run(ssl("/ok", "localhost", true));
        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(sni).last().isEqualTo("localhost");
        assertThat(hosts).last().isEqualTo("localhost");
    }

    @Test
    void verificationRefusesAWrongNameOrAnUntrustedCertificate() throws Exception {
        CheckResult wrongName = run(ssl("/ok", "www.example.org", true));
        assertThat(wrongName.reason()).as(wrongName.describe()).isEqualTo(Reason.TLS);
        Prober jdkTrust = Prober.withDefaultTrust(1);
        try {
            CheckResult untrusted = jdkTrust.probe(ssl("/ok", "localhost", true)).get(10, TimeUnit.SECONDS);
            assertThat(untrusted.reason()).as(untrusted.describe()).isEqualTo(Reason.TLS);
            assertThat(jdkTrust.probe(ssl("/ok", "www.example.org", false)).get(10, TimeUnit.SECONDS).ok())
                    .as("verification off: any name, any issuer").isTrue();
        } finally {
            jdkTrust.close();
        }
    }

    @Test
    void plainHttpAgainstTlsIsNotAnHttpAnswer() throws Exception {
        CheckDefinition plain = new CheckDefinition(CheckType.HTTP_GET, "127.0.0.1", server.getLocalPort(), null, "/ok", null, null,
                null, false, null, Duration.ofSeconds(2), null, 0, Duration.ZERO, Duration.ofSeconds(1), false, 1, 1);
        CheckResult r = run(plain);
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).as(r.describe()).isIn(Reason.GARBAGE, Reason.RESET, Reason.TIMEOUT);
    }
}
