package io.lvscp.health;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Misbehaving servers on 127.0.0.1 for the checker tests; each answers every connection the same way. */
final class LocalServers implements AutoCloseable {

    private final List<ServerSocket> sockets = new ArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    final List<String> remoteAddresses = new CopyOnWriteArrayList<>();

    /** A server that runs {@code behaviour} on each accepted connection in its own thread. */
    int serve(Consumer<Socket> behaviour) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        sockets.add(ss);
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try {
                    Socket s = ss.accept();
                    held.add(s);
                    remoteAddresses.add(s.getInetAddress().getHostAddress());
                    Thread w = new Thread(() -> behaviour.accept(s), "local-server-conn");
                    w.setDaemon(true);
                    w.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "local-server-" + ss.getLocalPort());
        t.setDaemon(true);
        t.start();
        return ss.getLocalPort();
    }

    /** Accepts, reads the request, and never answers. */
    int hanging() throws IOException {
        return serve(s -> readRequest(s));
    }

    /** Reads the request and resets the connection (SO_LINGER 0). */
    int resetting() throws IOException {
        return serve(s -> {
            readRequest(s);
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException e) {
                // gone
            }
        });
    }

    /** Answers with bytes that are not HTTP. */
    int garbage() throws IOException {
        return raw("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
    }

    /** Answers every request with these bytes, then closes. */
    int raw(String response) throws IOException {
        return serve(s -> {
            readRequest(s);
            try (s) {
                OutputStream out = s.getOutputStream();
                out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // gone
            }
        });
    }

    /** A port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return ss.getLocalPort();
        }
    }

    static String readRequest(Socket s) {
        StringBuilder sb = new StringBuilder();
        try {
            InputStream in = s.getInputStream();
            int c;
            while ((c = in.read()) >= 0) {
                sb.append((char) c);
                if (sb.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (ServerSocket ss : sockets) {
            try {
                ss.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        for (Socket s : held) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
