package io.lvscp.vrrp.linux;

import io.lvscp.vrrp.Advertisement;
import io.lvscp.vrrp.AdvertisementCodec;
import io.lvscp.vrrp.VrrpInstanceConfig;
import io.lvscp.vrrp.VrrpTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.List;

/**
 * The state machine's transport on Linux: adverts through a {@link VrrpChannel}, VIPs
 * through {@link RtnetlinkAddresses}, gratuitous ARP through {@link GratuitousArpSender} and unsolicited
 * neighbour adverts through {@link UnsolicitedNeighbourAdvertSender}. Failures are
 * reported and otherwise ignored: the protocol recovers (a lost advert is resent next interval).
 */
public final class LinuxVrrpTransport implements VrrpTransport {

    private final VrrpChannel channel;
    private final RtnetlinkAddresses addresses;
    private final List<InetAddress> destinations;
    private final int ifindex;
    private final int prefixLength;
    private final String label;
    private final PrintStream log;
    private final GratuitousArpSender arp;
    private final UnsolicitedNeighbourAdvertSender neighbourAdverts;

    public LinuxVrrpTransport(VrrpChannel channel, RtnetlinkAddresses addresses, GratuitousArpSender arp,
            UnsolicitedNeighbourAdvertSender neighbourAdverts, List<InetAddress> destinations, int ifindex, int prefixLength, String label, PrintStream log) {
        this.arp = arp;
        this.neighbourAdverts = neighbourAdverts;
        this.channel = channel;
        this.addresses = addresses;
        this.destinations = List.copyOf(destinations);
        this.ifindex = ifindex;
        this.prefixLength = prefixLength;
        this.label = label;
        this.log = log;
    }

    @Override
    public void sendAdvertisement(VrrpInstanceConfig instance, Advertisement advertisement) {
        // the multicast group, or each unicast peer (v3's checksum covers the destination: encode per peer)
        for (InetAddress destination : destinations) {
            try {
                channel.send(AdvertisementCodec.encode(advertisement, instance.primaryAddress(), destination), destination);
            } catch (IOException e) {
                log.println("VRRP " + instance.name() + " send to " + destination.getHostAddress() + " failed: "
                        + e.getMessage());
            }
        }
    }

    @Override
    public void addVips(VrrpInstanceConfig instance) {
        for (InetAddress vip : instance.vips()) {
            try {
                addresses.add(ifindex, vip, prefixLength, label);
            } catch (IOException e) {
                log.println("VRRP " + instance.name() + " add VIP failed: " + e.getMessage());
            }
        }
    }

    @Override
    public void removeVips(VrrpInstanceConfig instance) {
        for (InetAddress vip : instance.vips()) {
            try {
                addresses.remove(ifindex, vip, prefixLength);
            } catch (IOException e) {
                log.println("VRRP " + instance.name() + " remove VIP failed: " + e.getMessage());
            }
        }
    }

    @Override
    public void announceVips(VrrpInstanceConfig instance) {
        // one round at once; keepalived's garp_master_repeat / delay / refresh are not implemented yet (issue 4)
        for (InetAddress vip : instance.vips()) {
            try {
                if (vip instanceof java.net.Inet6Address) {
                    neighbourAdverts.announce(vip);
                } else {
                    arp.announce(vip);
                }
            } catch (IOException e) {
                log.println("VRRP " + instance.name() + " announcing " + vip.getHostAddress() + " failed: " + e.getMessage());
            }
        }
    }
}
