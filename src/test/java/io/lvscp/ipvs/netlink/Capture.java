package io.lvscp.ipvs.netlink;

import io.lvscp.netlink.Message;
import io.lvscp.netlink.Netlink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One capture under src/test/resources/ipvs/: the datagrams ipvsadm sent ("> ") and
 * received ("< ") in the lab kernel, in order (see the README there).
 */
record Capture(String name, List<byte[]> sent, List<byte[]> received) {

    static Capture load(String name) {
        try (InputStream in = Capture.class.getResourceAsStream("/ipvs/" + name + ".txt")) {
            if (in == null) {
                throw new IllegalArgumentException("no capture " + name);
            }
            List<byte[]> sent = new ArrayList<>();
            List<byte[]> received = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("> ")) {
                    sent.add(HexFormat.of().parseHex(line.substring(2).trim()));
                } else if (line.startsWith("< ")) {
                    received.add(HexFormat.of().parseHex(line.substring(2).trim()));
                }
            }
            return new Capture(name, sent, received);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every message ipvsadm sent, split out of its datagrams. */
    List<Message> sentMessages() {
        List<Message> out = new ArrayList<>();
        sent.forEach(d -> out.addAll(Message.parseAll(d)));
        return out;
    }

    List<Message> receivedMessages() {
        List<Message> out = new ArrayList<>();
        received.forEach(d -> out.addAll(Message.parseAll(d)));
        return out;
    }

    /** The IPVS datagrams ipvsadm sent: everything but the controller (GETFAMILY) and GET_INFO, which it sends each run. */
    List<byte[]> sentIpvsCommands() {
        List<byte[]> out = new ArrayList<>();
        for (byte[] d : sent) {
            Message m = Message.parseAll(d).get(0);
            if (m.type() != Netlink.GENL_ID_CTRL && m.genlCommand() != IpvsCommand.GET_INFO.wireValue()) {
                out.add(d);
            }
        }
        return out;
    }

    /** The IPVS family id the kernel gave in this run (from the first GETFAMILY reply). */
    int familyId() {
        for (Message m : receivedMessages()) {
            if (m.type() == Netlink.GENL_ID_CTRL) {
                return GenlControl.familyId(m);
            }
        }
        throw new IllegalStateException("no family reply in " + name);
    }
}
