package io.lvscp.ipvs.netlink;

import io.lvscp.netlink.Message;
import io.lvscp.netlink.NetlinkErrorException;
import io.lvscp.netlink.Netlink;
import static io.lvscp.ipvs.netlink.IpvsGoldenBytesTests.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.IpvsInfo;
import io.lvscp.ipvs.ServiceFlags;
import io.lvscp.ipvs.SyncDaemon;
import io.lvscp.ipvs.Stats;
import io.lvscp.ipvs.Timeouts;
import io.lvscp.ipvs.TunnelType;
import io.lvscp.ipvs.VirtualService;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernel's replies captured in the lab kernel decode to what ipvsadm printed for them. */
class IpvsRepliesTests {

    /** Replies to IPVS requests (not the controller's), each with the request they answer. */
    static List<Exchange> exchanges(Capture c) {
        List<Exchange> out = new ArrayList<>();
        List<Message> sent = c.sentMessages();
        List<Message> received = c.receivedMessages();
        for (Message req : sent) {
            if (req.type() == Netlink.GENL_ID_CTRL) {
                continue;
            }
            Exchange x = new Exchange();
            int cmd = req.genlCommand();
            x.expect(req.seq(), new Request(cmd, req.flags(), IpvsCommand.of(cmd).name(), w -> { }));
            received.stream().filter(m -> m.seq() == req.seq() && m.pid() == req.pid() && m.type() != Netlink.GENL_ID_CTRL)
                    .filter(m -> !(m.isError() && Short.toUnsignedInt(m.payload().getShort(4 + 4)) == Netlink.GENL_ID_CTRL))
                    .forEach(x::accept);
            // ipvsadm reads no ACK after a GET_INFO or GET_CONFIG reply (it closes the socket), so those stay open here
            assertThat(x.complete() || !x.get(req.seq()).replies().isEmpty()).as("reply to " + IpvsCommand.of(cmd)).isTrue();
            out.add(x);
        }
        return out;
    }

    @Test
    void serviceDumpDecodes() {
        List<Exchange> xs = exchanges(Capture.load("16-dump-stats"));
        Exchange.Pending info = xs.get(0).all().get(0);
        assertThat(IpvsCodec.decodeInfo(info.replies().get(0))).isEqualTo(new IpvsInfo(0x010201, 4096));
        assertThat(IpvsCodec.decodeInfo(info.replies().get(0)).versionString()).isEqualTo("1.2.1");

        Exchange.Pending dump = xs.get(1).all().get(0);
        assertThat(dump.request().dump()).isTrue();
        List<VirtualService> services = dump.replies().stream().map(IpvsCodec::decodeService).toList();
        assertThat(services).extracting(VirtualService::toString).containsExactlyInAnyOrder(
                "TCP 172.18.42.42:80 wlc", "UDP 172.18.42.42:53 sh persistent 300", "SCTP 172.18.42.43:9 rr",
                "TCP [2001:db8::42]:443 wrr", "TCP [2001:db8::43]:80 sh persistent 60", "FWM 7 rr", "FWM 8 IPv6 lc");
        VirtualService udp = services.stream().filter(s -> s.protocol() == VirtualService.UDP).findFirst().orElseThrow();
        assertThat(udp.netmask()).isEqualTo(24);
        assertThat(udp.flags() & ServiceFlags.PERSISTENT).isNotZero();
        VirtualService sh6 = services.stream().filter(s -> s.port() == 80 && s.family() == VirtualService.AF_INET6).findFirst().orElseThrow();
        assertThat(sh6.netmask()).isEqualTo(64);
        assertThat(sh6.flags() & (ServiceFlags.SH_FALLBACK | ServiceFlags.SH_PORT)).isEqualTo(ServiceFlags.SH_FALLBACK | ServiceFlags.SH_PORT);
        assertThat(services).allSatisfy(s -> assertThat(s.stats()).isEqualTo(Stats.ZERO));
    }

    @Test
    void destinationDumpDecodesWithStatsAndConnectionCounts() {
        List<Exchange> xs = exchanges(Capture.load("16-dump-stats"));
        // the GET_DEST dump of TCP 172.18.42.42:80 is the one with four destinations
        List<Destination> dests = xs.stream().map(x -> x.all().get(0))
                .filter(p -> p.request().command() == IpvsCommand.GET_DEST.wireValue())
                .map(p -> p.replies().stream().map(m -> IpvsCodec.decodeDestination(m, VirtualService.AF_INET)).toList())
                .filter(l -> l.size() == 4).findFirst().orElseThrow();
        assertThat(dests).extracting(d -> d.address().getHostAddress(), Destination::port, Destination::forward, Destination::weight,
                Destination::upperThreshold, Destination::lowerThreshold, Destination::tunnelType, Destination::tunnelPort)
                .containsExactlyInAnyOrder(
                        tuple("10.0.0.11", 80, Forward.DIRECT_ROUTE, 3, 0, 0, null, 0),
                        tuple("10.0.0.12", 8080, Forward.NAT, 5, 100, 10, null, 0),
                        tuple("10.0.0.13", 80, Forward.TUNNEL, 2, 0, 0, TunnelType.IPIP, 0),
                        tuple("10.0.0.14", 80, Forward.TUNNEL, 1, 0, 0, TunnelType.GUE, 6080));
        assertThat(dests).allSatisfy(d -> {
            assertThat(d.stats()).isEqualTo(Stats.ZERO);
            assertThat(d.activeConnections() + d.inactiveConnections() + d.persistentConnections()).isZero();
            assertThat(d.family()).isEqualTo(VirtualService.AF_INET);
        });
    }

    @Test
    void configDecodes() {
        Exchange x = exchanges(Capture.load("24-get-config")).get(1);
        assertThat(IpvsCodec.decodeTimeouts(x.all().get(0).replies().get(0))).isEqualTo(new Timeouts(900, 120, 300));
    }

    /** The daemons of a GET_DAEMON dump, as `ipvsadm -L --daemon` printed them in the same run. */
    static List<SyncDaemon> daemons(String capture) {
        return exchanges(Capture.load(capture)).stream().map(x -> x.all().get(0))
                .filter(p -> p.request().command() == IpvsCommand.GET_DAEMON.wireValue())
                .flatMap(p -> p.replies().stream().map(IpvsCodec::decodeDaemon)).toList();
    }

    @Test
    void daemonDumpDecodesWithTheKernelsDefaults() {
        assertThat(daemons("29-list-daemons")).containsExactly(
                new SyncDaemon(SyncDaemon.Role.MASTER, "sync0", 7, 1472, ip("224.0.0.81"), 8848, 1),
                new SyncDaemon(SyncDaemon.Role.BACKUP, "sync0", 7, 1472, ip("224.0.0.81"), 8848, 1));
        assertThat(daemons("29-list-daemons").get(0).toString())
                .isEqualTo("master sync daemon (mcast=sync0, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)");
        assertThat(SyncDaemon.of(SyncDaemon.Role.MASTER, "sync0", 7).satisfiedBy(daemons("29-list-daemons").get(0))).isTrue();
        assertThat(SyncDaemon.of(SyncDaemon.Role.BACKUP, "sync0", 7).satisfiedBy(daemons("29-list-daemons").get(0))).isFalse();
        assertThat(SyncDaemon.of(SyncDaemon.Role.MASTER, "sync0", 8).satisfiedBy(daemons("29-list-daemons").get(0))).isFalse();
    }

    @Test
    void daemonDumpDecodesSettingsAndAnIpv6Group() {
        assertThat(daemons("35-list-daemons-options")).containsExactly(
                new SyncDaemon(SyncDaemon.Role.MASTER, "sync0", 9, 1400, ip("224.0.0.82"), 8849, 2),
                new SyncDaemon(SyncDaemon.Role.BACKUP, "sync0", 10, 1452, ip("ff02::1:82"), 8850, 1));
        assertThat(daemons("35-list-daemons-options").get(1).toString())
                .isEqualTo("backup sync daemon (mcast=sync0, syncid=10, maxlen=1452, group=ff02::1:82, port=8850, ttl=1)");
        assertThat(new SyncDaemon(SyncDaemon.Role.MASTER, "sync0", 9, 1400, ip("224.0.0.82"), 8849, 2)
                .satisfiedBy(daemons("35-list-daemons-options").get(0))).isTrue();
        assertThat(new SyncDaemon(SyncDaemon.Role.MASTER, "sync0", 9, 1400, ip("224.0.0.82"), 8849, 3)
                .satisfiedBy(daemons("35-list-daemons-options").get(0))).isFalse();
        assertThat(daemons("38-list-daemons-empty")).isEmpty();
    }

    @Test
    void familyReplyDecodes() {
        Capture c = Capture.load("01-new-service-tcp");
        assertThat(c.familyId()).isBetween(0x10 + 1, 0xffff);
    }

    @ParameterizedTest
    @CsvSource({
            "18-error-eexist, 17, EEXIST, NEW_SERVICE",
            "19-error-enoent-scheduler, 2, ENOENT, NEW_SERVICE",
            "20-error-esrch, 3, ESRCH, DEL_SERVICE",
            "30-error-daemon-eexist, 17, EEXIST, NEW_DAEMON",
            "39-error-daemon-enodev, 19, ENODEV, NEW_DAEMON"})
    void kernelErrorsBecomeTypedExceptions(String capture, int errno, String name, String command) {
        Capture c = Capture.load(capture);
        List<Exchange> xs = exchanges(c);
        NetlinkErrorException e = xs.get(xs.size() - 1).firstError();
        assertThat(e).isNotNull();
        assertThat(e.errno()).isEqualTo(errno);
        assertThat(e.errnoName()).isEqualTo(name);
        assertThat(e.command()).isEqualTo(command);
        assertThat(e.getMessage()).startsWith(command + ": " + name);
        Message err = c.receivedMessages().stream().filter(m -> m.isError() && m.errorCode() != 0).findFirst().orElseThrow();
        assertThat(IpvsCommand.of(err.erroredGenlCommand()).name()).isEqualTo(command);
    }
}
