package io.lvscp.realserver;

import java.time.Instant;

/**
 * What this node's health checks last found about a real server (read-only, in the API).
 *
 * @param status        "up", "down", or "unchecked" (probes are off here, see note)
 * @param since         when it took this status
 * @param lastCheckedAt when the last attempt ended
 * @param lastError     the last failure ("timeout: ...", "bad_status: status 503, ..."), even if it is up again
 * @param lastErrorAt   when that was
 * @param latencyMs     how long the last attempt took, in milliseconds
 * @param check         what is probed ("HTTP_GET 10.0.0.1:80/health")
 * @param node          the node whose checks these are
 * @param note          why it is unchecked, or what "up" means without a check
 */
public record RealServerHealth(String status, Instant since, Instant lastCheckedAt, String lastError, Instant lastErrorAt, Double latencyMs,
        String check, String node, String note) {
}
