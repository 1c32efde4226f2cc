package io.lvscp.vrrp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AdvertisementCodecTests {

    static InetAddress ip(String text) {
        return Addresses.parse(text);
    }

    @Nested
    class GoldenFromKeepalived {

        @Test
        void v2WithPassDecodesToKeepalivedsConfig() throws Exception {
            ReceivedPacket p = Golden.packet(Golden.V2_PASS);
            assertThat(p.ttl()).isEqualTo(255);
            assertThat(p.protocol()).isEqualTo(112);
            assertThat(p.source()).isEqualTo(ip("10.200.0.1"));
            assertThat(p.destination()).isEqualTo(ip("224.0.0.18"));

            Advertisement ad = AdvertisementCodec.decode(p);

            assertThat(ad).isEqualTo(Advertisement.v2(51, 150, 1, List.of(ip("10.200.0.100"), ip("10.200.0.101")),
                    VrrpAuthType.PASS, "lvscp"));
            assertThat(ad.intervalDuration()).isEqualTo(Duration.ofSeconds(1));
        }

        @Test
        void v3Ipv4DecodesWithIntervalInCentiseconds() throws Exception {
            ReceivedPacket p = Golden.packet(Golden.V3_IPV4);
            assertThat(p.ttl()).isEqualTo(255);

            Advertisement ad = AdvertisementCodec.decode(p);

            assertThat(ad).isEqualTo(Advertisement.v3(52, 200, 50, Family.IPV4, List.of(ip("10.200.0.102"))));
            assertThat(ad.intervalDuration()).isEqualTo(Duration.ofMillis(500));
        }

        @Test
        void v3Ipv6DecodesFromLinkLocalToFf02_12() throws Exception {
            ReceivedPacket p = Golden.packet(Golden.V3_IPV6);
            assertThat(p.ttl()).as("hop limit").isEqualTo(255);
            assertThat(p.protocol()).as("next header").isEqualTo(112);
            assertThat(p.source()).isEqualTo(ip("fe80::5eff:fe00:c801"));
            assertThat(p.destination()).isEqualTo(ip("ff02::12"));

            Advertisement ad = AdvertisementCodec.decode(p);

            assertThat(ad).isEqualTo(
                    Advertisement.v3(53, 100, 100, Family.IPV6, List.of(ip("fd00:200::100"), ip("fd00:200::101"))));
        }

        @Test
        void reEncodingGivesKeepalivedsBytes() throws Exception {
            for (String name : List.of(Golden.V2_PASS, Golden.V3_IPV4, Golden.V3_IPV6)) {
                ReceivedPacket p = Golden.packet(name);
                byte[] encoded = AdvertisementCodec.encode(AdvertisementCodec.decode(p), p.source(), p.destination());
                assertThat(encoded).as(name).isEqualTo(p.payload());
            }
        }

        @Test
        void checksumsVerify() {
            for (String name : List.of(Golden.V2_PASS, Golden.V3_IPV4, Golden.V3_IPV6)) {
                ReceivedPacket p = Golden.packet(name);
                VrrpVersion v = VrrpVersion.ofWire((p.payload()[0] & 0xf0) >> 4);
                assertThat(AdvertisementCodec.checksum(v, p.family(), p.payload(), p.source(), p.destination()))
                        .as(name).isZero();
            }
        }

        @Test
        void v3ChecksumCoversThePseudoHeader() {
            ReceivedPacket p = Golden.packet(Golden.V3_IPV4);
            ReceivedPacket otherSource = new ReceivedPacket(Family.IPV4, ip("10.200.0.9"), p.destination(), 255, 112,
                    p.payload());
            assertThatThrownBy(() -> AdvertisementCodec.decode(otherSource))
                    .isInstanceOfSatisfying(VrrpPacketException.class,
                            e -> assertThat(e.rejection()).isEqualTo(Rejection.CHECKSUM));
        }
    }

    @Nested
    class WireLayout {

        @Test
        void v2HeaderBytesAtTheirOffsets() {
            byte[] b = AdvertisementCodec.encode(
                    Advertisement.v2(7, 100, 3, List.of(ip("192.0.2.1")), VrrpAuthType.PASS, "abcdefgh"), ip("192.0.2.9"),
                    ip("224.0.0.18"));
            assertThat(b).hasSize(20);
            assertThat(b[0]).isEqualTo((byte) 0x21);
            assertThat(b[1]).isEqualTo((byte) 7);
            assertThat(b[2]).isEqualTo((byte) 100);
            assertThat(b[3]).isEqualTo((byte) 1);
            assertThat(b[4]).as("auth type").isEqualTo((byte) 1);
            assertThat(b[5]).as("interval").isEqualTo((byte) 3);
            assertThat(Arrays.copyOfRange(b, 8, 12)).isEqualTo(new byte[] {(byte) 192, 0, 2, 1});
            assertThat(new String(b, 12, 8)).isEqualTo("abcdefgh");
        }

        @Test
        void v3IntervalIsTwelveBitsAfterFourReservedBits() {
            byte[] b = AdvertisementCodec.encode(Advertisement.v3(9, 1, 0xfff, Family.IPV4, List.of()), ip("192.0.2.9"),
                    ip("224.0.0.18"));
            assertThat(b).hasSize(8);
            assertThat(b[0]).isEqualTo((byte) 0x31);
            assertThat(b[4]).isEqualTo((byte) 0x0f);
            assertThat(b[5]).isEqualTo((byte) 0xff);
        }

        @Test
        void ahAndUnknownAuthTypesAreRejected() {
            byte[] b = Golden.packet(Golden.V2_PASS).payload();
            for (int auth : new int[] {2, 3, 255}) {
                byte[] m = b.clone();
                m[4] = (byte) auth;
                fixV2Checksum(m);
                ReceivedPacket p = new ReceivedPacket(Family.IPV4, ip("10.200.0.1"), ip("224.0.0.18"), 255, 112, m);
                assertThatThrownBy(() -> AdvertisementCodec.decode(p)).isInstanceOfSatisfying(VrrpPacketException.class,
                        e -> assertThat(e.rejection()).isEqualTo(Rejection.INVALID_AUTH_TYPE));
            }
        }

        @Test
        void v2OverIpv6IsAVersionError() {
            byte[] m = Golden.packet(Golden.V2_PASS).payload();
            ReceivedPacket p = new ReceivedPacket(Family.IPV6, ip("fe80::1"), ip("ff02::12"), 255, 112, m);
            assertThatThrownBy(() -> AdvertisementCodec.decode(p)).isInstanceOfSatisfying(VrrpPacketException.class,
                    e -> assertThat(e.rejection()).isEqualTo(Rejection.VERSION));
        }

        @Test
        void addressesOfTheWrongFamilyAreRefused() {
            assertThatThrownBy(() -> Advertisement.v3(1, 1, 1, Family.IPV4, List.of(ip("::1"))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    static void fixV2Checksum(byte[] m) {
        m[6] = 0;
        m[7] = 0;
        int sum = AdvertisementCodec.checksum(VrrpVersion.V2, Family.IPV4, m, null, null);
        m[6] = (byte) (sum >> 8);
        m[7] = (byte) sum;
    }
}
