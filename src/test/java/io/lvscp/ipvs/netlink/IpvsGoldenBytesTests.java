package io.lvscp.ipvs.netlink;

import io.lvscp.netlink.Netlink;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.ServiceFlags;
import io.lvscp.ipvs.SyncDaemon;
import io.lvscp.ipvs.Timeouts;
import io.lvscp.ipvs.TunnelType;
import io.lvscp.ipvs.VirtualService;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our requests against the bytes ipvsadm 1.31 sent to a real 6.1 kernel for the same
 * operation (captured with strace in the lab kernel; src/test/resources/ipvs/README.md).
 *
 * <p>Three header fields differ between any two runs and are taken from the capture
 * before encoding ours: the IPVS family id (nlmsg_type, assigned by the kernel at module
 * load), the sequence number and the port id (libnl picks them per socket). Everything
 * else, every attribute, its order, padding and byte order, must be equal byte for byte.
 */
class IpvsGoldenBytesTests {

    static final VirtualService TCP80 = VirtualService.of(VirtualService.TCP, ip("172.18.42.42"), 80, "rr");

    static Stream<Arguments> commands() {
        VirtualService v6 = VirtualService.of(VirtualService.TCP, ip("2001:db8::42"), 443, "wrr");
        return Stream.of(
                Arguments.of("01-new-service-tcp", List.of(IpvsCodec.newService(TCP80))),
                Arguments.of("02-new-dest-dr", List.of(IpvsCodec.newDestination(TCP80, Destination.of(ip("10.0.0.11"), 80, Forward.DIRECT_ROUTE, 1)))),
                Arguments.of("03-new-dest-nat-thresholds", List.of(IpvsCodec.newDestination(TCP80,
                        Destination.of(ip("10.0.0.12"), 8080, Forward.NAT, 5).withThresholds(100, 10)))),
                Arguments.of("04-new-dest-tun", List.of(IpvsCodec.newDestination(TCP80, Destination.of(ip("10.0.0.13"), 80, Forward.TUNNEL, 2)))),
                Arguments.of("05-set-dest-weight", List.of(IpvsCodec.setDestination(TCP80, Destination.of(ip("10.0.0.11"), 80, Forward.DIRECT_ROUTE, 3)))),
                Arguments.of("06-set-service-scheduler", List.of(IpvsCodec.setService(TCP80.withScheduler("wlc")))),
                Arguments.of("07-new-service-udp-persistent", List.of(IpvsCodec.newService(
                        VirtualService.of(VirtualService.UDP, ip("172.18.42.42"), 53, "sh").persistent(300, 24)))),
                Arguments.of("08-new-service-fwmark", List.of(IpvsCodec.newService(VirtualService.fwmark(VirtualService.AF_INET, 7, "rr")))),
                Arguments.of("09-new-service-fwmark-ipv6", List.of(IpvsCodec.newService(VirtualService.fwmark(VirtualService.AF_INET6, 8, "lc")))),
                Arguments.of("10-new-service-tcp-ipv6", List.of(IpvsCodec.newService(v6))),
                Arguments.of("11-new-dest-ipv6", List.of(IpvsCodec.newDestination(v6, Destination.of(ip("2001:db8::11"), 443, Forward.DIRECT_ROUTE, 1)))),
                Arguments.of("12-new-service-sctp", List.of(IpvsCodec.newService(VirtualService.of(VirtualService.SCTP, ip("172.18.42.43"), 9, "rr")))),
                Arguments.of("13-new-service-ipv6-sh-flags-persistent", List.of(IpvsCodec.newService(
                        VirtualService.of(VirtualService.TCP, ip("2001:db8::43"), 80, "sh")
                                .withFlags(ServiceFlags.SH_FALLBACK | ServiceFlags.SH_PORT).persistent(60, 64)))),
                Arguments.of("14-new-dest-tun-gue", List.of(IpvsCodec.newDestination(TCP80,
                        Destination.of(ip("10.0.0.14"), 80, Forward.TUNNEL, 1).withTunnel(TunnelType.GUE, 6080)))),
                Arguments.of("18-error-eexist", List.of(IpvsCodec.newService(TCP80))),
                Arguments.of("19-error-enoent-scheduler", List.of(IpvsCodec.newService(
                        VirtualService.of(VirtualService.TCP, ip("172.18.42.44"), 80, "nosuchsched")))),
                Arguments.of("20-error-esrch", List.of(IpvsCodec.delService(VirtualService.of(VirtualService.TCP, ip("172.18.42.99"), 80, "rr")))),
                // ipvsadm -d sends the destination with its defaults (DR, weight 1); the kernel reads only address and port
                Arguments.of("21-del-dest", List.of(IpvsCodec.delDestination(TCP80, Destination.of(ip("10.0.0.13"), 80, Forward.DIRECT_ROUTE, 1)))),
                Arguments.of("22-del-service", List.of(IpvsCodec.delService(TCP80))),
                Arguments.of("23-set-config", List.of(IpvsCodec.setConfig(new Timeouts(900, 120, 300)))),
                Arguments.of("24-get-config", List.of(IpvsCodec.getConfig())),
                Arguments.of("25-flush", List.of(IpvsCodec.flush())),
                Arguments.of("26-dump-empty", List.of(IpvsCodec.dumpServices())),
                Arguments.of("27-start-daemon-master", List.of(IpvsCodec.newDaemon(SyncDaemon.of(SyncDaemon.Role.MASTER, "sync0", 7)))),
                Arguments.of("28-start-daemon-backup", List.of(IpvsCodec.newDaemon(SyncDaemon.of(SyncDaemon.Role.BACKUP, "sync0", 7)))),
                Arguments.of("29-list-daemons", List.of(IpvsCodec.dumpDaemons())),
                Arguments.of("30-error-daemon-eexist", List.of(IpvsCodec.newDaemon(SyncDaemon.of(SyncDaemon.Role.MASTER, "sync0", 7)))),
                Arguments.of("31-stop-daemon-master", List.of(IpvsCodec.delDaemon(SyncDaemon.Role.MASTER))),
                Arguments.of("32-stop-daemon-backup", List.of(IpvsCodec.delDaemon(SyncDaemon.Role.BACKUP))),
                Arguments.of("33-start-daemon-master-options", List.of(IpvsCodec.newDaemon(
                        new SyncDaemon(SyncDaemon.Role.MASTER, "sync0", 9, 1400, ip("224.0.0.82"), 8849, 2)))),
                Arguments.of("34-start-daemon-backup-group6", List.of(IpvsCodec.newDaemon(
                        new SyncDaemon(SyncDaemon.Role.BACKUP, "sync0", 10, 0, ip("ff02::1:82"), 8850, 0)))),
                Arguments.of("35-list-daemons-options", List.of(IpvsCodec.dumpDaemons())),
                Arguments.of("36-stop-daemon-master-options", List.of(IpvsCodec.delDaemon(SyncDaemon.Role.MASTER))),
                Arguments.of("37-stop-daemon-backup-group6", List.of(IpvsCodec.delDaemon(SyncDaemon.Role.BACKUP))),
                Arguments.of("38-list-daemons-empty", List.of(IpvsCodec.dumpDaemons())),
                Arguments.of("39-error-daemon-enodev", List.of(IpvsCodec.newDaemon(SyncDaemon.of(SyncDaemon.Role.MASTER, "nosuch0", 1)))),
                Arguments.of("15-dump-list", List.of(IpvsCodec.dumpServices(),
                        IpvsCodec.dumpDestinations(TCP80),
                        IpvsCodec.dumpDestinations(VirtualService.of(VirtualService.UDP, ip("172.18.42.42"), 53, "sh")),
                        IpvsCodec.dumpDestinations(VirtualService.of(VirtualService.SCTP, ip("172.18.42.43"), 9, "rr")),
                        IpvsCodec.dumpDestinations(v6),
                        IpvsCodec.dumpDestinations(VirtualService.of(VirtualService.TCP, ip("2001:db8::43"), 80, "sh")),
                        IpvsCodec.dumpDestinations(VirtualService.fwmark(VirtualService.AF_INET, 7, "rr")),
                        IpvsCodec.dumpDestinations(VirtualService.fwmark(VirtualService.AF_INET6, 8, "lc")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void ourRequestsEqualIpvsadms(String capture, List<Request> ours) {
        Capture c = Capture.load(capture);
        List<byte[]> theirs = c.sentIpvsCommands();
        assertThat(theirs).as("IPVS requests in " + capture).hasSize(ours.size());
        for (int i = 0; i < ours.size(); i++) {
            ByteBuffer h = ByteBuffer.wrap(theirs.get(i)).order(ByteOrder.nativeOrder());
            int familyId = Short.toUnsignedInt(h.getShort(4));
            assertThat(familyId).isEqualTo(c.familyId());
            byte[] mine = ours.get(i).encode(familyId, IpvsNetlink.IPVS_GENL_VERSION, h.getInt(8), h.getInt(12));
            assertThat(HexFormat.of().formatHex(mine)).as(ours.get(i).description())
                    .isEqualTo(HexFormat.of().formatHex(theirs.get(i)));
        }
    }

    @org.junit.jupiter.api.Test
    void getInfoAndGetFamilyEqualIpvsadms() {
        Capture c = Capture.load("01-new-service-tcp");
        for (byte[] d : c.sent()) {
            ByteBuffer h = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder());
            int type = Short.toUnsignedInt(h.getShort(4));
            byte[] mine = type == Netlink.GENL_ID_CTRL
                    ? GenlControl.encodeGetFamily("IPVS", h.getInt(8), h.getInt(12))
                    : d[16] == IpvsCommand.GET_INFO.wireValue()
                            ? IpvsCodec.getInfo().encode(type, 1, h.getInt(8), h.getInt(12))
                            : d;
            assertThat(HexFormat.of().formatHex(mine)).isEqualTo(HexFormat.of().formatHex(d));
        }
    }

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
