package io.lvscp.vrrp;

import java.net.InetAddress;
import java.time.Instant;

/** What the control plane shows of an instance. {@code masterAddress} is null until a master is known. */
public record VrrpStatus(String name, VrrpState state, int priority, InetAddress masterAddress, Instant lastTransition) {
}
