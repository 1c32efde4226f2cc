package io.lvscp.ipvs.netlink;

import io.lvscp.netlink.MessageWriter;
import io.lvscp.netlink.Attributes;
import io.lvscp.netlink.Message;
import io.lvscp.netlink.Netlink;
import static io.lvscp.ipvs.netlink.IpvsNetlink.*;
import static io.lvscp.netlink.Netlink.*;

import io.lvscp.ipvs.Destination;
import io.lvscp.ipvs.Forward;
import io.lvscp.ipvs.IpvsInfo;
import io.lvscp.ipvs.Stats;
import io.lvscp.ipvs.SyncDaemon;
import io.lvscp.ipvs.Timeouts;
import io.lvscp.ipvs.TunnelType;
import io.lvscp.ipvs.VirtualService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * IPVS requests and replies over generic netlink (pure: no I/O).
 *
 * <p>Requests carry the attributes ipvsadm 1.31 (libipvs) sends, in its order, so the
 * kernel sees the same bytes from us as from ipvsadm (golden-byte tests compare them):
 * the service nest always holds its key (AF, then FWMARK or PROTOCOL/ADDR/PORT) followed
 * by SCHED_NAME, FLAGS (value + mask ~0), TIMEOUT and NETMASK, also where the kernel only
 * reads the key (DEL_SERVICE, the parent of a destination); addresses are 16 bytes
 * (union nf_inet_addr); ports are big-endian; an IPv4 netmask is the mask in network
 * order, an IPv6 one the prefix length in host order. Dumps carry only the key.
 */
public final class IpvsCodec {

    private static final int REQ_ACK = NLM_F_REQUEST | NLM_F_ACK;
    private static final int DUMP = NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP;

    private IpvsCodec() {
    }

    // ---- requests -------------------------------------------------------------------

    public static Request getInfo() {
        return new Request(IpvsCommand.GET_INFO.wireValue(), REQ_ACK, "GET_INFO", w -> { });
    }

    public static Request flush() {
        return new Request(IpvsCommand.FLUSH.wireValue(), REQ_ACK, "FLUSH", w -> { });
    }

    public static Request getConfig() {
        return new Request(IpvsCommand.GET_CONFIG.wireValue(), REQ_ACK, "GET_CONFIG", w -> { });
    }

    /** SET_CONFIG; a 0 leaves that timeout as it is (ipvsadm sends all three). */
    public static Request setConfig(Timeouts t) {
        return new Request(IpvsCommand.SET_CONFIG.wireValue(), REQ_ACK, "SET_CONFIG " + t, w -> w
                .u32(IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp())
                .u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin())
                .u32(IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp()));
    }

    public static Request newService(VirtualService s) {
        return serviceCommand(IpvsCommand.NEW_SERVICE, s, true);
    }

    public static Request setService(VirtualService s) {
        return serviceCommand(IpvsCommand.SET_SERVICE, s, true);
    }

    /** DEL_SERVICE: the kernel reads only the key; the rest is written as ipvsadm does (empty scheduler, no flags). */
    public static Request delService(VirtualService s) {
        return serviceCommand(IpvsCommand.DEL_SERVICE, s, false);
    }

    /** GET_SERVICE for one service (the reply is one NEW_SERVICE message, then the ACK). */
    public static Request getService(VirtualService s) {
        return new Request(IpvsCommand.GET_SERVICE.wireValue(), REQ_ACK, "GET_SERVICE " + key(s), w -> {
            int n = w.nested(IPVS_CMD_ATTR_SERVICE);
            serviceKey(w, s);
            w.endNested(n);
        });
    }

    /** GET_SERVICE as a dump of every service. */
    public static Request dumpServices() {
        return new Request(IpvsCommand.GET_SERVICE.wireValue(), DUMP, "GET_SERVICE dump", w -> { });
    }

    /** GET_DEST as a dump of one service's destinations. */
    public static Request dumpDestinations(VirtualService s) {
        return new Request(IpvsCommand.GET_DEST.wireValue(), DUMP, "GET_DEST dump " + key(s), w -> {
            int n = w.nested(IPVS_CMD_ATTR_SERVICE);
            serviceKey(w, s);
            w.endNested(n);
        });
    }

    public static Request newDestination(VirtualService s, Destination d) {
        return destCommand(IpvsCommand.NEW_DEST, s, d);
    }

    public static Request setDestination(VirtualService s, Destination d) {
        return destCommand(IpvsCommand.SET_DEST, s, d);
    }

    public static Request delDestination(VirtualService s, Destination d) {
        return destCommand(IpvsCommand.DEL_DEST, s, d);
    }

    /**
     * NEW_DAEMON, as libipvs writes it: the daemon nest with STATE, MCAST_IFN and SYNC_ID,
     * then only the settings that are set (SYNC_MAXLEN, MCAST_PORT as u16 in host order,
     * MCAST_TTL, then MCAST_GROUP in network order or MCAST_GROUP6).
     */
    public static Request newDaemon(SyncDaemon d) {
        return new Request(IpvsCommand.NEW_DAEMON.wireValue(), REQ_ACK, "NEW_DAEMON " + d, w -> {
            int n = w.nested(IPVS_CMD_ATTR_DAEMON);
            w.u32(IPVS_DAEMON_ATTR_STATE, d.role().wireValue())
                    .string(IPVS_DAEMON_ATTR_MCAST_IFN, d.interfaceName())
                    .u32(IPVS_DAEMON_ATTR_SYNC_ID, d.syncId());
            if (d.maxLength() != 0) {
                w.u16(IPVS_DAEMON_ATTR_SYNC_MAXLEN, d.maxLength());
            }
            if (d.port() != 0) {
                w.u16(IPVS_DAEMON_ATTR_MCAST_PORT, d.port());
            }
            if (d.ttl() != 0) {
                w.u8(IPVS_DAEMON_ATTR_MCAST_TTL, d.ttl());
            }
            if (d.group() != null) {
                if (d.ipv6Group()) {
                    w.bytes(IPVS_DAEMON_ATTR_MCAST_GROUP6, d.group().getAddress());
                } else {
                    w.bytes(IPVS_DAEMON_ATTR_MCAST_GROUP, d.group().getAddress());
                }
            }
            w.endNested(n);
        });
    }

    /** DEL_DAEMON of the daemon with this role; the kernel reads only STATE, ipvsadm also sends an empty interface and sync id 0. */
    public static Request delDaemon(SyncDaemon.Role role) {
        return new Request(IpvsCommand.DEL_DAEMON.wireValue(), REQ_ACK, "DEL_DAEMON " + role.label(), w -> {
            int n = w.nested(IPVS_CMD_ATTR_DAEMON);
            w.u32(IPVS_DAEMON_ATTR_STATE, role.wireValue())
                    .string(IPVS_DAEMON_ATTR_MCAST_IFN, "")
                    .u32(IPVS_DAEMON_ATTR_SYNC_ID, 0);
            w.endNested(n);
        });
    }

    /** GET_DAEMON as a dump: one NEW_DAEMON message per running daemon (none when no daemon runs). */
    public static Request dumpDaemons() {
        return new Request(IpvsCommand.GET_DAEMON.wireValue(), DUMP, "GET_DAEMON dump", w -> { });
    }

    private static Request serviceCommand(IpvsCommand cmd, VirtualService s, boolean full) {
        return new Request(cmd.wireValue(), REQ_ACK, cmd + " " + key(s), w -> serviceNest(w, s, full));
    }

    private static Request destCommand(IpvsCommand cmd, VirtualService s, Destination d) {
        String what = cmd + " " + key(s) + " -> " + endpoint(d.family(), d.address(), d.port());
        return new Request(cmd.wireValue(), REQ_ACK, what, w -> {
            serviceNest(w, s, false);
            int n = w.nested(IPVS_CMD_ATTR_DEST);
            w.u16(IPVS_DEST_ATTR_ADDR_FAMILY, d.family())
                    .bytes(IPVS_DEST_ATTR_ADDR, addr16(d.address()))
                    .be16(IPVS_DEST_ATTR_PORT, d.port())
                    .u32(IPVS_DEST_ATTR_FWD_METHOD, d.forward().wireValue())
                    .u32(IPVS_DEST_ATTR_WEIGHT, d.weight())
                    .u8(IPVS_DEST_ATTR_TUN_TYPE, d.tunnelType() == null ? 0 : d.tunnelType().wireValue())
                    .be16(IPVS_DEST_ATTR_TUN_PORT, d.tunnelPort())
                    .u16(IPVS_DEST_ATTR_TUN_FLAGS, d.tunnelFlags())
                    .u32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold())
                    .u32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold());
            w.endNested(n);
        });
    }

    private static void serviceNest(MessageWriter w, VirtualService s, boolean full) {
        int n = w.nested(IPVS_CMD_ATTR_SERVICE);
        serviceKey(w, s);
        w.string(IPVS_SVC_ATTR_SCHED_NAME, full ? s.scheduler() : "");
        if (full && s.peName() != null) {
            w.string(IPVS_SVC_ATTR_PE_NAME, s.peName());
        }
        int flags = full ? s.flags() : 0;
        w.bytes(IPVS_SVC_ATTR_FLAGS, flagsStruct(flags, -1));
        w.u32(IPVS_SVC_ATTR_TIMEOUT, full ? s.timeout() : 0);
        int prefix = full ? s.netmask() : (s.family() == VirtualService.AF_INET6 ? 128 : 32);
        if (s.family() == VirtualService.AF_INET6) {
            w.u32(IPVS_SVC_ATTR_NETMASK, prefix);
        } else {
            w.be32(IPVS_SVC_ATTR_NETMASK, prefix == 0 ? 0 : -1 << (32 - prefix));
        }
        w.endNested(n);
    }

    private static void serviceKey(MessageWriter w, VirtualService s) {
        w.u16(IPVS_SVC_ATTR_AF, s.family());
        if (s.byMark()) {
            w.u32(IPVS_SVC_ATTR_FWMARK, s.fwmark());
        } else {
            w.u16(IPVS_SVC_ATTR_PROTOCOL, s.protocol())
                    .bytes(IPVS_SVC_ATTR_ADDR, addr16(s.address()))
                    .be16(IPVS_SVC_ATTR_PORT, s.port());
        }
    }

    private static byte[] flagsStruct(int flags, int mask) {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putInt(flags).putInt(mask).array();
    }

    private static byte[] addr16(InetAddress a) {
        return Arrays.copyOf(a.getAddress(), 16);
    }

    static String key(VirtualService s) {
        if (s.byMark()) {
            return "FWM " + s.fwmark() + (s.family() == VirtualService.AF_INET6 ? " IPv6" : "");
        }
        String p = switch (s.protocol()) {
            case VirtualService.TCP -> "TCP";
            case VirtualService.UDP -> "UDP";
            case VirtualService.SCTP -> "SCTP";
            default -> "proto " + s.protocol();
        };
        return p + " " + endpoint(s.family(), s.address(), s.port());
    }

    private static String endpoint(int family, InetAddress a, int port) {
        return io.lvscp.common.Addresses.hostPort(io.lvscp.common.Addresses.format(a), port);
    }

    // ---- replies --------------------------------------------------------------------

    /** A NEW_SERVICE message of a GET_SERVICE reply or dump. */
    public static VirtualService decodeService(Message m) {
        return decodeService(m.genlAttributes().nested(IPVS_CMD_ATTR_SERVICE));
    }

    public static VirtualService decodeService(Attributes a) {
        int af = a.u16(IPVS_SVC_ATTR_AF);
        int fwmark = a.u32(IPVS_SVC_ATTR_FWMARK, 0);
        InetAddress addr = null;
        int protocol = 0;
        int port = 0;
        if (fwmark == 0) {
            protocol = a.u16(IPVS_SVC_ATTR_PROTOCOL);
            addr = address(af, a.bytes(IPVS_SVC_ATTR_ADDR));
            port = a.be16(IPVS_SVC_ATTR_PORT);
        }
        int flags = a.has(IPVS_SVC_ATTR_FLAGS) ? a.u32(IPVS_SVC_ATTR_FLAGS) : 0;
        int netmask;
        if (!a.has(IPVS_SVC_ATTR_NETMASK)) {
            netmask = af == VirtualService.AF_INET6 ? 128 : 32;
        } else if (af == VirtualService.AF_INET6) {
            netmask = a.u32(IPVS_SVC_ATTR_NETMASK);
        } else {
            netmask = Integer.bitCount(a.u32(IPVS_SVC_ATTR_NETMASK));
        }
        return new VirtualService(af, protocol, addr, port, fwmark,
                a.has(IPVS_SVC_ATTR_SCHED_NAME) ? a.string(IPVS_SVC_ATTR_SCHED_NAME) : "",
                flags, a.u32(IPVS_SVC_ATTR_TIMEOUT, 0), netmask,
                a.has(IPVS_SVC_ATTR_PE_NAME) ? a.string(IPVS_SVC_ATTR_PE_NAME) : null,
                stats(a, IPVS_SVC_ATTR_STATS64, IPVS_SVC_ATTR_STATS));
    }

    /** A NEW_DEST message of a GET_DEST dump; the family defaults to the service's where the kernel omits it. */
    public static Destination decodeDestination(Message m, int serviceFamily) {
        return decodeDestination(m.genlAttributes().nested(IPVS_CMD_ATTR_DEST), serviceFamily);
    }

    public static Destination decodeDestination(Attributes a, int serviceFamily) {
        int af = a.has(IPVS_DEST_ATTR_ADDR_FAMILY) ? a.u16(IPVS_DEST_ATTR_ADDR_FAMILY) : serviceFamily;
        Forward fwd = Forward.of(a.u32(IPVS_DEST_ATTR_FWD_METHOD));
        TunnelType tun = fwd == Forward.TUNNEL && a.has(IPVS_DEST_ATTR_TUN_TYPE) ? TunnelType.of(a.u8(IPVS_DEST_ATTR_TUN_TYPE)) : null;
        return new Destination(af, address(af, a.bytes(IPVS_DEST_ATTR_ADDR)), a.be16(IPVS_DEST_ATTR_PORT), fwd,
                a.u32(IPVS_DEST_ATTR_WEIGHT, 0), a.u32(IPVS_DEST_ATTR_U_THRESH, 0), a.u32(IPVS_DEST_ATTR_L_THRESH, 0), tun,
                a.has(IPVS_DEST_ATTR_TUN_PORT) ? a.be16(IPVS_DEST_ATTR_TUN_PORT) : 0,
                a.has(IPVS_DEST_ATTR_TUN_FLAGS) ? a.u16(IPVS_DEST_ATTR_TUN_FLAGS) : 0,
                a.u32(IPVS_DEST_ATTR_ACTIVE_CONNS, 0), a.u32(IPVS_DEST_ATTR_INACT_CONNS, 0),
                a.u32(IPVS_DEST_ATTR_PERSIST_CONNS, 0), stats(a, IPVS_DEST_ATTR_STATS64, IPVS_DEST_ATTR_STATS));
    }

    /** The 64-bit counters where the kernel sends them, else the 32-bit ones; null when neither is present. */
    static Stats stats(Attributes a, int stats64, int stats32) {
        if (a.has(stats64)) {
            Attributes s = a.nested(stats64);
            return new Stats(s.u64(IPVS_STATS_ATTR_CONNS), s.u64(IPVS_STATS_ATTR_INPKTS), s.u64(IPVS_STATS_ATTR_OUTPKTS),
                    s.u64(IPVS_STATS_ATTR_INBYTES), s.u64(IPVS_STATS_ATTR_OUTBYTES), s.u64(IPVS_STATS_ATTR_CPS),
                    s.u64(IPVS_STATS_ATTR_INPPS), s.u64(IPVS_STATS_ATTR_OUTPPS), s.u64(IPVS_STATS_ATTR_INBPS),
                    s.u64(IPVS_STATS_ATTR_OUTBPS));
        }
        if (a.has(stats32)) {
            Attributes s = a.nested(stats32);
            return new Stats(u(s.u32(IPVS_STATS_ATTR_CONNS)), u(s.u32(IPVS_STATS_ATTR_INPKTS)), u(s.u32(IPVS_STATS_ATTR_OUTPKTS)),
                    s.u64(IPVS_STATS_ATTR_INBYTES), s.u64(IPVS_STATS_ATTR_OUTBYTES), u(s.u32(IPVS_STATS_ATTR_CPS)),
                    u(s.u32(IPVS_STATS_ATTR_INPPS)), u(s.u32(IPVS_STATS_ATTR_OUTPPS)), u(s.u32(IPVS_STATS_ATTR_INBPS)),
                    u(s.u32(IPVS_STATS_ATTR_OUTBPS)));
        }
        return null;
    }

    private static long u(int v) {
        return Integer.toUnsignedLong(v);
    }

    /** One message of a GET_DAEMON dump (command NEW_DAEMON); the kernel fills in every default. */
    public static SyncDaemon decodeDaemon(Message m) {
        Attributes a = m.genlAttributes().nested(IPVS_CMD_ATTR_DAEMON);
        InetAddress group = null;
        if (a.has(IPVS_DAEMON_ATTR_MCAST_GROUP6)) {
            group = address(VirtualService.AF_INET6, a.bytes(IPVS_DAEMON_ATTR_MCAST_GROUP6));
        } else if (a.has(IPVS_DAEMON_ATTR_MCAST_GROUP)) {
            group = address(VirtualService.AF_INET, a.bytes(IPVS_DAEMON_ATTR_MCAST_GROUP));
        }
        return new SyncDaemon(SyncDaemon.Role.of(a.u32(IPVS_DAEMON_ATTR_STATE)), a.string(IPVS_DAEMON_ATTR_MCAST_IFN),
                a.u32(IPVS_DAEMON_ATTR_SYNC_ID, 0),
                a.has(IPVS_DAEMON_ATTR_SYNC_MAXLEN) ? a.u16(IPVS_DAEMON_ATTR_SYNC_MAXLEN) : 0, group,
                a.has(IPVS_DAEMON_ATTR_MCAST_PORT) ? a.u16(IPVS_DAEMON_ATTR_MCAST_PORT) : 0,
                a.has(IPVS_DAEMON_ATTR_MCAST_TTL) ? a.u8(IPVS_DAEMON_ATTR_MCAST_TTL) : 0);
    }

    /** The reply to GET_INFO (command SET_INFO). */
    public static IpvsInfo decodeInfo(Message m) {
        Attributes a = m.genlAttributes();
        return new IpvsInfo(a.u32(IPVS_INFO_ATTR_VERSION), a.u32(IPVS_INFO_ATTR_CONN_TAB_SIZE));
    }

    /** The reply to GET_CONFIG (command SET_CONFIG). */
    public static Timeouts decodeTimeouts(Message m) {
        Attributes a = m.genlAttributes();
        return new Timeouts(a.u32(IPVS_CMD_ATTR_TIMEOUT_TCP, 0), a.u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, 0),
                a.u32(IPVS_CMD_ATTR_TIMEOUT_UDP, 0));
    }

    static InetAddress address(int af, byte[] raw) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(raw, af == VirtualService.AF_INET6 ? 16 : 4));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
