package io.lvscp.ipvs.netlink;

/** IPVS generic-netlink commands (enum in include/uapi/linux/ip_vs.h). */
public enum IpvsCommand {
    UNSPEC, NEW_SERVICE, SET_SERVICE, DEL_SERVICE, GET_SERVICE, NEW_DEST, SET_DEST, DEL_DEST, GET_DEST,
    NEW_DAEMON, DEL_DAEMON, GET_DAEMON, SET_CONFIG, GET_CONFIG, SET_INFO, GET_INFO, ZERO, FLUSH;

    public int wireValue() {
        return ordinal();
    }

    public static IpvsCommand of(int cmd) {
        IpvsCommand[] all = values();
        return cmd >= 0 && cmd < all.length ? all[cmd] : UNSPEC;
    }
}
