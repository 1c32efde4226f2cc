package io.lvscp.vrrp;

import static io.lvscp.vrrp.AdvertisementCodecTests.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.common.Addresses.Family;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdvertisementValidatorTests {

    /** The backup side of keepalived's golden v2 instance. */
    static VrrpInstanceConfig v2Backup() {
        return new VrrpInstanceConfig("G_V2_PASS", 51, VrrpVersion.V2, Family.IPV4, 100, Duration.ofSeconds(1), true,
                Duration.ZERO, VrrpAuthType.PASS, "lvscp", ip("10.200.0.2"),
                List.of(ip("10.200.0.101"), ip("10.200.0.100")));
    }

    static VrrpInstanceConfig v3Ipv4Backup() {
        return new VrrpInstanceConfig("G_V3_IPV4", 52, VrrpVersion.V3, Family.IPV4, 100, Duration.ofSeconds(1), true,
                Duration.ZERO, VrrpAuthType.NONE, "", ip("10.200.0.2"), List.of(ip("10.200.0.102")));
    }

    static VrrpInstanceConfig v3Ipv6Backup() {
        return new VrrpInstanceConfig("G_V3_IPV6", 53, VrrpVersion.V3, Family.IPV6, 50, Duration.ofSeconds(1), true,
                Duration.ZERO, VrrpAuthType.NONE, "", ip("fe80::2"), List.of(ip("fd00:200::100"), ip("fd00:200::101")));
    }

    private final VrrpStats stats = new VrrpStats();

    private AdvertisementValidator.Verdict check(VrrpInstanceConfig config, ReceivedPacket p) {
        return new AdvertisementValidator(config, stats).check(p);
    }

    private static ReceivedPacket withPayload(ReceivedPacket p, byte[] payload) {
        return new ReceivedPacket(p.family(), p.source(), p.destination(), p.ttl(), p.protocol(), payload);
    }

    private static ReceivedPacket withTtl(ReceivedPacket p, int ttl) {
        return new ReceivedPacket(p.family(), p.source(), p.destination(), ttl, p.protocol(), p.payload());
    }

    /** Re-encodes a changed golden v2 advert with a right checksum. */
    private static ReceivedPacket v2(Advertisement ad) {
        ReceivedPacket g = Golden.packet(Golden.V2_PASS);
        return withPayload(g, AdvertisementCodec.encode(ad, g.source(), g.destination()));
    }

    private static Advertisement goldenV2() throws VrrpPacketException {
        return AdvertisementCodec.decode(Golden.packet(Golden.V2_PASS));
    }

    @Test
    void keepalivedsAdvertsAreAcceptedByTheMatchingInstance() {
        assertThat(check(v2Backup(), Golden.packet(Golden.V2_PASS)).accepted()).isTrue();
        assertThat(check(v3Ipv4Backup(), Golden.packet(Golden.V3_IPV4)).accepted()).isTrue();
        assertThat(check(v3Ipv6Backup(), Golden.packet(Golden.V3_IPV6)).accepted()).isTrue();
        assertThat(stats.get(VrrpCounter.ADVERT_RCVD)).isEqualTo(3);
    }

    @Test
    void ttlOtherThan255IsCountedAsTtlError() {
        var v = check(v2Backup(), withTtl(Golden.packet(Golden.V2_PASS), 64));
        assertThat(v.rejection()).isEqualTo(Rejection.TTL);
        assertThat(check(v3Ipv6Backup(), withTtl(Golden.packet(Golden.V3_IPV6), 1)).rejection()).isEqualTo(Rejection.TTL);
        assertThat(stats.get(VrrpCounter.IP_TTL_ERR)).isEqualTo(2);
    }

    @Test
    void wrongPasswordIsAnAuthFailure() throws Exception {
        var v = check(v2Backup(), v2(Advertisement.v2(51, 150, 1, goldenV2().addresses(), VrrpAuthType.PASS, "wrong")));
        assertThat(v.rejection()).isEqualTo(Rejection.AUTH_FAILURE);
        assertThat(stats.get(VrrpCounter.AUTH_FAILURE)).isOne();
    }

    @Test
    void noAuthAgainstPassIsAnAuthTypeMismatch() throws Exception {
        var v = check(v2Backup(), v2(Advertisement.v2(51, 150, 1, goldenV2().addresses(), VrrpAuthType.NONE, "")));
        assertThat(v.rejection()).isEqualTo(Rejection.AUTH_TYPE_MISMATCH);
        assertThat(stats.get(VrrpCounter.AUTHTYPE_MISMATCH)).isOne();
    }

    @Test
    void otherVridIsAVridError() throws Exception {
        var v = check(v2Backup(), v2(Advertisement.v2(52, 150, 1, goldenV2().addresses(), VrrpAuthType.PASS, "lvscp")));
        assertThat(v.rejection()).isEqualTo(Rejection.VRID);
        assertThat(stats.get(VrrpCounter.VRID_ERR)).isOne();
    }

    @Test
    void v2IntervalMustEqualOurs() throws Exception {
        var v = check(v2Backup(), v2(Advertisement.v2(51, 150, 2, goldenV2().addresses(), VrrpAuthType.PASS, "lvscp")));
        assertThat(v.rejection()).isEqualTo(Rejection.ADVERT_INTERVAL);
        assertThat(stats.get(VrrpCounter.ADVERT_INTERVAL_ERR)).isOne();
    }

    @Test
    void v3IntervalIsNotCheckedButLearnt() {
        // keepalived sends 50 cs, our instance is configured for 100 cs
        assertThat(check(v3Ipv4Backup(), Golden.packet(Golden.V3_IPV4)).accepted()).isTrue();
    }

    @Test
    void addressListMismatchIsAnAddressListError() throws Exception {
        var one = v2(Advertisement.v2(51, 150, 1, List.of(ip("10.200.0.100")), VrrpAuthType.PASS, "lvscp"));
        var other = v2(Advertisement.v2(51, 150, 1, List.of(ip("10.200.0.100"), ip("10.200.0.99")), VrrpAuthType.PASS,
                "lvscp"));
        assertThat(check(v2Backup(), one).rejection()).isEqualTo(Rejection.ADDRESS_LIST);
        assertThat(check(v2Backup(), other).rejection()).isEqualTo(Rejection.ADDRESS_LIST);
        assertThat(stats.get(VrrpCounter.ADDR_LIST_ERR)).isEqualTo(2);
    }

    @Test
    void badChecksumIsAChecksumError() {
        ReceivedPacket g = Golden.packet(Golden.V3_IPV6);
        byte[] m = g.payload();
        m[7] ^= 1;
        assertThat(check(v3Ipv6Backup(), withPayload(g, m)).rejection()).isEqualTo(Rejection.CHECKSUM);
        assertThat(stats.get(VrrpCounter.CHK_ERR)).isOne();
    }

    @Test
    void v3AdvertToAV2InstanceIsAVersionError() {
        var v3 = withPayload(Golden.packet(Golden.V2_PASS), Golden.packet(Golden.V3_IPV4).payload());
        // decodes (checksum covers the same pseudo-header) but the version is not ours
        assertThat(check(v2Backup(), v3).rejection()).isEqualTo(Rejection.VERSION);
        assertThat(stats.get(VrrpCounter.VERS_ERR)).isOne();
    }

    @Test
    void typeOtherThanAdvertisementIsInvalidType() {
        ReceivedPacket g = Golden.packet(Golden.V2_PASS);
        byte[] m = g.payload();
        m[0] = 0x22;
        AdvertisementCodecTests.fixV2Checksum(m);
        assertThat(check(v2Backup(), withPayload(g, m)).rejection()).isEqualTo(Rejection.TYPE);
        assertThat(stats.get(VrrpCounter.INVALID_TYPE_RCVD)).isOne();
    }

    @Test
    void truncatedPacketIsAPacketLengthError() {
        ReceivedPacket g = Golden.packet(Golden.V2_PASS);
        assertThat(check(v2Backup(), withPayload(g, java.util.Arrays.copyOf(g.payload(), 19))).rejection())
                .isEqualTo(Rejection.PACKET_LENGTH);
        assertThat(check(v2Backup(), withPayload(g, new byte[3])).rejection()).isEqualTo(Rejection.PACKET_LENGTH);
        assertThat(stats.get(VrrpCounter.PACKET_LEN_ERR)).isEqualTo(2);
    }

    /**
     * Property: random and mutated packets never make the validator throw, and every packet is
     * counted exactly once (accepted or one kind of rejection).
     */
    @Test
    void fuzzedPacketsNeverEscapeAndAreAllCounted() throws Exception {
        Random random = new Random(0x5eed_7112L);
        List<ReceivedPacket> seeds = List.of(Golden.packet(Golden.V2_PASS), Golden.packet(Golden.V3_IPV4),
                Golden.packet(Golden.V3_IPV6));
        List<VrrpInstanceConfig> configs = List.of(v2Backup(), v3Ipv4Backup(), v3Ipv6Backup());
        Set<Rejection> seen = EnumSet.noneOf(Rejection.class);
        int fed = 0;
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            int k = random.nextInt(3);
            ReceivedPacket seed = seeds.get(k);
            byte[] payload;
            switch (random.nextInt(4)) {
                case 0 -> { // random bytes of random length
                    payload = new byte[random.nextInt(100)];
                    random.nextBytes(payload);
                }
                case 1 -> { // flip a few bits
                    payload = seed.payload();
                    for (int f = random.nextInt(3) + 1; f > 0; f--) {
                        payload[random.nextInt(payload.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 2 -> { // truncate or extend
                    payload = java.util.Arrays.copyOf(seed.payload(), random.nextInt(seed.payload().length + 20));
                }
                default -> { // mutate a header byte, then repair the checksum so deeper checks are reached
                    payload = seed.payload();
                    payload[random.nextInt(8)] = (byte) random.nextInt(256);
                    payload[6] = 0;
                    payload[7] = 0;
                    VrrpVersion version = VrrpVersion.ofWire((payload[0] & 0xf0) >> 4);
                    int sum = AdvertisementCodec.checksum(version == null ? VrrpVersion.V3 : version, seed.family(),
                            payload, seed.source(), seed.destination());
                    payload[6] = (byte) (sum >> 8);
                    payload[7] = (byte) sum;
                }
            }
            int ttl = random.nextInt(10) == 0 ? random.nextInt(256) : 255;
            int protocol = random.nextInt(50) == 0 ? random.nextInt(256) : 112;
            InetAddress source = seed.source();
            ReceivedPacket p = new ReceivedPacket(seed.family(), source, seed.destination(), ttl, protocol, payload);
            var verdict = check(configs.get(random.nextInt(10) == 0 ? random.nextInt(3) : k), p);
            fed++;
            if (verdict.accepted()) {
                accepted++;
            } else {
                seen.add(verdict.rejection());
            }
        }
        assertThat(stats.received()).isEqualTo(fed);
        assertThat(stats.get(VrrpCounter.ADVERT_RCVD)).isEqualTo(accepted);
        assertThat(accepted).isPositive();
        assertThat(seen).as("the fuzzer reaches most kinds of rejection").contains(Rejection.TTL, Rejection.CHECKSUM,
                Rejection.PACKET_LENGTH, Rejection.VERSION, Rejection.TYPE, Rejection.VRID, Rejection.ADDRESS_LIST);
    }

    @Test
    void malformedIpHeadersAreLengthErrors() {
        for (byte[] raw : List.of(new byte[0], new byte[19], new byte[] {0x4f, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0})) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReceivedPacket.fromIpv4Packet(raw))
                    .isInstanceOfSatisfying(VrrpPacketException.class,
                            e -> assertThat(e.rejection()).isEqualTo(Rejection.PACKET_LENGTH));
        }
    }
}
