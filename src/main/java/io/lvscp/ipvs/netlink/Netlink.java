package io.lvscp.ipvs.netlink;

/**
 * The kernel's numbers for netlink, generic netlink and IPVS, mirrored once
 * (include/uapi/linux/netlink.h, genetlink.h, ip_vs.h).
 */
public final class Netlink {

    // netlink.h
    public static final int NETLINK_GENERIC = 16;
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    /** In an NLMSG_ERROR: the echoed request is only its header. */
    public static final int NLM_F_CAPPED = 0x100;
    /** In an NLMSG_ERROR: extended-ACK attributes follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;
    public static final int NLA_HDRLEN = 4;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_F_NET_BYTEORDER = 0x4000;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;
    public static final int NLMSGERR_ATTR_MSG = 1;

    // genetlink.h
    public static final int GENL_HDRLEN = 4;
    public static final int GENL_ID_CTRL = 0x10;
    public static final int CTRL_CMD_NEWFAMILY = 1;
    public static final int CTRL_CMD_GETFAMILY = 3;
    public static final int CTRL_ATTR_FAMILY_ID = 1;
    public static final int CTRL_ATTR_FAMILY_NAME = 2;
    public static final int CTRL_ATTR_VERSION = 3;
    public static final int CTRL_ATTR_HDRSIZE = 4;
    public static final int CTRL_ATTR_MAXATTR = 5;

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

    public static final int IPVS_INFO_ATTR_VERSION = 1;
    public static final int IPVS_INFO_ATTR_CONN_TAB_SIZE = 2;

    private Netlink() {
    }
}
