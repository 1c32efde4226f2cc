package io.lvscp.ipvs.netlink;

import io.lvscp.netlink.Message;
import io.lvscp.netlink.Netlink;
/** The generic-netlink controller: CTRL_CMD_GETFAMILY to turn a family name into its id. */
public final class GenlControl {

    private GenlControl() {
    }

    /** CTRL_CMD_GETFAMILY for one family name, version 1, as libnl's genl_ctrl_resolve sends it. */
    public static Request getFamily(String name) {
        return new Request(Netlink.CTRL_CMD_GETFAMILY, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, "GETFAMILY " + name,
                w -> w.string(Netlink.CTRL_ATTR_FAMILY_NAME, name));
    }

    public static byte[] encodeGetFamily(String name, int seq, int pid) {
        return getFamily(name).encode(Netlink.GENL_ID_CTRL, 1, seq, pid);
    }

    /** The family id from a CTRL_CMD_NEWFAMILY reply. */
    public static int familyId(Message reply) {
        if (reply.type() != Netlink.GENL_ID_CTRL || reply.genlCommand() != Netlink.CTRL_CMD_NEWFAMILY) {
            throw new IllegalArgumentException("not a CTRL_CMD_NEWFAMILY reply: type " + reply.type());
        }
        return reply.genlAttributes().u16(Netlink.CTRL_ATTR_FAMILY_ID);
    }
}
