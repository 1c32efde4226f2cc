package io.lvscp.vrrp.node;

import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.ReceivedPacket;
import io.lvscp.vrrp.VrrpInstanceConfig;
import io.lvscp.vrrp.VrrpTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a {@link VrrpNode} needs from the host: sockets, addresses, link state. The Linux
 * implementation is {@code io.lvscp.vrrp.linux.LinuxVrrpNodeIo}; tests use a fake. Every method is
 * called from the node's loop thread only, except {@link #close()} (after the loop has ended).
 */
public interface VrrpNodeIo extends AutoCloseable {

    /**
     * Where adverts of one kind arrive on one interface: one socket per interface, family and
     * multicast group ({@code group} null: unicast peers).
     */
    record PortKey(String interfaceName, Family family, InetAddress group) {
    }

    /** A socket the loop reads adverts from and the instances' transports send through. */
    interface Port extends AutoCloseable {

        PortKey key();

        /** One packet if one is waiting, else null; never blocks for long. */
        ReceivedPacket receive() throws IOException;

        @Override
        void close();
    }

    /** A link went up or down (rtnetlink RTM_NEWLINK / RTM_DELLINK). */
    record LinkChange(String interfaceName, boolean up) {
    }

    /**
     * Our address on the interface: the adverts' source (IPv6: the link-local address), never one
     * of {@code vips} (a VIP we or a crashed run of ours may hold).
     */
    InetAddress primaryAddress(String interfaceName, Family family, Set<InetAddress> vips) throws IOException;

    /**
     * Whether every VIP of the instance is on its device now (a crashed run of ours left them): a restart may keep
     * them ({@link io.lvscp.vrrp.RestartVips}). Hosts that cannot tell say no.
     */
    default boolean vipsPresent(VrrpInstanceSpec spec) {
        return false;
    }

    /** Whether the interface exists with its link up and running now. */
    boolean linkUp(String interfaceName);

    /**
     * Opens the socket of a port. {@code source} is our address on the interface (from
     * {@link #primaryAddress}, VIPs excluded): the IPv4 adverts' source and the address the
     * group is joined with. Never a VIP: a peer that holds the VIP drops packets from it.
     */
    Port open(PortKey key, InetAddress source) throws IOException;

    /** The instance's transport: adverts through {@code port}, the spec's VIPs with their prefixes and labels. */
    VrrpTransport transport(VrrpInstanceSpec spec, VrrpInstanceConfig config, Port port) throws IOException;

    /** Blocks until one of the ports has a packet or a link changed, or the timeout passes. */
    void await(List<Port> ports, Duration timeout);

    /** Link changes since the last call; never blocks. */
    List<LinkChange> linkChanges();

    @Override
    void close();
}
