package io.lvscp.arp;

import io.lvscp.LvsProperties;
import io.lvscp.common.Addresses;
import io.lvscp.event.EventService;
import io.lvscp.plan.DesiredState;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes, every interval and on demand (after a takeover), the segment of each IPv4 VIP of
 * this node's VRRP instances: who answers ARP for it. An answer from a MAC other than the
 * master's is a hijack (typically a real server with the VIP on lo but without
 * arp_ignore/arp_announce: it steals the VIP's traffic). Each hijack's start and end is an
 * event, {@code lvs_arp_hijack} shows the current ones (1 per VIP and offending MAC), and
 * {@link #current()} feeds the cluster page. IPv6 (NDP) VIPs are not probed.
 */
public class ArpWatch {

    private static final Logger log = LoggerFactory.getLogger(ArpWatch.class);

    /** Sends probes (ArpProber per interface in production). */
    public interface Prober {
        Set<String> whoHas(String interfaceName, Inet4Address target, Duration window) throws IOException;
    }

    /** Where the VRRP master of an instance is, when another director holds it; null when unknown. */
    public interface Masters {
        InetAddress masterOf(String instance);
    }

    /** A current hijack, for the web page and the API. */
    public record Hijack(String cluster, String vip, String interfaceName, String mac) {
    }

    private final String node;
    private final Supplier<DesiredState> desired;
    private final Prober prober;
    private final Masters masters;
    private final LvsProperties.ArpWatch settings;
    private final EventService events;
    private final HijackDetector detector = new HijackDetector();
    private final MultiGauge gauge;
    private final Counter detections;
    private volatile List<Hijack> current = List.of();
    private volatile String cluster;

    public ArpWatch(String node, Supplier<DesiredState> desired, Prober prober, Masters masters, LvsProperties.ArpWatch settings,
            EventService events, MeterRegistry meters) {
        this.node = node;
        this.desired = desired;
        this.prober = prober;
        this.masters = masters;
        this.settings = settings;
        this.events = events;
        this.gauge = MultiGauge.builder("lvs.arp.hijack").description("1 while a MAC other than the master's answers ARP for a VIP")
                .register(meters);
        this.detections = Counter.builder("lvs.arp.hijacks").description("Hijacks detected (a MAC starting to answer ARP for a VIP)")
                .tag("node", node).register(meters);
    }

    public List<Hijack> current() {
        return current;
    }

    /** One round over every VIP. Never throws. */
    public synchronized void probeAll() {
        try {
            DesiredState d = desired.get();
            cluster = d == null ? null : d.cluster();
            Set<String> watched = new HashSet<>();
            List<Hijack> now = new ArrayList<>();
            for (VrrpInstanceSpec i : d == null ? List.<VrrpInstanceSpec>of() : d.vrrpInstances()) {
                for (PlanInput.Vip v : i.vips()) {
                    InetAddress a = Addresses.parse(v.address());
                    if (!(a instanceof Inet4Address vip)) {
                        continue;
                    }
                    String dev = v.device() != null ? v.device() : i.interfaceName();
                    watched.add(v.address() + "%" + dev);
                    HijackDetector.Change c = detector.observe(observe(i.name(), vip, dev));
                    if (c != null) {
                        report(c);
                    }
                }
            }
            detector.retain(watched).forEach(this::report);
            detector.current().forEach((key, macs) -> {
                String[] k = key.split("%", 2);
                macs.forEach(m -> now.add(new Hijack(cluster, k[0], k[1], m)));
            });
            current = List.copyOf(now);
            // no overwrite: rows already there stay registered (a scrape during a round still sees them); gone ones go
            gauge.register(now.stream().map(h -> MultiGauge.Row.of(Tags.of("node", node, "cluster", h.cluster() == null ? "" : h.cluster(),
                    "vip", h.vip(), "interface", h.interfaceName(), "mac", h.mac()), 1)).toList(), false);
        } catch (RuntimeException e) {
            log.warn("ARP watch round failed: {}", e.toString());
        }
    }

    private HijackDetector.Observation observe(String instance, Inet4Address vip, String dev) {
        try {
            boolean held = heldHere(dev, vip);
            String masterMac = null;
            if (!held) {
                InetAddress master = masters.masterOf(instance);
                if (master instanceof Inet4Address m) {
                    masterMac = prober.whoHas(dev, m, settings.window()).stream().findFirst().orElse(null);
                }
            }
            Set<String> answered = prober.whoHas(dev, vip, settings.window());
            return new HijackDetector.Observation(vip.getHostAddress(), dev, held, masterMac, answered);
        } catch (IOException e) {
            throw new IllegalStateException("probing " + vip.getHostAddress() + " on " + dev + ": " + e.getMessage(), e);
        }
    }

    static boolean heldHere(String dev, InetAddress vip) {
        try {
            NetworkInterface nif = NetworkInterface.getByName(dev);
            return nif != null && nif.inetAddresses().anyMatch(vip::equals);
        } catch (SocketException e) {
            return false;
        }
    }

    private void report(HijackDetector.Change c) {
        for (String mac : c.detected()) {
            detections.increment();
            log.warn("ARP hijack: {} answers ARP for VIP {} on {} (node {}); check that host's arp_ignore/arp_announce", mac, c.vip(),
                    c.interfaceName(), node);
            record("DETECTED", mac + " answers ARP for VIP " + c.vip() + " on " + c.interfaceName()
                    + ": a host other than the master claims the VIP (run the real server's setup.sh)", c, mac);
        }
        for (String mac : c.cleared()) {
            log.info("ARP hijack cleared: {} no longer answers for VIP {} on {}", mac, c.vip(), c.interfaceName());
            record("CLEARED", mac + " no longer answers ARP for VIP " + c.vip() + " on " + c.interfaceName(), c, mac);
        }
    }

    private void record(String action, String summary, HijackDetector.Change c, String mac) {
        try {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("node", node);
            details.put("vip", c.vip());
            details.put("interface", c.interfaceName());
            details.put("mac", mac);
            events.record(EventService.ARP_HIJACK, null, cluster, action, "vip", null, "node " + node + ": " + summary, details);
        } catch (RuntimeException e) {
            log.warn("Cannot record the ARP event '{}': {}", summary, e.toString());
        }
    }
}
