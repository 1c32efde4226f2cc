package io.lvscp.ipvs.netlink;

/** IPVS's generic-netlink numbers, mirrored once (include/uapi/linux/ip_vs.h); netlink's own are in {@link io.lvscp.netlink.Netlink}. */
public final class IpvsNetlink {

    // ip_vs.h
    public static final String IPVS_GENL_NAME = "IPVS";
    public static final int IPVS_GENL_VERSION = 1;

    public static final int IPVS_CMD_ATTR_SERVICE = 1;
    public static final int IPVS_CMD_ATTR_DEST = 2;
    public static final int IPVS_CMD_ATTR_DAEMON = 3;
    public static final int IPVS_CMD_ATTR_TIMEOUT_TCP = 4;
    public static final int IPVS_CMD_ATTR_TIMEOUT_TCP_FIN = 5;
    public static final int IPVS_CMD_ATTR_TIMEOUT_UDP = 6;

    public static final int IPVS_SVC_ATTR_AF = 1;
    public static final int IPVS_SVC_ATTR_PROTOCOL = 2;
    public static final int IPVS_SVC_ATTR_ADDR = 3;
    public static final int IPVS_SVC_ATTR_PORT = 4;
    public static final int IPVS_SVC_ATTR_FWMARK = 5;
    public static final int IPVS_SVC_ATTR_SCHED_NAME = 6;
    public static final int IPVS_SVC_ATTR_FLAGS = 7;
    public static final int IPVS_SVC_ATTR_TIMEOUT = 8;
    public static final int IPVS_SVC_ATTR_NETMASK = 9;
    public static final int IPVS_SVC_ATTR_STATS = 10;
    public static final int IPVS_SVC_ATTR_PE_NAME = 11;
    public static final int IPVS_SVC_ATTR_STATS64 = 12;

    public static final int IPVS_DEST_ATTR_ADDR = 1;
    public static final int IPVS_DEST_ATTR_PORT = 2;
    public static final int IPVS_DEST_ATTR_FWD_METHOD = 3;
    public static final int IPVS_DEST_ATTR_WEIGHT = 4;
    public static final int IPVS_DEST_ATTR_U_THRESH = 5;
    public static final int IPVS_DEST_ATTR_L_THRESH = 6;
    public static final int IPVS_DEST_ATTR_ACTIVE_CONNS = 7;
    public static final int IPVS_DEST_ATTR_INACT_CONNS = 8;
    public static final int IPVS_DEST_ATTR_PERSIST_CONNS = 9;
    public static final int IPVS_DEST_ATTR_STATS = 10;
    public static final int IPVS_DEST_ATTR_ADDR_FAMILY = 11;
    public static final int IPVS_DEST_ATTR_STATS64 = 12;
    public static final int IPVS_DEST_ATTR_TUN_TYPE = 13;
    public static final int IPVS_DEST_ATTR_TUN_PORT = 14;
    public static final int IPVS_DEST_ATTR_TUN_FLAGS = 15;

    public static final int IPVS_STATS_ATTR_CONNS = 1;
    public static final int IPVS_STATS_ATTR_INPKTS = 2;
    public static final int IPVS_STATS_ATTR_OUTPKTS = 3;
    public static final int IPVS_STATS_ATTR_INBYTES = 4;
    public static final int IPVS_STATS_ATTR_OUTBYTES = 5;
    public static final int IPVS_STATS_ATTR_CPS = 6;
    public static final int IPVS_STATS_ATTR_INPPS = 7;
    public static final int IPVS_STATS_ATTR_OUTPPS = 8;
    public static final int IPVS_STATS_ATTR_INBPS = 9;
    public static final int IPVS_STATS_ATTR_OUTBPS = 10;

    public static final int IPVS_DAEMON_ATTR_STATE = 1;
    public static final int IPVS_DAEMON_ATTR_MCAST_IFN = 2;
    public static final int IPVS_DAEMON_ATTR_SYNC_ID = 3;
    public static final int IPVS_DAEMON_ATTR_SYNC_MAXLEN = 4;
    public static final int IPVS_DAEMON_ATTR_MCAST_GROUP = 5;
    public static final int IPVS_DAEMON_ATTR_MCAST_GROUP6 = 6;
    public static final int IPVS_DAEMON_ATTR_MCAST_PORT = 7;
    public static final int IPVS_DAEMON_ATTR_MCAST_TTL = 8;

    public static final int IPVS_INFO_ATTR_VERSION = 1;
    public static final int IPVS_INFO_ATTR_CONN_TAB_SIZE = 2;

    private IpvsNetlink() {
    }
}
