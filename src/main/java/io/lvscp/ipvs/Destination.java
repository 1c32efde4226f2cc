package io.lvscp.ipvs;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A real server of a virtual service as the kernel knows it.
 *
 * @param family           address family of the destination (AF_INET, AF_INET6); may differ from the service's for TUN
 * @param upperThreshold   0 = no limit
 * @param lowerThreshold   0 = none
 * @param tunnelType       null unless forward is TUNNEL and the kernel reports one
 * @param tunnelPort       GUE port, 0 otherwise
 * @param activeConnections   read back only
 * @param inactiveConnections read back only
 * @param persistentConnections read back only
 * @param stats            read back only (null in a request)
 */
public record Destination(int family, InetAddress address, int port, Forward forward, int weight,
        int upperThreshold, int lowerThreshold, TunnelType tunnelType, int tunnelPort, int tunnelFlags,
        int activeConnections, int inactiveConnections, int persistentConnections, Stats stats) {

    public Destination {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(forward, "forward");
    }

    public static Destination of(InetAddress address, int port, Forward forward, int weight) {
        return new Destination(VirtualService.familyOf(address), address, port, forward, weight, 0, 0, null, 0, 0, 0, 0, 0, null);
    }

    public Destination withWeight(int w) {
        return new Destination(family, address, port, forward, w, upperThreshold, lowerThreshold, tunnelType, tunnelPort,
                tunnelFlags, activeConnections, inactiveConnections, persistentConnections, stats);
    }

    public Destination withThresholds(int upper, int lower) {
        return new Destination(family, address, port, forward, weight, upper, lower, tunnelType, tunnelPort,
                tunnelFlags, activeConnections, inactiveConnections, persistentConnections, stats);
    }

    public Destination withTunnel(TunnelType type, int port) {
        return new Destination(family, address, this.port, forward, weight, upperThreshold, lowerThreshold, type, port,
                tunnelFlags, activeConnections, inactiveConnections, persistentConnections, stats);
    }

    public boolean sameEndpoint(Destination o) {
        return port == o.port && address.equals(o.address);
    }
}
