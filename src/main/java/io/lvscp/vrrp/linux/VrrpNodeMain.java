package io.lvscp.vrrp.linux;

import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.VrrpCounter;
import io.lvscp.vrrp.node.VrrpNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The service's VRRP engine ({@link VrrpNode} on {@link LinuxVrrpNodeIo}) outside Spring, for the namespace lab and
 * {@code bench/vrrp-failover.sh}: the same code the service runs, configured from the command line instead of the
 * plan. Arguments are key=value:
 * <ul>
 * <li>{@code iface} (required), {@code version} 2|3 (default 3), {@code interval-ms} (default 1000; whole seconds
 * for v2, a multiple of 10 ms for v3), {@code pass} (v2 PASS password), {@code group} (a multicast group other than
 * 224.0.0.18 / ff02::12), {@code peers} (comma separated unicast peers instead of the group), {@code preempt}
 * (default true), {@code prefix} (default 24 for IPv4 VIPs, 64 for IPv6), {@code keep-vips} (default true, as
 * {@code lvs.vrrp.keep-vips-on-restart}: a start that finds the VIPs on the interface keeps them while it listens;
 * there is no database here, so VRRP alone decides);</li>
 * <li>one instance: {@code name} (default VI_NODE), {@code vrid}, {@code priority}, {@code vips} (comma separated);
 * or several: {@code instances=NAME:VRID:PRIORITY:VIP,...}.</li>
 * </ul>
 * IPv4 VIPs carry the label {@code iface:VRID}. The family is the VIPs'. Our address on the interface (IPv6: the
 * link-local one) is found by the node, as in the service.
 *
 * <p>An instance that cannot start at once (its interface has no usable address yet) is tried again every 250 ms
 * for up to 10 s, as the service's agent tries again each round. Prints {@code STATE name from to at reason} per
 * transition, {@code CONFIGURED result} per configure,
 * {@code REJECTED COUNTER name} when an instance counts a dropped advert, and at its stop {@code STATS name {counters}}
 * per instance and {@code UNMATCHED iface {counters}} (adverts of other VRIDs). A line {@code priority NAME P} on
 * standard input reconfigures that instance; {@code effective NAME P} (or {@code effective NAME clear}) runs it at
 * effective priority P (a planned switch-over's hold) and prints {@code EFFECTIVE name P}; {@code release NAME} makes a
 * master give it away (priority 0, backup) and prints {@code RELEASED name true|false}. SIGTERM closes the node: masters
 * send priority 0 and remove their VIPs.
 */
public final class VrrpNodeMain {

    private VrrpNodeMain() {
    }

    record Inst(String name, int vrid, int priority, List<String> vips) {
    }

    record Settings(String iface, int version, int interval, String pass, String group, List<String> peers, boolean preempt,
            Integer prefix) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        Settings settings = settings(a);
        Map<String, Inst> instances = instances(a);

        VrrpNode node = new VrrpNode("lab", new LinuxVrrpNodeIo(), Clock.systemUTC());
        node.keepVipsOnRestart(Boolean.parseBoolean(a.getOrDefault("keep-vips", "true")));
        node.addListener(new VrrpNode.Listener() {
            @Override
            public void transitioned(VrrpNode.Transition t) {
                print("STATE " + t.instance() + " " + t.from() + " " + t.to() + " " + t.at() + " " + t.reason());
            }

            @Override
            public void instanceStopped(VrrpNode.InstanceSnapshot last) {
                print("STATS " + last.name() + " " + last.counters());
            }
        });
        Thread rejections = new Thread(() -> watchRejections(node), "rejections");
        rejections.setDaemon(true);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            node.unmatched().forEach((iface, counters) -> print("UNMATCHED " + iface + " " + counters));
            closed.countDown();
        }));
        // as the service's agent does each round: an instance that cannot start yet (an interface whose link-local
        // address is not there yet, just after the link came up) is tried again, here every 250 ms for up to 10 s
        VrrpNode.Result result = configure(node, instances, settings);
        for (int i = 0; i < 40 && !result.errors().isEmpty(); i++) {
            Thread.sleep(250);
            result = configure(node, instances, settings);
        }
        rejections.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("priority") && instances.containsKey(f[1])) {
                Inst i = instances.get(f[1]);
                instances.put(i.name(), new Inst(i.name(), i.vrid(), Integer.parseInt(f[2]), i.vips()));
                configure(node, instances, settings);
            } else if (f.length == 3 && f[0].equals("effective")) {
                node.setEffectivePriority(f[1], f[2].equals("clear") ? null : Integer.valueOf(f[2]));
                print("EFFECTIVE " + f[1] + " " + f[2]);
            } else if (f.length == 2 && f[0].equals("release")) {
                print("RELEASED " + f[1] + " " + node.release(f[1]));
            }
        }
        closed.await();
    }

    static Settings settings(Map<String, String> a) {
        String iface = a.get("iface");
        if (iface == null) {
            throw new IllegalArgumentException("iface= is required");
        }
        int version = Integer.parseInt(a.getOrDefault("version", "3"));
        long ms = Long.parseLong(a.getOrDefault("interval-ms", "1000"));
        int interval;
        if (version == 2) {
            if (ms % 1000 != 0) {
                throw new IllegalArgumentException("VRRPv2 adverts are whole seconds, not " + ms + " ms");
            }
            interval = (int) (ms / 1000);
        } else {
            if (ms % 10 != 0) {
                throw new IllegalArgumentException("VRRPv3 adverts are centiseconds, not " + ms + " ms");
            }
            interval = (int) (ms / 10);
        }
        List<String> peers = a.containsKey("peers") ? Arrays.asList(a.get("peers").split(",")) : List.of();
        return new Settings(iface, version, interval, a.getOrDefault("pass", ""), a.get("group"), peers,
                Boolean.parseBoolean(a.getOrDefault("preempt", "true")),
                a.containsKey("prefix") ? Integer.valueOf(a.get("prefix")) : null);
    }

    static Map<String, Inst> instances(Map<String, String> a) {
        Map<String, Inst> instances = new LinkedHashMap<>();
        if (a.containsKey("instances")) {
            for (String s : a.get("instances").split(",")) {
                String[] f = s.split(":", 4);
                instances.put(f[0], new Inst(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), List.of(f[3])));
            }
        } else {
            String name = a.getOrDefault("name", "VI_NODE");
            instances.put(name, new Inst(name, Integer.parseInt(a.get("vrid")), Integer.parseInt(a.get("priority")),
                    Arrays.asList(a.get("vips").split(","))));
        }
        return instances;
    }

    static List<VrrpInstanceSpec> specs(Map<String, Inst> instances, Settings s) {
        List<VrrpInstanceSpec> specs = new ArrayList<>();
        for (Inst i : instances.values()) {
            Family family = i.vips().get(0).contains(":") ? Family.IPV6 : Family.IPV4;
            int prefix = s.prefix() != null ? s.prefix() : family == Family.IPV6 ? 64 : 24;
            List<PlanInput.Vip> vips = i.vips().stream()
                    .map(v -> new PlanInput.Vip(v, prefix, null, family == Family.IPV4 ? s.iface() + ":" + i.vrid() : null))
                    .toList();
            specs.add(new VrrpInstanceSpec(i.name(), i.vrid(), s.iface(), family, s.version(), s.interval(), i.priority(),
                    s.preempt(), 0, !s.pass().isEmpty(), s.group(), s.peers(), null, vips));
        }
        return specs;
    }

    private static VrrpNode.Result configure(VrrpNode node, Map<String, Inst> instances, Settings s) {
        Map<String, String> passwords = new HashMap<>();
        instances.keySet().forEach(name -> passwords.put(name, s.pass()));
        VrrpNode.Result result = node.configure(specs(instances, s), passwords);
        print("CONFIGURED " + result);
        return result;
    }

    /** Prints a line per advert an instance dropped (any receive outcome but ADVERT_RCVD), from the node's snapshots. */
    private static void watchRejections(VrrpNode node) {
        Map<String, Map<VrrpCounter, Long>> seen = new HashMap<>();
        while (true) {
            for (VrrpNode.InstanceSnapshot i : node.instances()) {
                Map<VrrpCounter, Long> before = seen.getOrDefault(i.name(), Map.of());
                for (var e : i.counters().entrySet()) {
                    VrrpCounter c = e.getKey();
                    if (c.isReceiveOutcome() && c != VrrpCounter.ADVERT_RCVD && e.getValue() > before.getOrDefault(c, 0L)) {
                        print("REJECTED " + c + " " + i.name());
                    }
                }
                seen.put(i.name(), i.counters());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
