package io.lvscp.plan;

/**
 * IPVS connection synchronisation as one director must run it, from the one VRRP instance of
 * the director that has it set: the interface the daemons send and listen on, the sync id,
 * and the optional settings where 0 (or a null group) leaves the kernel's default (maximum
 * payload from the interface's MTU, group 224.0.0.81, port 8848, TTL 1). The director runs
 * both the master and the backup daemon with these settings, whatever its VRRP state
 * (docs/concepts.md, "Connection synchronisation").
 *
 * @param instance the VRRP instance the settings come from
 */
public record SyncDaemonSpec(String instance, String interfaceName, int syncId, int maxLength, String group, int port, int ttl) {
}
