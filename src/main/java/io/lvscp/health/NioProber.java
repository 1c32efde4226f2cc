package io.lvscp.health;

import io.lvscp.common.CheckType;
import io.lvscp.health.CheckResult.Reason;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP_CHECK and HTTP_GET without a thread per probe: one selector thread runs every
 * connection, each with its own deadline ({@code connect_timeout} for the whole
 * attempt: connect, request, response). A server that hangs costs a registered
 * channel until its deadline, nothing more.
 *
 * <p>Once an HTTP_GET exchange is over (the response decided, or the server closed) or
 * its deadline passed, the connection is closed with a reset (SO_LINGER 0), as
 * keepalived's checkers did before 2.0: no FIN and ACK from our side, and the server's
 * socket, already closed on its side after an HTTP/1.0 response, leaves FIN_WAIT or
 * TIME_WAIT at once instead of holding a TIME_WAIT slot for a minute per check. A
 * TCP_CHECK, which exchanges nothing, closes normally (a reset there would reach the
 * server's accept as an error).
 */
final class NioProber extends LoopProber<NioProber.Probe> {

    private static final Logger log = LoggerFactory.getLogger(NioProber.class);

    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] readBytes = new byte[64 * 1024];

    static final class Probe extends Attempt {
        SocketChannel channel;
        ByteBuffer out;
        HttpResponse response;

        Probe(CheckDefinition def) {
            super(def);
            start = System.nanoTime();
            deadline = start + def.connectTimeout().toNanos();
        }
    }

    NioProber() {
        super(log, "health-nio", false);
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector", e);
        }
        startLoop();
    }

    @Override
    public String kind() {
        return "nio";
    }

    @Override
    Probe attempt(CheckDefinition def) {
        return new Probe(def);
    }

    @Override
    void wake() {
        selector.wakeup();
    }

    /** Its own clock reads (the thread is not a pass's clock for others, see {@link LoopTime}). */
    @Override
    long pass(long now) throws IOException {
        try {
            long timeoutMs = 1000;
            Probe first = deadlines.peek();
            if (first != null) {
                timeoutMs = Math.max(1, Math.min(1000, (first.deadline - System.nanoTime() + 999_999) / 1_000_000));
            }
            if (!submitted.isEmpty()) {
                selector.selectNow();
            } else {
                selector.select(timeoutMs);
            }
            for (SelectionKey k : selector.selectedKeys()) {
                handle((Probe) k.attachment(), k);
            }
            selector.selectedKeys().clear();
            expire();
        } catch (ClosedSelectorException e) {
            // closed by close(), which stopped the loop first: the loop ends
        }
        return now;
    }

    /** {@code now} is not used: an attempt's time is its own clock read. */
    @Override
    void start(Probe p, long now) {
        try {
            // the address is a literal (validated): getByName does not resolve it
            InetAddress to = InetAddress.getByName(p.def.address());
            // a socket of the address's own family: an IPv4 check on a dual-stack socket costs a system call more
            SocketChannel ch = SocketChannel.open(to instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            p.channel = ch;
            ch.configureBlocking(false);
            if (p.def.bindTo() != null) {
                ch.bind(new InetSocketAddress(InetAddress.getByName(p.def.bindTo()), 0));
            }
            boolean connected = ch.connect(new InetSocketAddress(to, p.def.port()));
            deadlines.add(p);
            if (connected) {
                connected(p);
            } else {
                ch.register(selector, SelectionKey.OP_CONNECT, p);
            }
        } catch (IOException | RuntimeException e) {
            finish(p, Failures.of(e, System.nanoTime() - p.start));
        } catch (LinkageError e) {
            finish(p, CheckResult.fail(Reason.ERROR, e.toString(), System.nanoTime() - p.start));
        }
    }

    private void handle(Probe p, SelectionKey k) {
        if (p.done) {
            return;
        }
        try {
            if (k.isConnectable()) {
                p.channel.finishConnect();
                connected(p);
                return;
            }
            if (k.isWritable()) {
                p.channel.write(p.out);
                if (!p.out.hasRemaining()) {
                    k.interestOps(SelectionKey.OP_READ);
                }
            }
            if (k.isValid() && k.isReadable()) {
                read(p);
            }
        } catch (IOException | RuntimeException e) {
            finish(p, Failures.of(e, System.nanoTime() - p.start));
        }
    }

    private void connected(Probe p) throws IOException {
        if (p.def.type() == CheckType.TCP_CHECK) {
            finish(p, CheckResult.ok(System.nanoTime() - p.start));
            return;
        }
        p.out = ByteBuffer.wrap(HttpResponse.request(p.def));
        p.response = new HttpResponse();
        p.channel.write(p.out);
        int ops = p.out.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ;
        SelectionKey key = p.channel.keyFor(selector);
        if (key == null) {
            p.channel.register(selector, ops, p);
        } else {
            key.interestOps(ops);
        }
    }

    private void read(Probe p) throws IOException {
        while (true) {
            readBuffer.clear();
            int n = p.channel.read(readBuffer);
            if (n < 0) {
                finish(p, p.response.verdict(p.def, true, System.nanoTime() - p.start), true);
                return;
            }
            if (n == 0) {
                return;
            }
            readBuffer.flip();
            readBuffer.get(readBytes, 0, n);
            p.response.feed(readBytes, 0, n);
            if (p.response.decided(p.def)) {
                finish(p, p.response.verdict(p.def, false, System.nanoTime() - p.start), true);
                return;
            }
        }
    }

    private void expire() {
        long now = System.nanoTime();
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
            String what = p.channel != null && p.channel.isConnected() ? "no complete response" : "no connection";
            finish(p, CheckResult.fail(Reason.TIMEOUT, what + " within " + p.def.connectTimeout().toMillis() + " ms", now - p.start),
                    p.def.type() == CheckType.HTTP_GET);
        }
    }

    private void finish(Probe p, CheckResult r) {
        finish(p, r, false);
    }

    /** Completes the attempt; {@code reset}: close with a RST (SO_LINGER 0) instead of a FIN. */
    private void finish(Probe p, CheckResult r, boolean reset) {
        if (p.done) {
            return;
        }
        p.done = true;
        if (p.channel != null) {
            try {
                if (reset && p.channel.isConnected()) {
                    p.channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                p.channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        complete(p, r);
    }

    @Override
    public int inFlight() {
        return deadlines.size();
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // closing anyway
        }
        Probe p;
        while ((p = submitted.poll()) != null) {
            p.future.complete(Prober.stopped());
        }
        for (Probe q : deadlines) {
            finish(q, Prober.stopped());
        }
    }
}
