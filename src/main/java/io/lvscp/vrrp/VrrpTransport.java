package io.lvscp.vrrp;

/**
 * What the state machine does to the outside world. The Linux implementation sends through a raw
 * socket and changes addresses through rtnetlink; tests use a fake that records the calls.
 * Implementations must not call back into the instance and should not throw: a failed send is
 * logged and counted by the implementation, the protocol recovers by itself.
 */
public interface VrrpTransport {

    /** Sends one advertisement of the instance (to its multicast group or unicast peers). */
    void sendAdvertisement(VrrpInstanceConfig instance, Advertisement advertisement);

    /** Adds the instance's VIPs to its interface. */
    void addVips(VrrpInstanceConfig instance);

    /** Removes the instance's VIPs from its interface. */
    void removeVips(VrrpInstanceConfig instance);

    /** Announces the VIPs: gratuitous ARP (IPv4) or unsolicited neighbour advertisements (IPv6). */
    void announceVips(VrrpInstanceConfig instance);
}
