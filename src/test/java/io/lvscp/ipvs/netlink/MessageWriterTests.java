package io.lvscp.ipvs.netlink;

import io.lvscp.netlink.Message;
import io.lvscp.netlink.MessageWriter;
import io.lvscp.netlink.Netlink;
import io.lvscp.netlink.Attributes;
import io.lvscp.netlink.Errno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Netlink framing as tables: headers, padding, nesting, batches, dumps and errors. */
class MessageWriterTests {

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @ParameterizedTest(name = "{0}-byte string pads to {2}")
    @CsvSource({"'', 0500010000000000, 8", "a, 0600010061000000, 8", "abc, 0800010061626300, 8", "abcd, 0900010061626364" + "00000000, 12"})
    void stringsAreNulTerminatedAndPaddedToFourBytes(String s, String expectedHex, int size) {
        MessageWriter w = new MessageWriter();
        w.string(1, s);
        assertThat(w.size()).isEqualTo(size);
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            assertThat(hex(w.toByteArray())).isEqualTo(expectedHex);
        }
    }

    @Test
    void nestedLengthIsWrittenAfterTheContentWithTheNestedFlag() {
        MessageWriter w = new MessageWriter();
        int n = w.nested(1);
        w.u8(2, 7).be16(3, 80);
        w.endNested(n);
        ByteBuffer b = ByteBuffer.wrap(w.toByteArray()).order(ByteOrder.nativeOrder());
        assertThat(b.getShort(0)).isEqualTo((short) 20);
        assertThat(b.getShort(2) & 0xffff).isEqualTo(0x8001);
        Attributes a = Attributes.parse(b).nested(1);
        assertThat(a.u8(2)).isEqualTo(7);
        assertThat(a.be16(3)).isEqualTo(80);
        assertThat(b.get(16)).isEqualTo((byte) 0);
        assertThat(b.get(17)).isEqualTo((byte) 80);
    }

    @Test
    void messagesCarryTheirLengthSequenceAndFlagsAndBatchBackToBack() {
        MessageWriter w = new MessageWriter(16);
        for (int seq = 1; seq <= 300; seq++) {
            w.begin(0x1c, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, seq, 42).genl(5, 1).string(6, "x".repeat(seq % 5)).end();
        }
        List<Message> ms = Message.parseAll(w.toByteArray());
        assertThat(ms).hasSize(300);
        assertThat(ms.get(0).seq()).isEqualTo(1);
        assertThat(ms.get(299).seq()).isEqualTo(300);
        assertThat(ms).allSatisfy(m -> {
            assertThat(m.type()).isEqualTo(0x1c);
            assertThat(m.flags()).isEqualTo(5);
            assertThat(m.pid()).isEqualTo(42);
            assertThat(m.genlCommand()).isEqualTo(5);
            assertThat(m.genlAttributes().string(6)).isEqualTo("x".repeat(m.seq() % 5));
        });
    }

    @Test
    void unfinishedMessagesAndBadLengthsAreRefused() {
        MessageWriter w = new MessageWriter().begin(1, 1, 1, 1);
        assertThatThrownBy(w::toByteArray).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Message.parseAll(new byte[] {(byte) 200, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Attributes.parse(ByteBuffer.wrap(new byte[] {2, 0, 1, 0}))).isInstanceOf(IllegalArgumentException.class);
    }

    /** A batch: one ACK, one error with extended ACK message, one dump of two parts then DONE, in any interleaving per seq. */
    @Test
    void exchangeMatchesRepliesToRequestsBySequence() {
        Exchange x = new Exchange();
        x.expect(10, IpvsCodec.flush());
        x.expect(11, IpvsCodec.newService(IpvsGoldenBytesTests.TCP80));
        x.expect(12, IpvsCodec.dumpServices());
        MessageWriter k = new MessageWriter();
        k.begin(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED, 10, 1).genl(0, 0).end();                          // ACK: error 0 (4 bytes as zero genl header)
        k.begin(0x1c, Netlink.NLM_F_MULTI, 12, 1).genl(1, 1).end();
        // error -EEXIST, capped echo of the header, then NLMSGERR_ATTR_MSG
        k.begin(Netlink.NLMSG_ERROR, Netlink.NLM_F_CAPPED | Netlink.NLM_F_ACK_TLVS, 11, 1);
        byte[] errHdr = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder()).putInt(-17).putInt(20).putShort((short) 0x1c).array();
        k.bytesRaw(errHdr).string(Netlink.NLMSGERR_ATTR_MSG, "already there").end();
        k.begin(0x1c, Netlink.NLM_F_MULTI, 12, 1).genl(1, 1).end();
        k.begin(Netlink.NLMSG_DONE, Netlink.NLM_F_MULTI, 12, 1).u32raw(0).end();
        k.begin(0x1c, 0, 99, 1).genl(1, 1).end(); // someone else's: ignored
        Message.parseAll(k.toByteArray()).forEach(x::accept);
        assertThat(x.complete()).isTrue();
        assertThat(x.get(10).error()).isNull();
        assertThat(x.get(11).error().errnoName()).isEqualTo("EEXIST");
        assertThat(x.get(11).error().extendedMessage()).isEqualTo("already there");
        assertThat(x.get(11).error().command()).isEqualTo("NEW_SERVICE TCP 172.18.42.42:80");
        assertThat(x.get(12).replies()).hasSize(2);
        assertThat(x.firstError()).isSameAs(x.get(11).error());
    }

    @ParameterizedTest
    @CsvSource({"17, EEXIST", "2, ENOENT", "3, ESRCH", "105, ENOBUFS", "4, EINTR", "999, E999"})
    void errnoNames(int errno, String name) {
        assertThat(Errno.name(errno)).isEqualTo(name);
        assertThat(Errno.name(-errno)).isEqualTo(name);
    }
}
