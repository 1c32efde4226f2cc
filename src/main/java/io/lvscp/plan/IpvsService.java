package io.lvscp.plan;

import java.util.List;

/**
 * One virtual service of an IPVS table, desired or read back.
 *
 * @param persistenceTimeout seconds, 0 when not persistent
 * @param persistenceNetmask prefix length of the persistence granularity, or null for the kernel default (/32, /128)
 * @param destinations       sorted by address and port
 */
public record IpvsService(ServiceKey key, String scheduler, int persistenceTimeout, Integer persistenceNetmask,
        List<IpvsDestination> destinations) {

    public IpvsService {
        destinations = List.copyOf(destinations);
    }

    /** The same service with other destinations. */
    public IpvsService withDestinations(List<IpvsDestination> dests) {
        return new IpvsService(key, scheduler, persistenceTimeout, persistenceNetmask, dests);
    }

    /** True when the service's own attributes (not its destinations) are equal. */
    public boolean sameAttributes(IpvsService other) {
        return scheduler.equals(other.scheduler) && persistenceTimeout == other.persistenceTimeout
                && java.util.Objects.equals(persistenceNetmask, other.persistenceNetmask);
    }
}
