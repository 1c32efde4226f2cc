package io.lvscp.plan;

import io.lvscp.ipvs.SyncDaemon;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The steps from the sync daemons a kernel runs to those a director must run (pure).
 *
 * <ul>
 * <li>A director with connection synchronisation runs both daemons, master and backup, with the
 * same settings (the kernel allows one of each per network namespace, at once).</li>
 * <li>A running daemon that already is what is wanted is kept (adopted: no stop, no restart, so a
 * restart of the service loses no synced connection); one with other settings is stopped and
 * started again with the wanted ones.</li>
 * <li>A running daemon that is not wanted is stopped only when it is managed (started or adopted
 * by this process): a daemon an operator started by hand on a director without sync settings is
 * left alone. "Managed" survives a restart: the roles a director started or adopted are recorded
 * with the IPVS services it owns (the node's ownership records, ids {@link #ownershipId}) before a daemon
 * is started, and forgotten once it is stopped and not wanted; so a daemon started by the service
 * before sync was switched off while the service was down is still stopped after the restart.</li>
 * </ul>
 */
public final class SyncDaemonPlan {

    private SyncDaemonPlan() {
    }

    /** One step: start this daemon, or stop the running one. */
    public record Step(Change.Op op, SyncDaemon daemon) {

        public Change toChange() {
            return new Change(op, "sync daemon " + daemon.role().label(), ipvsadm());
        }

        /** "ipvsadm --start-daemon master --mcast-interface eth1 --syncid 7 ...", "ipvsadm --stop-daemon backup". */
        public String ipvsadm() {
            if (op == Change.Op.STOP_SYNC_DAEMON) {
                return "ipvsadm --stop-daemon " + daemon.role().label();
            }
            StringBuilder b = new StringBuilder("ipvsadm --start-daemon ").append(daemon.role().label())
                    .append(" --mcast-interface ").append(daemon.interfaceName()).append(" --syncid ").append(daemon.syncId());
            if (daemon.maxLength() != 0) {
                b.append(" --sync-maxlen ").append(daemon.maxLength());
            }
            if (daemon.group() != null) {
                b.append(" --mcast-group ").append(io.lvscp.common.Addresses.format(daemon.group()));
            }
            if (daemon.port() != 0) {
                b.append(" --mcast-port ").append(daemon.port());
            }
            if (daemon.ttl() != 0) {
                b.append(" --mcast-ttl ").append(daemon.ttl());
            }
            return b.toString();
        }
    }

    /** The daemons a spec asks for: master then backup, or none. */
    public static List<SyncDaemon> desired(SyncDaemonSpec spec) {
        if (spec == null) {
            return List.of();
        }
        InetAddress group;
        try {
            group = spec.group() == null ? null : InetAddress.getByName(spec.group());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("sync group " + spec.group() + " is not an address", e);
        }
        SyncDaemon master = new SyncDaemon(SyncDaemon.Role.MASTER, spec.interfaceName(), spec.syncId(), spec.maxLength(), group,
                spec.port(), spec.ttl());
        return List.of(master, master.withRole(SyncDaemon.Role.BACKUP));
    }

    /**
     * @param want    the daemons to run (at most one per role)
     * @param running the kernel's (GET_DAEMON)
     * @param managed the roles this process started or adopted
     */
    public static List<Step> steps(List<SyncDaemon> want, List<SyncDaemon> running, Set<SyncDaemon.Role> managed) {
        List<Step> out = new ArrayList<>();
        for (SyncDaemon.Role role : SyncDaemon.Role.values()) {
            SyncDaemon w = want.stream().filter(d -> d.role() == role).findFirst().orElse(null);
            SyncDaemon r = running.stream().filter(d -> d.role() == role).findFirst().orElse(null);
            if (w != null && w.satisfiedBy(r)) {
                continue;
            }
            if (r != null && (w != null || managed.contains(role))) {
                out.add(new Step(Change.Op.STOP_SYNC_DAEMON, r));
            }
            if (w != null) {
                out.add(new Step(Change.Op.START_SYNC_DAEMON, w));
            }
        }
        return out;
    }

    /** The roles managed after the steps ran: those wanted (started, or adopted as they were), less those stopped and not wanted. */
    public static java.util.EnumSet<SyncDaemon.Role> managedAfter(List<SyncDaemon> want) {
        java.util.EnumSet<SyncDaemon.Role> out = java.util.EnumSet.noneOf(SyncDaemon.Role.class);
        want.forEach(d -> out.add(d.role()));
        return out;
    }

    /** The prefix of a sync daemon's id among a node's ownership records (a service id never starts with it). */
    static final String OWNERSHIP_PREFIX = "sync-daemon ";

    /** "sync-daemon master", "sync-daemon backup": how a daemon the service manages is recorded with its owned services. */
    public static String ownershipId(SyncDaemon.Role role) {
        return OWNERSHIP_PREFIX + role.label();
    }

    public static boolean isOwnershipId(String id) {
        return id.startsWith(OWNERSHIP_PREFIX);
    }

    /** The ids of these roles. */
    public static Set<String> ownershipIds(Set<SyncDaemon.Role> roles) {
        Set<String> out = new java.util.TreeSet<>();
        roles.forEach(r -> out.add(ownershipId(r)));
        return out;
    }

    /** The roles recorded among a node's ownership records (other ids are services). */
    public static java.util.EnumSet<SyncDaemon.Role> ownedRoles(Set<String> owned) {
        java.util.EnumSet<SyncDaemon.Role> out = java.util.EnumSet.noneOf(SyncDaemon.Role.class);
        for (SyncDaemon.Role r : SyncDaemon.Role.values()) {
            if (owned.contains(ownershipId(r))) {
                out.add(r);
            }
        }
        return out;
    }
}
