package io.lvscp.importer;

import io.lvscp.importer.ImportedCluster.RealServer;
import io.lvscp.importer.ImportedCluster.VirtualServer;
import io.lvscp.importer.ImportedCluster.Vip;
import io.lvscp.importer.ImportedCluster.VrrpInstance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one director's keepalived.conf for a cluster model: what {@link KeepalivedMapper} reads back to the same
 * model. Pure: no Spring, no I/O. The director's state is MASTER when it has the highest priority of the instance
 * (or the state recorded at import), BACKUP otherwise.
 */
public final class KeepalivedWriter {

    private KeepalivedWriter() {
    }

    public static String write(ImportedCluster cluster, String director) {
        StringBuilder out = new StringBuilder();
        out.append("! keepalived.conf for director ").append(director).append(", written by lvs-control-plane\n");
        out.append("global_defs {\n    router_id ").append(word(director)).append('\n');
        String group4 = null;
        String group6 = null;
        for (VrrpInstance vi : cluster.vrrpInstances()) {
            if (vi.multicastGroup() != null) {
                if (vi.multicastGroup().contains(":")) {
                    group6 = group6 == null ? vi.multicastGroup() : group6;
                } else {
                    group4 = group4 == null ? vi.multicastGroup() : group4;
                }
            }
        }
        if (group4 != null) {
            out.append("    vrrp_mcast_group4 ").append(group4).append('\n');
        }
        if (group6 != null) {
            out.append("    vrrp_mcast_group6 ").append(group6).append('\n');
        }
        // connection synchronisation: keepalived has one lvs_sync_daemon, the first of the director's instances that has it
        cluster.vrrpInstances().stream().filter(vi -> vi.connectionSync() != null && vi.priorities().get(director) != null).findFirst()
                .ifPresent(vi -> {
                    ImportedCluster.ConnectionSync s = vi.connectionSync();
                    out.append("    lvs_sync_daemon ").append(word(s.interfaceName())).append(' ').append(word(vi.name()));
                    if (s.syncId() != null) {
                        out.append(" id ").append(s.syncId());
                    }
                    if (s.maxLength() != null) {
                        out.append(" maxlen ").append(s.maxLength());
                    }
                    if (s.port() != null) {
                        out.append(" port ").append(s.port());
                    }
                    if (s.ttl() != null) {
                        out.append(" ttl ").append(s.ttl());
                    }
                    if (s.group() != null) {
                        out.append(" group ").append(s.group());
                    }
                    out.append('\n');
                });
        out.append("}\n");
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (VrrpInstance vi : cluster.vrrpInstances()) {
            if (vi.syncGroup() != null && vi.priorities().get(director) != null) {
                groups.computeIfAbsent(vi.syncGroup(), g -> new java.util.ArrayList<>()).add(vi.name());
            }
        }
        groups.forEach((g, members) -> {
            out.append("\nvrrp_sync_group ").append(word(g)).append(" {\n    group {\n");
            members.forEach(m -> out.append("        ").append(word(m)).append('\n'));
            out.append("    }\n}\n");
        });
        for (VrrpInstance vi : cluster.vrrpInstances()) {
            Integer priority = vi.priorities().get(director);
            if (priority == null) {
                continue;
            }
            String state = vi.states() == null ? null : vi.states().get(director);
            if (Boolean.FALSE.equals(vi.preempt()) || vi.preemptDelay() != null && vi.preemptDelay() > 0) {
                state = "BACKUP"; // keepalived ignores nopreempt and preempt_delay with initial state MASTER
            } else if (state == null) {
                int max = vi.priorities().values().stream().filter(java.util.Objects::nonNull).mapToInt(Integer::intValue)
                        .max().orElse(0);
                state = priority >= max ? "MASTER" : "BACKUP";
            }
            out.append("\nvrrp_instance ").append(word(vi.name())).append(" {\n");
            line(out, 1, "state", state);
            line(out, 1, "interface", vi.interfaceName());
            line(out, 1, "virtual_router_id", vi.vrid());
            line(out, 1, "priority", priority);
            if (vi.vrrpVersion() != null && vi.vrrpVersion() != 2) {
                line(out, 1, "version", vi.vrrpVersion());
            }
            if (vi.advertInterval() != null) {
                // the model holds centiseconds for VRRPv3; keepalived reads seconds
                line(out, 1, "advert_int", vi.vrrpVersion() != null && vi.vrrpVersion() == 3
                        ? java.math.BigDecimal.valueOf(vi.advertInterval(), 2).stripTrailingZeros().toPlainString()
                        : vi.advertInterval());
            }
            if (Boolean.FALSE.equals(vi.preempt())) {
                out.append("    nopreempt\n");
            }
            if (vi.preemptDelay() != null && vi.preemptDelay() > 0 && !Boolean.FALSE.equals(vi.preempt())) {
                line(out, 1, "preempt_delay", vi.preemptDelay());
            }
            if (vi.authType() != null && !vi.authType().equals("NONE")) {
                out.append("    authentication {\n");
                line(out, 2, "auth_type", vi.authType());
                line(out, 2, "auth_pass", vi.authPassword() == null ? null : word(vi.authPassword()));
                out.append("    }\n");
            }
            if (vi.unicastPeers() != null && !vi.unicastPeers().isEmpty()) {
                out.append("    unicast_peer {\n");
                vi.unicastPeers().forEach(p -> out.append("        ").append(p).append('\n'));
                out.append("    }\n");
            }
            out.append("    virtual_ipaddress {\n");
            for (Vip v : vi.vips()) {
                out.append("        ").append(v.address());
                if (v.prefixLength() != null) {
                    out.append('/').append(v.prefixLength());
                }
                if (v.device() != null) {
                    out.append(" dev ").append(v.device());
                }
                if (v.label() != null) {
                    out.append(" label ").append(v.label());
                }
                out.append('\n');
            }
            out.append("    }\n}\n");
        }
        for (VirtualServer vs : cluster.virtualServers()) {
            out.append("\nvirtual_server ").append(vs.fwmark() != null ? "fwmark " + vs.fwmark() : vs.vip() + " " + vs.port())
                    .append(" {\n");
            line(out, 1, "delay_loop", vs.delayLoop());
            line(out, 1, "lb_algo", vs.scheduler());
            line(out, 1, "lb_kind", vs.forwarding());
            line(out, 1, "protocol", vs.protocol());
            line(out, 1, "persistence_timeout", vs.persistenceTimeout());
            line(out, 1, "persistence_granularity", vs.persistenceNetmask());
            line(out, 1, "quorum", vs.quorum());
            line(out, 1, "hysteresis", vs.hysteresis());
            if (Boolean.TRUE.equals(vs.alpha())) {
                out.append("    alpha\n");
            }
            if (vs.sorryAddress() != null) {
                line(out, 1, "sorry_server", vs.sorryAddress() + (vs.sorryPort() == null ? "" : " " + vs.sorryPort()));
            }
            for (RealServer rs : vs.realServers()) {
                out.append("\n    real_server ").append(rs.address()).append(rs.port() == null ? "" : " " + rs.port()).append(" {\n");
                line(out, 2, "weight", rs.weight());
                if (Boolean.TRUE.equals(rs.inhibitOnFailure())) {
                    out.append("        inhibit_on_failure\n");
                }
                line(out, 2, "uthreshold", rs.upperThreshold());
                line(out, 2, "lthreshold", rs.lowerThreshold());
                if (rs.checkType() != null) {
                    out.append("        ").append(rs.checkType()).append(" {\n");
                    if (rs.path() != null || rs.statusCodes() != null || rs.digest() != null) {
                        out.append("            url {\n");
                        line(out, 4, "path", rs.path() == null ? null : word(rs.path()));
                        line(out, 4, "status_code", rs.statusCodes() == null ? null : rs.statusCodes().replace(',', ' '));
                        line(out, 4, "digest", rs.digest());
                        out.append("            }\n");
                    }
                    line(out, 3, "misc_path", rs.command() == null ? null : quote(rs.command()));
                    if (rs.checkType().equals("MISC_CHECK")) {
                        line(out, 3, "misc_timeout", rs.miscTimeout());
                    } else { // keepalived's MISC_CHECK knows none of these
                        line(out, 3, "connect_ip", rs.connectIp());
                        line(out, 3, "connect_port", rs.connectPort());
                        line(out, 3, "bindto", rs.bindTo());
                        line(out, 3, "connect_timeout", rs.connectTimeout());
                    }
                    if (rs.checkType().equals("HTTP_GET") || rs.checkType().equals("SSL_GET")) {
                        line(out, 3, "virtualhost", rs.virtualhost() == null ? null : word(rs.virtualhost()));
                    }
                    line(out, 3, "retry", rs.retry());
                    line(out, 3, "delay_before_retry", rs.delayBeforeRetry());
                    out.append("        }\n");
                }
                out.append("    }\n");
            }
            out.append("}\n");
        }
        return out.toString();
    }

    private static void line(StringBuilder out, int depth, String keyword, Object value) {
        if (value != null) {
            out.append("    ".repeat(depth)).append(keyword).append(' ').append(value).append('\n');
        }
    }

    /** A value that contains white space, a quote, a brace or a comment character is quoted. */
    static String word(String value) {
        return value.matches("[^\\s\"{}!#]+") ? value : quote(value);
    }

    private static String quote(String value) {
        if (value.contains("\"")) {
            throw new IllegalArgumentException("keepalived.conf cannot hold a double quote in a value: " + value);
        }
        return "\"" + value + "\"";
    }
}
