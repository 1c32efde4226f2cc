package io.lvscp.vrrp.linux;

import io.lvscp.linux.Native;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sends gratuitous ARP requests (sender = target = the VIP) through an AF_PACKET socket on one interface. */
public final class GratuitousArpSender implements Closeable {

    static final int ETH_P_IP = 0x0800;
    static final int ARPOP_REQUEST = 1;
    static final int FRAME_LENGTH = 60; // minimum Ethernet frame without FCS

    private final int fd;
    private final int ifindex;
    private final byte[] mac;

    public GratuitousArpSender(String interfaceName) throws IOException {
        this.ifindex = Native.ifindex(interfaceName);
        this.mac = parseMac(Files.readString(Path.of("/sys/class/net", interfaceName, "address")).trim());
        // protocol 0: send only, the socket receives nothing
        this.fd = Native.check(Native.LIBC.socket(Native.AF_PACKET, Native.SOCK_RAW, 0), "AF_PACKET socket");
    }

    /** Sends one gratuitous ARP for an IPv4 VIP (IPv6 VIPs need unsolicited NAs: not implemented). */
    public void announce(InetAddress vip) throws IOException {
        if (!(vip instanceof Inet4Address)) {
            return;
        }
        byte[] frame = frame(mac, vip);
        byte[] sll = new byte[20]; // struct sockaddr_ll
        ByteBuffer b = ByteBuffer.wrap(sll).order(java.nio.ByteOrder.nativeOrder());
        b.putShort((short) Native.AF_PACKET);
        b.order(java.nio.ByteOrder.BIG_ENDIAN).putShort((short) Native.ETH_P_ARP);
        b.order(java.nio.ByteOrder.nativeOrder()).putInt(ifindex).putShort((short) 1).put((byte) 0).put((byte) 6);
        for (int i = 0; i < 6; i++) {
            b.put((byte) 0xff);
        }
        if (Native.LIBC.sendto(fd, frame, frame.length, 0, sll, sll.length) < 0) {
            throw Native.error("sendto gratuitous ARP " + vip.getHostAddress());
        }
    }

    /** The Ethernet frame: broadcast, ARP request with sender and target protocol address both the VIP. */
    static byte[] frame(byte[] mac, InetAddress vip) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_LENGTH); // big-endian, zero padded
        for (int i = 0; i < 6; i++) {
            b.put((byte) 0xff);
        }
        b.put(mac).putShort((short) Native.ETH_P_ARP);
        b.putShort((short) 1).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4).putShort((short) ARPOP_REQUEST);
        b.put(mac).put(vip.getAddress());
        b.put(new byte[6]).put(vip.getAddress());
        return b.array();
    }

    static byte[] parseMac(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }

    @Override
    public void close() {
        Native.LIBC.close(fd);
    }
}
