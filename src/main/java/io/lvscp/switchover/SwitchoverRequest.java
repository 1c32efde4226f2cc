package io.lvscp.switchover;

/**
 * The body of {@code POST .../vrrp-instances/{instance}/switchover}.
 *
 * @param director       the node name (or id) of the director to become master
 * @param timeoutSeconds how long to wait for its IPVS table to catch up (default lvs.switchover.catch-up-timeout; 1-600)
 */
public record SwitchoverRequest(String director, Integer timeoutSeconds) {
}
