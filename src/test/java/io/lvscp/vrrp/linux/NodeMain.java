package io.lvscp.vrrp.linux;

import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.PlanInput;
import io.lvscp.plan.VrrpInstanceSpec;
import io.lvscp.vrrp.node.VrrpNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A {@link VrrpNode} on the host's raw sockets, outside Spring, for the namespace lab. Arguments:
 * iface, version (2|3), interval (seconds for v2, centiseconds for v3), pass, and
 * instances=NAME:VRID:PRIORITY:VIP,... (VIPs /24 with label iface:VRID). Prints "STATE name from to reason"
 * per transition and "CONFIGURED result" per configure. A line "priority NAME P" on standard input
 * reconfigures that instance; SIGTERM closes the node (priority 0, VIPs removed).
 */
public final class NodeMain {

    private NodeMain() {
    }

    record Inst(String name, int vrid, int priority, String vip) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String iface = a.get("iface");
        int version = Integer.parseInt(a.getOrDefault("version", "3"));
        int interval = Integer.parseInt(a.getOrDefault("interval", version == 2 ? "1" : "100"));
        String pass = a.getOrDefault("pass", "");
        Map<String, Inst> instances = new LinkedHashMap<>();
        for (String s : a.get("instances").split(",")) {
            String[] f = s.split(":");
            instances.put(f[0], new Inst(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3]));
        }
        VrrpNode node = new VrrpNode("lab", new LinuxVrrpNodeIo(), Clock.systemUTC());
        node.addListener(new VrrpNode.Listener() {
            @Override
            public void transitioned(VrrpNode.Transition t) {
                System.out.println("STATE " + t.instance() + " " + t.from() + " " + t.to() + " " + t.at() + " " + t.reason());
                System.out.flush();
            }
        });
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            System.out.flush();
            closed.countDown();
        }));
        configure(node, instances, iface, version, interval, pass);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].equals("priority")) {
                Inst i = instances.get(f[1]);
                instances.put(i.name(), new Inst(i.name(), i.vrid(), Integer.parseInt(f[2]), i.vip()));
                configure(node, instances, iface, version, interval, pass);
            }
        }
        closed.await();
    }

    private static void configure(VrrpNode node, Map<String, Inst> instances, String iface, int version, int interval, String pass) {
        List<VrrpInstanceSpec> specs = new ArrayList<>();
        Map<String, String> passwords = new HashMap<>();
        for (Inst i : instances.values()) {
            specs.add(new VrrpInstanceSpec(i.name(), i.vrid(), iface, Family.IPV4, version, interval, i.priority(), true, 0,
                    !pass.isEmpty(), null, List.of(), null, List.of(new PlanInput.Vip(i.vip(), 24, null, iface + ":" + i.vrid()))));
            passwords.put(i.name(), pass);
        }
        System.out.println("CONFIGURED " + node.configure(specs, passwords));
        System.out.flush();
    }
}
