package io.lvscp.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One IPVS connection-synchronisation daemon (IPVS_CMD_NEW/DEL/GET_DAEMON): its role, the
 * interface it sends or listens on, the sync id, and the optional settings where 0 (or a
 * null group) means "the kernel's default" (maximum payload from the interface's MTU,
 * group 224.0.0.81 / port 8848, TTL 1). A daemon read back from the kernel carries every
 * value, defaults filled in.
 */
public record SyncDaemon(Role role, String interfaceName, int syncId, int maxLength, InetAddress group, int port, int ttl) {

    /** IP_VS_STATE_MASTER = 1, IP_VS_STATE_BACKUP = 2 (include/uapi/linux/ip_vs.h). */
    public enum Role {
        MASTER(1), BACKUP(2);

        private final int wire;

        Role(int wire) {
            this.wire = wire;
        }

        public int wireValue() {
            return wire;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Role of(int wire) {
            for (Role r : values()) {
                if (r.wire == wire) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown sync daemon state " + wire);
        }
    }

    /** The interface name's limit: IP_VS_IFNAME_MAXLEN (16) less the NUL. */
    public static final int IFNAME_MAX = 15;

    public SyncDaemon {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (interfaceName.isEmpty() || interfaceName.length() > IFNAME_MAX) {
            throw new IllegalArgumentException("interface name must have 1 to " + IFNAME_MAX + " characters: " + interfaceName);
        }
        if (syncId < 0 || syncId > 255) {
            throw new IllegalArgumentException("sync id must be 0 to 255: " + syncId);
        }
        if (maxLength < 0 || maxLength > 65535 || port < 0 || port > 65535 || ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("max length and port must be 0 to 65535, ttl 0 to 255");
        }
        if (group != null && !group.isMulticastAddress()) {
            throw new IllegalArgumentException("group must be a multicast address: " + group.getHostAddress());
        }
    }

    /** A daemon with the kernel's defaults for everything but role, interface and sync id. */
    public static SyncDaemon of(Role role, String interfaceName, int syncId) {
        return new SyncDaemon(role, interfaceName, syncId, 0, null, 0, 0);
    }

    public SyncDaemon withRole(Role r) {
        return new SyncDaemon(r, interfaceName, syncId, maxLength, group, port, ttl);
    }

    public boolean ipv6Group() {
        return group instanceof Inet6Address;
    }

    /**
     * True when the running daemon (as the kernel reports it, defaults filled in) is what
     * this one asks for: the same role, interface and sync id, and every setting this one
     * gives (not 0 / null) equal.
     */
    public boolean satisfiedBy(SyncDaemon running) {
        return running != null && role == running.role && interfaceName.equals(running.interfaceName)
                && syncId == running.syncId
                && (maxLength == 0 || maxLength == running.maxLength)
                && (group == null || group.equals(running.group))
                && (port == 0 || port == running.port)
                && (ttl == 0 || ttl == running.ttl);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(role.label()).append(" sync daemon (mcast=").append(interfaceName)
                .append(", syncid=").append(syncId);
        if (maxLength != 0) {
            b.append(", maxlen=").append(maxLength);
        }
        if (group != null) {
            b.append(", group=").append(io.lvscp.common.Addresses.format(group));
        }
        if (port != 0) {
            b.append(", port=").append(port);
        }
        if (ttl != 0) {
            b.append(", ttl=").append(ttl);
        }
        return b.append(')').toString();
    }
}
