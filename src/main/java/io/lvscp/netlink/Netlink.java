package io.lvscp.netlink;

/**
 * The kernel's numbers for netlink, generic netlink and rtnetlink addresses, mirrored once
 * (include/uapi/linux/netlink.h, genetlink.h, rtnetlink.h, if_addr.h). IPVS's own numbers are in
 * {@code io.lvscp.ipvs.netlink.IpvsNetlink}.
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

    // rtnetlink.h (NETLINK_ROUTE), if_addr.h
    public static final int NETLINK_ROUTE = 0;
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_LABEL = 3;
    public static final int IFA_F_NODAD = 0x02;

    private Netlink() {
    }
}
