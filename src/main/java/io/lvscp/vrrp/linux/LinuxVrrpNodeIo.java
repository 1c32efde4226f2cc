package io.lvscp.vrrp.linux;

import io.lvscp.linux.Native;
import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.Advertisement;
import io.lvscp.vrrp.AdvertisementCodec;
import io.lvscp.vrrp.ReceivedPacket;
import io.lvscp.vrrp.VrrpInstanceConfig;
import io.lvscp.vrrp.VrrpTransport;
import io.lvscp.vrrp.node.VrrpNodeIo;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link io.lvscp.vrrp.node.VrrpNode}'s host on Linux: one raw socket per interface, family and
 * group (non-blocking, waited on with poll(2) together with an rtnetlink link-notification
 * socket), VIPs through rtnetlink with each VIP's own prefix, device and label, gratuitous ARP and
 * unsolicited neighbour adverts per device. Opens nothing until asked; all calls come from the
 * node's loop thread.
 */
public final class LinuxVrrpNodeIo implements VrrpNodeIo {

    private static final Logger log = LoggerFactory.getLogger(LinuxVrrpNodeIo.class);

    private RtnetlinkAddresses addresses;
    private RtnetlinkLinkMonitor links;
    private boolean linksFailed;
    private final Map<String, GratuitousArpSender> arp = new HashMap<>();
    private final Map<String, UnsolicitedNeighbourAdvertSender> neighbourAdverts = new HashMap<>();
    /** poll(2)'s struct pollfd array, kept between rounds (the loop calls {@link #await} about 100 times a second). */
    private byte[] pollFds = new byte[0];
    /** ppoll(2)'s struct timespec, kept between rounds. */
    private final byte[] pollTimeout = new byte[16];

    private final class LinuxPort implements Port {
        final PortKey key;
        final VrrpChannel channel;

        LinuxPort(PortKey key, VrrpChannel channel) {
            this.key = key;
            this.channel = channel;
        }

        @Override
        public PortKey key() {
            return key;
        }

        @Override
        public ReceivedPacket receive() throws IOException {
            return channel.receive(); // non-blocking: null on EAGAIN
        }

        @Override
        public void close() {
            channel.close();
        }
    }

    @Override
    public InetAddress primaryAddress(String interfaceName, Family family, java.util.Set<InetAddress> vips) throws IOException {
        NetworkInterface nif = networkInterface(interfaceName);
        // the interface's first address of the family that is no VIP; IPv6 adverts come from the link-local address
        for (var ia : nif.getInterfaceAddresses()) {
            InetAddress a = ia.getAddress();
            if (family == Family.IPV4 && a instanceof Inet4Address && !vips.contains(a)) {
                return a;
            }
            if (family == Family.IPV6 && a instanceof Inet6Address && a.isLinkLocalAddress()) {
                return InetAddress.getByAddress(a.getAddress()); // without the scope
            }
        }
        throw new IOException("interface " + interfaceName + " has no " + (family == Family.IPV6 ? "link-local IPv6" : "IPv4")
                + " address");
    }

    private static NetworkInterface networkInterface(String name) throws IOException {
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif == null) {
            throw new IOException("no interface " + name);
        }
        return nif;
    }

    @Override
    public boolean vipsPresent(VrrpInstanceSpec spec) {
        if (spec.vips().isEmpty()) {
            return false;
        }
        for (PlanInput.Vip vip : spec.vips()) {
            String device = vip.device() != null && !vip.device().isBlank() ? vip.device() : spec.interfaceName();
            try {
                NetworkInterface nif = NetworkInterface.getByName(device);
                if (nif == null || !holds(nif, Addresses.parse(vip.address()))) {
                    return false;
                }
            } catch (SocketException | RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /** The device's addresses, those under a label ("eth0:71", which Java lists as a sub-interface) included. */
    private static boolean holds(NetworkInterface nif, InetAddress address) {
        byte[] wanted = address.getAddress();
        if (nif.inetAddresses().anyMatch(a -> java.util.Arrays.equals(a.getAddress(), wanted))) {
            return true;
        }
        return nif.subInterfaces().anyMatch(sub -> holds(sub, address));
    }

    @Override
    public boolean linkUp(String interfaceName) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(interfaceName);
            boolean up = nif != null && nif.isUp();
            if (links != null) {
                links.assume(interfaceName, up);
            }
            return up;
        } catch (SocketException e) {
            return false;
        }
    }

    @Override
    public Port open(PortKey key, InetAddress source) throws IOException {
        startLinkMonitor();
        VrrpChannel channel;
        if (key.family() == Family.IPV6) {
            channel = new RawSocketVrrp6Channel(key.interfaceName(), key.group() == null ? Addresses.parse("ff02::12") : key.group());
        } else {
            // unicast: no membership (the channel joins only a multicast group)
            channel = new RawSocketVrrpChannel(key.interfaceName(), key.group() == null ? source : key.group(), source);
        }
        try {
            Native.nonBlocking(channel.fd());
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new LinuxPort(key, channel);
    }

    private void startLinkMonitor() {
        if (links == null && !linksFailed) {
            try {
                links = new RtnetlinkLinkMonitor();
            } catch (IOException e) {
                linksFailed = true;
                log.warn("No link notifications ({}): instances will not go to FAULT on link down", e.getMessage());
            }
        }
    }

    @Override
    public VrrpTransport transport(VrrpInstanceSpec spec, VrrpInstanceConfig config, Port port) throws IOException {
        if (addresses == null) {
            addresses = new RtnetlinkAddresses();
        }
        List<InetAddress> destinations = spec.unicastPeers().isEmpty() ? List.of(port.key().group())
                : spec.unicastPeers().stream().map(Addresses::parse).toList();
        return new NodeTransport(spec, ((LinuxPort) port).channel, destinations);
    }

    /** Adverts to the group or each peer; each VIP with its own prefix, device and label. */
    private final class NodeTransport implements VrrpTransport {
        private final VrrpInstanceSpec spec;
        private final VrrpChannel channel;
        private final List<InetAddress> destinations;

        NodeTransport(VrrpInstanceSpec spec, VrrpChannel channel, List<InetAddress> destinations) {
            this.spec = spec;
            this.channel = channel;
            this.destinations = destinations;
        }

        private String device(PlanInput.Vip vip) {
            return vip.device() != null && !vip.device().isBlank() ? vip.device() : spec.interfaceName();
        }

        @Override
        public void sendAdvertisement(VrrpInstanceConfig instance, Advertisement advertisement) {
            for (InetAddress destination : destinations) {
                try {
                    channel.send(AdvertisementCodec.encode(advertisement, instance.primaryAddress(), destination), destination);
                } catch (IOException e) {
                    log.warn("VRRP {}: send to {} failed: {}", instance.name(), destination.getHostAddress(), e.getMessage());
                }
            }
        }

        @Override
        public void addVips(VrrpInstanceConfig instance) {
            for (PlanInput.Vip vip : spec.vips()) {
                try {
                    addresses.add(Native.ifindex(device(vip)), Addresses.parse(vip.address()), vip.prefixLength(), vip.label());
                } catch (IOException e) {
                    log.warn("VRRP {}: adding VIP {} failed: {}", instance.name(), vip.address(), e.getMessage());
                }
            }
        }

        @Override
        public void removeVips(VrrpInstanceConfig instance) {
            for (PlanInput.Vip vip : spec.vips()) {
                try {
                    addresses.remove(Native.ifindex(device(vip)), Addresses.parse(vip.address()), vip.prefixLength());
                } catch (IOException e) {
                    log.warn("VRRP {}: removing VIP {} failed: {}", instance.name(), vip.address(), e.getMessage());
                }
            }
        }

        @Override
        public void announceVips(VrrpInstanceConfig instance) {
            for (PlanInput.Vip vip : spec.vips()) {
                String device = device(vip);
                try {
                    InetAddress address = Addresses.parse(vip.address());
                    if (address instanceof Inet6Address) {
                        UnsolicitedNeighbourAdvertSender s = neighbourAdverts.get(device);
                        if (s == null) {
                            s = new UnsolicitedNeighbourAdvertSender(device);
                            neighbourAdverts.put(device, s);
                        }
                        s.announce(address);
                    } else {
                        GratuitousArpSender s = arp.get(device);
                        if (s == null) {
                            s = new GratuitousArpSender(device);
                            arp.put(device, s);
                        }
                        s.announce(address);
                    }
                } catch (IOException e) {
                    log.warn("VRRP {}: announcing {} on {} failed: {}", instance.name(), vip.address(), device, e.getMessage());
                }
            }
        }
    }

    @Override
    public void await(List<Port> ports, Duration timeout) {
        int n = ports.size() + (links == null ? 0 : 1);
        if (n == 0) {
            sleep(timeout);
            return;
        }
        if (pollFds.length != 8 * n) {
            pollFds = new byte[8 * n];
        }
        byte[] fds = pollFds;
        int i = 0;
        for (Port p : ports) {
            pollfd(fds, i++, ((LinuxPort) p).channel.fd());
        }
        if (links != null) {
            pollfd(fds, i, links.fd());
        }
        // to the nanosecond (ppoll), not rounded up to the next millisecond as poll's timeout would be: each advert is
        // timed from the moment the previous one went out, so a rounded-up wait made every interval up to 1 ms long
        long nanos = Math.max(1_000, timeout.toNanos());
        putLong(pollTimeout, 0, nanos / 1_000_000_000L);
        putLong(pollTimeout, 8, nanos % 1_000_000_000L);
        Native.LIBC.ppoll(fds, n, pollTimeout, null); // EINTR or an error: the loop just goes round
    }

    /** struct pollfd: int fd, short events (POLLIN), short revents (cleared), host order (little-endian). */
    private static void pollfd(byte[] fds, int index, int fd) {
        int o = 8 * index;
        fds[o] = (byte) fd;
        fds[o + 1] = (byte) (fd >> 8);
        fds[o + 2] = (byte) (fd >> 16);
        fds[o + 3] = (byte) (fd >> 24);
        fds[o + 4] = (byte) Native.POLLIN;
        fds[o + 5] = 0;
        fds[o + 6] = 0;
        fds[o + 7] = 0;
    }

    private static void putLong(byte[] b, int offset, long v) {
        for (int i = 0; i < 8; i++) {
            b[offset + i] = (byte) (v >> (8 * i));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<LinkChange> linkChanges() {
        if (links == null) {
            return List.of();
        }
        try {
            List<RtnetlinkLinkMonitor.Link> changes = links.changes();
            if (changes.isEmpty()) {
                return List.of(); // nearly every round: nothing allocated
            }
            List<LinkChange> out = new ArrayList<>();
            for (RtnetlinkLinkMonitor.Link l : changes) {
                out.add(new LinkChange(l.name(), l.up()));
            }
            return out;
        } catch (IOException e) {
            // ENOBUFS: notifications were lost; the next ones still count
            log.warn("Link notifications: {}", e.getMessage());
            return Collections.emptyList();
        }
    }

    @Override
    public void close() {
        arp.values().forEach(GratuitousArpSender::close);
        arp.clear();
        neighbourAdverts.values().forEach(UnsolicitedNeighbourAdvertSender::close);
        neighbourAdverts.clear();
        if (addresses != null) {
            addresses.close();
            addresses = null;
        }
        if (links != null) {
            links.close();
            links = null;
        }
    }

    static InetAddress unscoped(InetAddress a) throws UnknownHostException {
        return InetAddress.getByAddress(a.getAddress());
    }
}
