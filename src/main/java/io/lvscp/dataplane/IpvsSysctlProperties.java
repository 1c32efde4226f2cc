package io.lvscp.dataplane;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The director's {@code net.ipv4.vs.*} sysctls that decide what happens to synchronised and orphaned connections,
 * written by the service at start in the {@code kernel} data plane (docs/configuration.md). A value left empty leaves
 * the kernel's as it is.
 *
 * @param expireNodestConn        1: a connection whose real server left the table (down, removed) is expired at its
 *                                next packet, so the client sees a reset and reconnects at once instead of hanging
 *                                until the entry times out (kernel default 0)
 * @param expireQuiescentTemplate 1: a persistence template that points at a real server of weight 0 (draining, or down
 *                                with inhibitOnFailure) expires, so new connections of that client go elsewhere
 *                                (kernel default 0)
 * @param connReuseMode           the kernel's conn_reuse_mode (bits: 1 reschedule a reused source port when safe, 2
 *                                also with the sync daemon's entries); kernel default 1; empty: left as it is
 * @param sloppyTcp               1: IPVS creates an entry from any TCP packet, not only a SYN (a failover without sync
 *                                then schedules mid-stream packets; with sync it is not needed); kernel default 0
 * @param conntrack               1: IPVS keeps netfilter's connection tracking for its connections (needed only when
 *                                a firewall on the director filters IPVS traffic by conntrack state); kernel default 0
 */
@ConfigurationProperties("lvs.ipvs-sysctl")
public record IpvsSysctlProperties(@DefaultValue("1") Integer expireNodestConn, @DefaultValue("1") Integer expireQuiescentTemplate,
        Integer connReuseMode, Integer sloppyTcp, Integer conntrack) {

    public IpvsSysctlProperties {
        check("expire-nodest-conn", expireNodestConn, 1);
        check("expire-quiescent-template", expireQuiescentTemplate, 1);
        check("conn-reuse-mode", connReuseMode, 3);
        check("sloppy-tcp", sloppyTcp, 1);
        check("conntrack", conntrack, 1);
    }

    private static void check(String name, Integer v, int max) {
        if (v != null && (v < 0 || v > max)) {
            throw new IllegalArgumentException("lvs.ipvs-sysctl." + name + " must be 0 to " + max + ", got " + v);
        }
    }

    /** The sysctls to write, by their name under /proc/sys/net/ipv4/vs, in a fixed order (empty ones left out). */
    public Map<String, Integer> wanted() {
        Map<String, Integer> out = new LinkedHashMap<>();
        put(out, "expire_nodest_conn", expireNodestConn);
        put(out, "expire_quiescent_template", expireQuiescentTemplate);
        put(out, "conn_reuse_mode", connReuseMode);
        put(out, "sloppy_tcp", sloppyTcp);
        put(out, "conntrack", conntrack);
        return out;
    }

    /** Every sysctl these settings may write, set or not (the metric shows them all). */
    public static final java.util.List<String> NAMES = java.util.List.of("expire_nodest_conn", "expire_quiescent_template",
            "conn_reuse_mode", "sloppy_tcp", "conntrack");

    private static void put(Map<String, Integer> out, String name, Integer v) {
        if (v != null) {
            out.put(name, v);
        }
    }
}
