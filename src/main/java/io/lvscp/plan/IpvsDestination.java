package io.lvscp.plan;

import io.lvscp.common.Addresses;
import io.lvscp.common.Forwarding;
import java.util.Comparator;

/** A real server as an IPVS destination: where, how (DR/NAT/TUN), and how much. */
public record IpvsDestination(String address, int port, Forwarding forwarding, int weight, int upperThreshold, int lowerThreshold)
        implements Comparable<IpvsDestination> {

    static final Comparator<IpvsDestination> ORDER = Comparator.comparing(IpvsDestination::address).thenComparingInt(IpvsDestination::port);

    public String endpoint() {
        return Addresses.hostPort(address, port);
    }

    boolean sameEndpoint(IpvsDestination o) {
        return address.equals(o.address) && port == o.port;
    }

    @Override
    public int compareTo(IpvsDestination o) {
        return ORDER.compare(this, o);
    }
}
