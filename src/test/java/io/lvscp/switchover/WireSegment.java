package io.lvscp.switchover;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.Advertisement;
import io.lvscp.vrrp.AdvertisementCodec;
import io.lvscp.vrrp.ReceivedPacket;
import io.lvscp.vrrp.VrrpInstanceConfig;
import io.lvscp.vrrp.VrrpTransport;
import io.lvscp.vrrp.node.VrrpNodeIo;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Ethernet segment in memory for several {@link io.lvscp.vrrp.node.VrrpNode}s in one test: an advert one node sends
 * is encoded as on the wire and arrives (validated by the receiver like any packet) at every other node's port. Each
 * node's VIPs are a set. For tests that need VRRP to really run between nodes without root; the namespace lab tests
 * do the same on raw sockets. {@link #cut} drops every advert (a multicast path cut between the directors).
 */
public final class WireSegment {

    static final InetAddress GROUP = Addresses.parse("224.0.0.18");

    private final List<Host> hosts = new CopyOnWriteArrayList<>();
    /** While true no advert reaches any other host. */
    public volatile boolean cut;

    public Host host(String address) {
        Host h = new Host(Addresses.parse(address));
        hosts.add(h);
        return h;
    }

    public final class Host implements VrrpNodeIo {
        final InetAddress address;
        public final Set<String> vips = ConcurrentHashMap.newKeySet();
        final Map<PortKey, WirePort> ports = new ConcurrentHashMap<>();

        Host(InetAddress address) {
            this.address = address;
        }

        @Override
        public InetAddress primaryAddress(String interfaceName, Family family, Set<InetAddress> vips) {
            return address;
        }

        @Override
        public boolean linkUp(String interfaceName) {
            return true;
        }

        @Override
        public Port open(PortKey key, InetAddress source) {
            WirePort p = new WirePort(key);
            ports.put(key, p);
            return p;
        }

        @Override
        public VrrpTransport transport(VrrpInstanceSpec spec, VrrpInstanceConfig config, Port port) {
            return new VrrpTransport() {
                @Override
                public void sendAdvertisement(VrrpInstanceConfig instance, Advertisement advertisement) {
                    if (cut) {
                        return;
                    }
                    byte[] bytes = AdvertisementCodec.encode(advertisement, address, GROUP);
                    for (Host other : hosts) {
                        if (other != Host.this) {
                            other.ports.values().forEach(p -> p.inbox.add(new ReceivedPacket(Family.IPV4, address, GROUP, 255, 112, bytes)));
                        }
                    }
                }

                @Override
                public void addVips(VrrpInstanceConfig instance) {
                    vips.add(instance.name());
                }

                @Override
                public void removeVips(VrrpInstanceConfig instance) {
                    vips.remove(instance.name());
                }

                @Override
                public void announceVips(VrrpInstanceConfig instance) {
                }
            };
        }

        @Override
        public void await(List<Port> ports, Duration timeout) {
            try {
                Thread.sleep(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public List<LinkChange> linkChanges() {
            return List.of();
        }

        @Override
        public void close() {
        }
    }

    static final class WirePort implements VrrpNodeIo.Port {
        final VrrpNodeIo.PortKey key;
        final ConcurrentLinkedQueue<ReceivedPacket> inbox = new ConcurrentLinkedQueue<>();

        WirePort(VrrpNodeIo.PortKey key) {
            this.key = key;
        }

        @Override
        public VrrpNodeIo.PortKey key() {
            return key;
        }

        @Override
        public ReceivedPacket receive() {
            return inbox.poll();
        }

        @Override
        public void close() {
        }
    }
}
