package io.lvscp.arp;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/** ARP on Ethernet (RFC 826, probes as in RFC 5227): the request we send and the replies we read (pure). */
public final class ArpFrames {

    public static final int ETH_P_ARP = 0x0806;
    static final int ETH_P_IP = 0x0800;
    static final int FRAME_LENGTH = 60; // minimum Ethernet frame without FCS

    private ArpFrames() {
    }

    /**
     * A broadcast ARP probe "who has {@code target}": sender hardware address ours, sender
     * protocol address 0.0.0.0, so no neighbour learns anything from it (RFC 5227); hosts
     * that consider the address theirs still answer.
     */
    public static byte[] probe(byte[] ourMac, Inet4Address target) {
        ByteBuffer b = ByteBuffer.allocate(FRAME_LENGTH);
        for (int i = 0; i < 6; i++) {
            b.put((byte) 0xff);
        }
        b.put(ourMac).putShort((short) ETH_P_ARP);
        b.putShort((short) 1).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4).putShort((short) 1);
        b.put(ourMac).put(new byte[4]);
        b.put(new byte[6]).put(target.getAddress());
        return b.array();
    }

    /** The MAC ("02:00:00:00:00:01") of a host answering for {@code target} in this frame, if it is such a reply. */
    public static Optional<String> replyFor(byte[] frame, int length, Inet4Address target) {
        if (length < 42 || frame.length < 42) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(frame, 0, length);
        if ((b.getShort(12) & 0xffff) != ETH_P_ARP || b.getShort(14) != 1 || (b.getShort(16) & 0xffff) != ETH_P_IP || b.get(18) != 6
                || b.get(19) != 4 || b.getShort(20) != 2) {
            return Optional.empty();
        }
        byte[] sender = Arrays.copyOfRange(frame, 28, 32);
        if (!Arrays.equals(sender, target.getAddress())) {
            return Optional.empty();
        }
        return Optional.of(mac(Arrays.copyOfRange(frame, 22, 28)));
    }

    public static String mac(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    public static byte[] parseMac(String text) {
        byte[] mac = HexFormat.ofDelimiter(":").parseHex(text.trim().toLowerCase(java.util.Locale.ROOT));
        if (mac.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return mac;
    }
}
