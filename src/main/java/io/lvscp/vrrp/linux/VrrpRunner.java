package io.lvscp.vrrp.linux;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.vrrp.AnnouncePolicy;
import io.lvscp.vrrp.ReceivedPacket;
import io.lvscp.vrrp.VrrpAuthType;
import io.lvscp.vrrp.VrrpInstance;
import io.lvscp.vrrp.VrrpInstanceConfig;
import io.lvscp.vrrp.VrrpVersion;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one VRRP instance (IPv4, or IPv6 when {@code address} is IPv6: then our link-local address) on this host: the engine's loop without the service, for the
 * namespace lab. Arguments are key=value: iface, address (ours), vrid, priority, version (2|3),
 * interval-ms, vips (comma separated), prefix (default 24), pass (v2 PASS password),
 * group (default 224.0.0.18), peers (comma separated unicast peers instead of the group), preempt (default true). Prints "STATE name from to" on each
 * transition; on SIGTERM it sends priority 0 and removes its VIPs.
 */
public final class VrrpRunner {

    private static final Duration STOP_LATENCY = Duration.ofMillis(10);

    private VrrpRunner() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String iface = a.get("iface");
        InetAddress address = Addresses.parse(a.get("address"));
        List<InetAddress> destinations = a.containsKey("peers")
                ? Arrays.stream(a.get("peers").split(",")).map(Addresses::parse).toList()
                : List.of(Addresses.parse(a.getOrDefault("group", a.get("address").contains(":") ? "ff02::12" : "224.0.0.18")));
        InetAddress group = destinations.get(0);
        Family family = address instanceof java.net.Inet6Address ? Family.IPV6 : Family.IPV4;
        VrrpVersion version = "2".equals(a.getOrDefault("version", "3")) ? VrrpVersion.V2 : VrrpVersion.V3;
        String pass = a.getOrDefault("pass", "");
        List<InetAddress> vips = Arrays.stream(a.get("vips").split(",")).map(Addresses::parse).toList();
        VrrpInstanceConfig config = new VrrpInstanceConfig(a.getOrDefault("name", "VI_RUNNER"),
                Integer.parseInt(a.get("vrid")), version, family, Integer.parseInt(a.get("priority")),
                Duration.ofMillis(Long.parseLong(a.getOrDefault("interval-ms", "1000"))),
                Boolean.parseBoolean(a.getOrDefault("preempt", "true")), Duration.ZERO,
                pass.isEmpty() ? VrrpAuthType.NONE : VrrpAuthType.PASS, pass, address, vips);

        Clock clock = Clock.systemUTC();
        int ifindex = Native.ifindex(iface);
        try (VrrpChannel channel = family == Family.IPV6 ? new RawSocketVrrp6Channel(iface, group)
                : new RawSocketVrrpChannel(iface, group, address);
                RtnetlinkAddresses rtnl = new RtnetlinkAddresses();
                GratuitousArpSender arp = new GratuitousArpSender(iface);
                UnsolicitedNeighbourAdvertSender na = new UnsolicitedNeighbourAdvertSender(iface)) {
            LinuxVrrpTransport transport = new LinuxVrrpTransport(channel, rtnl, arp, na, destinations, ifindex,
                    Integer.parseInt(a.getOrDefault("prefix", "24")), null, System.err);
            VrrpInstance instance = new VrrpInstance(config, transport, clock, AnnouncePolicy.KEEPALIVED_DEFAULTS);
            instance.addListener((i, from, to, at) -> {
                System.out.println("STATE " + i.config().name() + " " + from + " " + to + " " + at);
                System.out.flush();
            });
            // on start, remove stale VIPs a crashed run may have left
            transport.removeVips(config);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread loop = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                loop.interrupt();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try {
                run(instance, channel, clock);
            } finally {
                instance.stop();
                System.out.println("STATS " + instance.stats().snapshot());
                System.out.flush();
                stopped.countDown();
            }
        }
    }

    private static void run(VrrpInstance instance, VrrpChannel channel, Clock clock) throws java.io.IOException {
        instance.start();
        while (!Thread.interrupted()) {
            Instant deadline = instance.nextDeadline();
            // a blocked recv does not see the interrupt: wake at least every STOP_LATENCY so a SIGTERM
            // sends priority 0 promptly (the backup's Skew_Time starts only then)
            Duration wait = deadline == null ? STOP_LATENCY : Duration.between(clock.instant(), deadline);
            wait = wait.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1)
                    : wait.compareTo(STOP_LATENCY) > 0 ? STOP_LATENCY : wait;
            channel.receiveTimeout(wait);
            ReceivedPacket packet = channel.receive();
            if (packet != null) {
                var verdict = instance.receive(packet);
                if (!verdict.accepted()) {
                    System.out.println("REJECTED " + verdict.rejection() + " " + verdict.detail() + " from "
                            + packet.source().getHostAddress());
                }
            }
            instance.poll();
        }
    }
}
