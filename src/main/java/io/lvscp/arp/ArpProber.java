package io.lvscp.arp;

import io.lvscp.linux.Native;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Asks one interface's segment "who has this IPv4 address" (an ARP probe, RFC 5227) and
 * collects the MACs that answer within a window: an AF_PACKET socket bound to the
 * interface and to ARP frames. Not thread-safe.
 */
public final class ArpProber implements Closeable {

    private final int fd;
    private final int ifindex;
    private final byte[] mac;

    public ArpProber(String interfaceName) throws IOException {
        this.ifindex = Native.ifindex(interfaceName);
        this.mac = ArpFrames.parseMac(Files.readString(Path.of("/sys/class/net", interfaceName, "address")));
        int proto = Short.toUnsignedInt(Short.reverseBytes((short) ArpFrames.ETH_P_ARP)); // htons
        this.fd = Native.check(Native.LIBC.socket(Native.AF_PACKET, Native.SOCK_RAW, proto), "AF_PACKET socket");
        byte[] sll = sockaddr(false);
        if (Native.LIBC.bind(fd, sll, sll.length) < 0) {
            IOException e = Native.error("bind AF_PACKET to " + interfaceName);
            Native.LIBC.close(fd);
            throw e;
        }
    }

    /** This interface's MAC ("02:00:00:00:00:01"). */
    public String mac() {
        return ArpFrames.mac(mac);
    }

    /** Sends one probe for {@code target} and returns every MAC that answered within {@code window}, in order of arrival. */
    public Set<String> whoHas(Inet4Address target, Duration window) throws IOException {
        drain();
        byte[] frame = ArpFrames.probe(mac, target);
        byte[] to = sockaddr(true);
        if (Native.LIBC.sendto(fd, frame, frame.length, 0, to, to.length) < 0) {
            throw Native.error("sendto ARP probe " + target.getHostAddress());
        }
        Set<String> answered = new LinkedHashSet<>();
        long end = System.nanoTime() + window.toNanos();
        byte[] buf = new byte[2048];
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return answered;
            }
            timeout(left);
            long n = Native.LIBC.recv(fd, buf, buf.length, 0);
            if (n < 0) {
                int e = Native.errno();
                if (e == Native.EAGAIN || e == 4 /* EINTR */) {
                    continue;
                }
                throw Native.error("recv ARP");
            }
            ArpFrames.replyFor(buf, (int) n, target).ifPresent(answered::add);
        }
    }

    /** Drops frames queued before the probe (replies to earlier probes, others' ARP traffic). */
    private void drain() {
        byte[] buf = new byte[2048];
        while (Native.LIBC.recv(fd, buf, buf.length, 0x40 /* MSG_DONTWAIT */) > 0) {
            // discard
        }
    }

    private void timeout(long nanos) {
        long micros = Math.max(1, nanos / 1000);
        ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        tv.putLong(micros / 1_000_000).putLong(micros % 1_000_000);
        Native.LIBC.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVTIMEO, tv.array(), 16);
    }

    /** struct sockaddr_ll: for bind (ARP frames on this interface) or sendto (broadcast). */
    private byte[] sockaddr(boolean broadcast) {
        byte[] sll = new byte[20];
        ByteBuffer b = ByteBuffer.wrap(sll).order(ByteOrder.nativeOrder());
        b.putShort((short) Native.AF_PACKET);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) ArpFrames.ETH_P_ARP);
        b.order(ByteOrder.nativeOrder()).putInt(ifindex).putShort((short) 1).put((byte) 0).put((byte) (broadcast ? 6 : 0));
        if (broadcast) {
            for (int i = 0; i < 6; i++) {
                b.put((byte) 0xff);
            }
        }
        return sll;
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
