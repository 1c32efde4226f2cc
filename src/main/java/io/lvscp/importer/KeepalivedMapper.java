package io.lvscp.importer;

import io.lvscp.common.Addresses;
import io.lvscp.importer.ImportedCluster.Director;
import io.lvscp.importer.ImportedCluster.RealServer;
import io.lvscp.importer.ImportedCluster.Source;
import io.lvscp.importer.ImportedCluster.VirtualServer;
import io.lvscp.importer.ImportedCluster.Vip;
import io.lvscp.importer.ImportedCluster.VrrpInstance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps parsed keepalived.conf files, one per director, to one {@link ImportedCluster}. Pure: no Spring, no I/O.
 *
 * <p>Director node names: the {@code directorNames} entry for the file if given; otherwise each file's
 * {@code router_id} when every file has a different one; otherwise the file name without directory and
 * {@code .conf}. Files must agree on everything but {@code state} and {@code priority}.
 *
 * <p>Keywords are matched as keepalived matches them: exactly (keepalived compares keywords case-sensitively).
 * A keyword we do not store becomes a warning; an invalid value becomes an error and nothing is returned.
 */
public final class KeepalivedMapper {

    static final Set<String> SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf",
            "mh");
    static final Set<String> KINDS = Set.of("NAT", "DR", "TUN");
    static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");

    private final List<ImportIssue> warnings = new ArrayList<>();
    private final List<ImportIssue> errors = new ArrayList<>();

    private KeepalivedMapper() {
    }

    public static ImportedCluster map(List<String> mainFiles, Map<String, String> files, Map<String, String> directorNames) {
        return new KeepalivedMapper().run(mainFiles, files, directorNames);
    }

    private record FileModel(String file, ConfNode routerIdNode, String routerId, List<VrrpInstance> instances,
            List<VirtualServer> virtualServers, int firstLine) {
    }

    private ImportedCluster run(List<String> mainFiles, Map<String, String> files, Map<String, String> directorNames) {
        if (mainFiles.isEmpty()) {
            throw new IllegalArgumentException("no keepalived.conf file");
        }
        List<FileModel> models = new ArrayList<>();
        for (String f : mainFiles) {
            models.add(file(f, KeepalivedParser.parse(f, files, errors)));
        }
        Set<String> routerIds = new HashSet<>();
        boolean distinctRouterIds = models.stream().allMatch(m -> m.routerId() != null && routerIds.add(m.routerId()));
        List<Director> directors = new ArrayList<>();
        for (FileModel m : models) {
            String name = directorNames.containsKey(m.file()) ? directorNames.get(m.file())
                    : distinctRouterIds ? m.routerId() : stem(m.file());
            String iface = m.instances().isEmpty() ? null : m.instances().get(0).interfaceName();
            int line = m.routerIdNode() != null ? m.routerIdNode().line()
                    : !m.instances().isEmpty() ? m.instances().get(0).sources().get("name").line() : m.firstLine();
            directors.add(new Director(name, m.file(), m.routerId(), iface, line));
            if (m.routerIdNode() != null && !m.routerId().equals(name)) {
                warnings.add(ImportIssue.at(m.routerIdNode(), m.routerId(), "router_id is not stored: the director is named '"
                        + name + "' and an export writes router_id " + name));
            }
        }
        FileModel first = models.get(0);
        List<VrrpInstance> instances = new ArrayList<>();
        for (VrrpInstance vi : first.instances()) {
            Map<String, Integer> priorities = new LinkedHashMap<>();
            Map<String, String> states = new LinkedHashMap<>();
            for (int i = 0; i < models.size(); i++) {
                FileModel m = models.get(i);
                VrrpInstance other = m.instances().stream().filter(o -> o.name().equals(vi.name())).findFirst().orElse(null);
                if (other == null) {
                    errors.add(new ImportIssue(m.file(), m.firstLine(), "vrrp_instance", vi.name(),
                            "missing here but defined at " + vi.sources().get("name").file() + ":" + vi.sources().get("name").line()));
                    continue;
                }
                if (!comparable(other).equals(comparable(vi))) {
                    Source s = other.sources().get("name");
                    errors.add(new ImportIssue(s.file(), s.line(), "vrrp_instance", vi.name(),
                            "differs from " + first.file() + " in more than state and priority"));
                }
                priorities.put(directors.get(i).nodeName(), other.priorities().get(""));
                states.put(directors.get(i).nodeName(), other.states().get(""));
            }
            instances.add(new VrrpInstance(vi.name(), vi.vrid(), vi.interfaceName(), vi.vrrpVersion(), vi.advertInterval(),
                    vi.preempt(), vi.preemptDelay(), vi.authType(), vi.authPassword(), vi.multicastGroup(), vi.unicastPeers(),
                    vi.syncGroup(), priorities, states, vi.vips(), vi.sources(), vi.connectionSync()));
        }
        for (FileModel m : models.subList(1, models.size())) {
            for (VrrpInstance vi : m.instances()) {
                if (first.instances().stream().noneMatch(o -> o.name().equals(vi.name()))) {
                    Source s = vi.sources().get("name");
                    errors.add(new ImportIssue(s.file(), s.line(), "vrrp_instance", vi.name(), "not in " + first.file()));
                }
            }
            compareVirtualServers(first, m);
        }
        if (!errors.isEmpty()) {
            throw new KeepalivedImportException(errors, warnings);
        }
        return new ImportedCluster(directors, instances, first.virtualServers(), List.copyOf(warnings));
    }

    /** Every director runs the same virtual servers: each difference is an error at the line that differs. */
    private void compareVirtualServers(FileModel first, FileModel m) {
        Map<String, VirtualServer> mine = new LinkedHashMap<>();
        m.virtualServers().forEach(v -> mine.put(v.key(), v));
        Set<String> seen = new HashSet<>();
        for (VirtualServer v : first.virtualServers()) {
            VirtualServer other = mine.get(v.key());
            seen.add(v.key());
            if (other == null) {
                Source s = v.sources().get("virtual_server");
                errors.add(new ImportIssue(m.file(), m.firstLine(), "virtual_server", v.key(),
                        "missing here but defined at " + s.file() + ":" + s.line()));
            } else if (!comparable(other).equals(comparable(v))) {
                Source s = other.sources().get("virtual_server");
                errors.add(new ImportIssue(s.file(), s.line(), "virtual_server", v.key(), "differs from the one at "
                        + v.sources().get("virtual_server").file() + ":" + v.sources().get("virtual_server").line()));
            }
        }
        for (VirtualServer v : m.virtualServers()) {
            if (!seen.contains(v.key())) {
                Source s = v.sources().get("virtual_server");
                errors.add(new ImportIssue(s.file(), s.line(), "virtual_server", v.key(), "not in " + first.file()));
            }
        }
    }

    static String stem(String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return name.endsWith(".conf") ? name.substring(0, name.length() - 5) : name;
    }

    private static VrrpInstance comparable(VrrpInstance v) {
        return new VrrpInstance(v.name(), v.vrid(), v.interfaceName(), v.vrrpVersion(), v.advertInterval(), v.preempt(),
                v.preemptDelay(), v.authType(), v.authPassword(), v.multicastGroup(), v.unicastPeers(), v.syncGroup(), null, null,
                v.vips(), null, v.connectionSync());
    }

    private static VirtualServer comparable(VirtualServer v) {
        return new VirtualServer(v.vip(), v.port(), v.protocol(), v.fwmark(), v.scheduler(), v.forwarding(),
                v.persistenceTimeout(), v.persistenceNetmask(), v.delayLoop(), v.quorum(), v.hysteresis(), v.alpha(),
                v.sorryAddress(), v.sorryPort(), v.realServers().stream().map(r -> new RealServer(r.address(), r.port(),
                        r.weight(), r.inhibitOnFailure(), r.checkType(), r.path(), r.statusCodes(), r.digest(), r.command(),
                        r.connectPort(), r.connectTimeout(), r.retry(), r.delayBeforeRetry(), r.virtualhost(), r.connectIp(), r.bindTo(),
                        r.miscTimeout(), null)).toList(), null);
    }

    // ---- one file ----

    private FileModel file(String file, List<ConfNode> top) {
        String routerId = null;
        ConfNode routerIdNode = null;
        String mcast4 = null;
        String mcast6 = null;
        Integer globalVersion = null;
        Map<String, String> syncGroups = new LinkedHashMap<>();
        ConfNode syncNode = null;
        for (ConfNode n : top) {
            if (n.name().equals("global_defs")) {
                for (ConfNode g : children(n)) {
                    switch (g.name()) {
                        case "router_id" -> {
                            routerId = one(g);
                            routerIdNode = g;
                        }
                        case "vrrp_mcast_group4" -> mcast4 = multicast(g, one(g), Addresses.Family.IPV4);
                        case "vrrp_mcast_group6" -> mcast6 = multicast(g, one(g), Addresses.Family.IPV6);
                        case "vrrp_version" -> globalVersion = integer(g, 2, 3);
                        case "default_interface" -> warn(g, "not stored: keepalived uses it for static addresses and routes,"
                                + " which are not imported (VIPs default to their instance's interface either way)");
                        case "lvs_timeouts" -> warn(g, "not stored: the service leaves the kernel's IPVS connection timeouts"
                                + " as they are; set them on each director with ipvsadm --set");
                        case "lvs_sync_daemon" -> syncNode = g;
                        case "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout" ->
                            warn(g, "notifications are not stored (the service sends its own events)");
                        default -> warn(g, "global_defs keyword not supported");
                    }
                }
            } else if (n.name().equals("vrrp_sync_group")) {
                String group = n.arg(0).orElse(null);
                for (ConfNode c : children(n)) {
                    if (c.name().equals("group")) {
                        for (ConfNode member : children(c)) {
                            syncGroups.put(member.name(), group);
                            for (Token t : member.args()) {
                                syncGroups.put(t.text(), group);
                            }
                        }
                    } else {
                        warn(c, "vrrp_sync_group keyword not supported");
                    }
                }
            }
        }
        List<VrrpInstance> instances = new ArrayList<>();
        List<VirtualServer> virtualServers = new ArrayList<>();
        for (ConfNode n : top) {
            switch (n.name()) {
                case "global_defs", "vrrp_sync_group" -> {
                }
                case "vrrp_instance" -> instances.add(instance(n, mcast4, mcast6, syncGroups, globalVersion));
                case "virtual_server" -> virtualServers.add(virtualServer(n));
                default -> warn(n, "top-level keyword not supported");
            }
        }
        if (syncNode != null) {
            attachSync(syncNode, instances);
        }
        Set<String> keys = new HashSet<>();
        for (VirtualServer v : virtualServers) {
            if (!keys.add(v.key())) {
                Source s = v.sources().get("virtual_server");
                errors.add(new ImportIssue(s.file(), s.line(), "virtual_server", v.key(), "defined twice"));
            }
        }
        return new FileModel(file, routerIdNode, routerId, instances, virtualServers, top.isEmpty() ? 1 : top.get(0).line());
    }

    /** lvs_sync_daemon: its instance (by name, in this file) takes the settings; anything else is an error at its line. */
    private void attachSync(ConfNode g, List<VrrpInstance> instances) {
        List<Token> a = g.args();
        if (a.size() < 2) {
            errors.add(ImportIssue.at(g, null, "expected an interface and a vrrp_instance name"));
            return;
        }
        String iface = a.get(0).text();
        if (!iface.matches("[A-Za-z0-9_.-]{1,15}")) {
            errors.add(ImportIssue.at(g, iface, "expected an interface name of 1 to 15 characters"));
        }
        String target = a.get(1).text();
        Integer id = null;
        Integer maxlen = null;
        Integer port = null;
        Integer ttl = null;
        String group = null;
        for (int k = 2; k < a.size(); k += 2) {
            String key = a.get(k).text();
            if (k + 1 >= a.size()) {
                errors.add(ImportIssue.at(g, key, "expected a value after '" + key + "'"));
                break;
            }
            String v = a.get(k + 1).text();
            switch (key) {
                case "id" -> id = (int) parseLong(g, v, 0, 255);
                case "maxlen" -> maxlen = (int) parseLong(g, v, 1, 65507);
                case "port" -> port = (int) parseLong(g, v, 1, 65535);
                case "ttl" -> ttl = (int) parseLong(g, v, 1, 255);
                case "group" -> {
                    if (!Addresses.isValid(v) || !Addresses.isMulticast(v)) {
                        errors.add(ImportIssue.at(g, v, "expected a multicast address"));
                    } else {
                        group = Addresses.canonical(v);
                    }
                }
                default -> errors.add(ImportIssue.at(g, key, "expected id, maxlen, port, ttl or group"));
            }
        }
        for (int i = 0; i < instances.size(); i++) {
            if (target.equals(instances.get(i).name())) {
                instances.set(i, instances.get(i).withConnectionSync(new ImportedCluster.ConnectionSync(iface, id, maxlen, group, port, ttl)));
                try {
                    instances.get(i).sources().put("lvs_sync_daemon", Source.of(g));
                } catch (UnsupportedOperationException e) {
                    // an instance read without its sources: errors point at its block
                }
                return;
            }
        }
        errors.add(ImportIssue.at(g, target, "no vrrp_instance " + target + " in this file"));
    }

    private VrrpInstance instance(ConfNode n, String mcast4, String mcast6, Map<String, String> syncGroups, Integer globalVersion) {
        Map<String, Source> src = new LinkedHashMap<>();
        String name = n.arg(0).orElse(null);
        if (name == null) {
            errors.add(ImportIssue.at(n, null, "expected an instance name"));
        }
        src.put("name", Source.of(n));
        String state = null;
        String iface = null;
        Integer vrid = null;
        Integer priority = null;
        Integer version = null;
        Integer advert = null;
        ConfNode advertNode = null;
        Boolean preempt = null;
        Integer preemptDelay = null;
        String authType = null;
        String authPass = null;
        List<String> peers = new ArrayList<>();
        List<Vip> vips = new ArrayList<>();
        for (ConfNode c : children(n)) {
            src.putIfAbsent(c.name(), Source.of(c));
            switch (c.name()) {
                case "state" -> {
                    state = one(c);
                    if (state != null && !Set.of("MASTER", "BACKUP").contains(state)) {
                        errors.add(ImportIssue.at(c, state, "expected MASTER or BACKUP"));
                    }
                }
                case "interface" -> iface = one(c);
                case "virtual_router_id" -> vrid = integer(c, 1, 255);
                case "priority" -> priority = integer(c, 1, 255);
                case "version" -> version = integer(c, 2, 3);
                case "advert_int" -> advertNode = c;
                case "nopreempt" -> preempt = false;
                case "preempt_delay" -> preemptDelay = integer(c, 0, 1000);
                case "authentication" -> {
                    for (ConfNode a : children(c)) {
                        src.putIfAbsent(a.name(), Source.of(a));
                        switch (a.name()) {
                            case "auth_type" -> {
                                authType = one(a);
                                if (authType != null && !Set.of("PASS", "AH").contains(authType)) {
                                    errors.add(ImportIssue.at(a, authType, "expected PASS or AH"));
                                }
                            }
                            case "auth_pass" -> authPass = one(a);
                            default -> warn(a, "authentication keyword not supported");
                        }
                    }
                }
                case "virtual_ipaddress" -> {
                    for (ConfNode v : children(c)) {
                        vips.add(vip(v));
                    }
                }
                case "unicast_peer" -> {
                    for (ConfNode p : children(c)) {
                        address(p, p.name());
                        peers.add(p.name());
                        if (!p.args().isEmpty()) {
                            warn(p, "unicast_peer options are not stored");
                        }
                    }
                }
                case "unicast_src_ip", "track_interface", "track_script", "notify", "notify_master", "notify_backup",
                     "notify_fault", "smtp_alert", "garp_master_delay", "virtual_routes", "dont_track_primary" ->
                    warn(c, "not stored");
                default -> warn(c, "vrrp_instance keyword not supported");
            }
        }
        if (version == null) {
            version = globalVersion; // global_defs vrrp_version; keepalived's default is 2
        }
        if (advertNode != null) {
            advert = advertInterval(advertNode, version != null && version == 3);
        }
        if (iface == null) {
            errors.add(ImportIssue.at(n, name, "expected an interface (keepalived 2.2.7 refuses an instance without one:"
                    + " 'Unknown interface!')"));
        }
        if (version != null && version == 3 && authType != null) {
            warnings.add(new ImportIssue(src.get("authentication").file(), src.get("authentication").line(), "authentication",
                    authType, "VRRP version 3 has no authentication: keepalived ignores it"));
        }
        if ("MASTER".equals(state) && (Boolean.FALSE.equals(preempt) || preemptDelay != null)) {
            Source s = src.getOrDefault("nopreempt", src.get("preempt_delay"));
            warnings.add(new ImportIssue(s.file(), s.line(), s.keyword(), null,
                    "keepalived ignores it with state MASTER; the export writes state BACKUP"));
        }
        String group = null;
        if (!vips.isEmpty() && vips.get(0).address() != null && Addresses.isValid(vips.get(0).address())) {
            group = Addresses.family(vips.get(0).address()) == Addresses.Family.IPV6 ? mcast6 : mcast4;
        }
        return new VrrpInstance(name, vrid, iface, version, advert, preempt, preemptDelay, authType, authPass, group,
                List.copyOf(peers), name == null ? null : syncGroups.get(name), mapOf("", priority), mapOf("", state),
                List.copyOf(vips), src);
    }

    /**
     * keepalived's advert_int is in seconds for both versions (fractional for VRRPv3); the service stores seconds for
     * VRRPv2 and centiseconds for VRRPv3, as the protocols carry them.
     */
    private Integer advertInterval(ConfNode n, boolean v3) {
        String v = one(n);
        if (v == null) {
            return null;
        }
        try {
            java.math.BigDecimal seconds = new java.math.BigDecimal(v);
            if (v3) {
                java.math.BigDecimal cs = seconds.movePointRight(2);
                if (cs.signum() > 0 && cs.stripTrailingZeros().scale() <= 0 && cs.intValueExact() <= 4095) {
                    return cs.intValueExact();
                }
            } else if (seconds.signum() > 0 && seconds.compareTo(java.math.BigDecimal.valueOf(255)) <= 0) {
                if (seconds.stripTrailingZeros().scale() <= 0) {
                    return seconds.intValueExact();
                }
                int rounded = Math.max(1, seconds.setScale(0, java.math.RoundingMode.HALF_UP).intValueExact());
                warns(n, v, "VRRPv2 advertises whole seconds: rounded to " + rounded + " as keepalived does"
                        + " (use version 3 for fractions)");
                return rounded;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        errors.add(ImportIssue.at(n, v, v3 ? "expected seconds from 0.01 to 40.95 in hundredths (VRRPv3)"
                : "expected seconds from 1 to 255 (VRRPv2)"));
        return null;
    }

    private static <V> Map<String, V> mapOf(String key, V value) {
        Map<String, V> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    private Vip vip(ConfNode v) {
        String text = v.name();
        Integer prefix = null;
        String address = text;
        if (text.contains("/")) {
            address = text.substring(0, text.indexOf('/'));
            try {
                prefix = Integer.parseInt(text.substring(text.indexOf('/') + 1));
            } catch (NumberFormatException e) {
                errors.add(ImportIssue.at(v, text, "expected ADDRESS/PREFIX"));
            }
        }
        address = address(v, address);
        String dev = null;
        String label = null;
        List<Token> args = v.args();
        for (int i = 0; i < args.size(); i++) {
            String k = args.get(i).text();
            String value = i + 1 < args.size() ? args.get(i + 1).text() : null;
            switch (k) {
                case "dev" -> dev = value;
                case "label" -> label = value;
                default -> warns(v, k, "virtual_ipaddress option not stored");
            }
            i++;
        }
        return new Vip(address, prefix, dev, label);
    }

    private VirtualServer virtualServer(ConfNode n) {
        Map<String, Source> src = new LinkedHashMap<>();
        src.put("virtual_server", Source.of(n));
        String vip = null;
        Integer port = null;
        Long fwmark = null;
        if (n.arg(0).filter("fwmark"::equals).isPresent()) {
            fwmark = n.arg(1).map(s -> parseLong(n, s, 1, 0xFFFFFFFFL)).orElse(null);
        } else if (n.arg(0).filter("group"::equals).isPresent()) {
            errors.add(ImportIssue.at(n, "group", "virtual_server_group is not supported"));
        } else {
            vip = n.arg(0).map(a -> address(n, a)).orElse(null);
            port = n.arg(1).map(s -> (int) parseLong(n, s, 1, 65535)).orElse(null);
            if (vip == null || port == null) {
                errors.add(ImportIssue.at(n, null, "expected ADDRESS PORT or fwmark NUMBER"));
            }
        }
        String protocol = "TCP";
        String scheduler = null;
        String forwarding = null;
        Integer persistence = null;
        String granularity = null;
        Integer delayLoop = null;
        Integer quorum = null;
        Integer hysteresis = null;
        Boolean alpha = null;
        String sorryAddress = null;
        Integer sorryPort = null;
        String vsVirtualhost = null;
        List<RealServer> reals = new ArrayList<>();
        Set<String> realKeys = new HashSet<>();
        for (ConfNode c : children(n)) {
            src.putIfAbsent(c.name(), Source.of(c));
            switch (c.name()) {
                case "delay_loop" -> delayLoop = integer(c, 1, 86400);
                case "lb_algo", "lvs_sched" -> scheduler = choice(c, SCHEDULERS, null);
                case "lb_kind", "lvs_method" -> forwarding = choice(c, KINDS, null);
                case "protocol" -> protocol = choice(c, PROTOCOLS, true);
                case "persistence_timeout" -> persistence = integer(c, 1, Integer.MAX_VALUE);
                case "persistence_granularity" -> granularity = one(c);
                case "quorum" -> quorum = integer(c, 1, 65535);
                case "hysteresis" -> hysteresis = integer(c, 0, 65535);
                case "alpha" -> alpha = true;
                case "virtualhost" -> vsVirtualhost = one(c); // the Host of its HTTP_GET/SSL_GET checks that name none
                case "inhibit_on_failure" -> warn(c, "set inhibit_on_failure on each real server instead; not stored here");
                case "sorry_server" -> {
                    sorryAddress = c.arg(0).map(a -> address(c, a)).orElse(null);
                    sorryPort = c.arg(1).map(s -> (int) parseLong(c, s, 1, 65535)).orElse(null);
                }
                case "real_server" -> {
                    RealServer r = realServer(c);
                    if (!realKeys.add(r.address() + " " + r.port())) {
                        errors.add(ImportIssue.at(c, r.address() + " " + r.port(), "real server defined twice in this virtual server"));
                    }
                    reals.add(r);
                }
                default -> warn(c, "virtual_server keyword not supported");
            }
        }
        if (vsVirtualhost != null) {
            // keepalived: a virtual server's virtualhost is the default of its real servers' HTTP_GET/SSL_GET checks;
            // stored on each such check (an export writes it there)
            String host = vsVirtualhost;
            reals.replaceAll(r -> r.virtualhost() != null || !("HTTP_GET".equals(r.checkType()) || "SSL_GET".equals(r.checkType())) ? r
                    : new RealServer(r.address(), r.port(), r.weight(), r.inhibitOnFailure(), r.checkType(), r.path(), r.statusCodes(),
                            r.digest(), r.command(), r.connectPort(), r.connectTimeout(), r.retry(), r.delayBeforeRetry(), host,
                            r.connectIp(), r.bindTo(), r.miscTimeout(), r.sources()));
        }
        if (sorryPort != null && port != null && !sorryPort.equals(port) && !"NAT".equals(forwarding)) {
            Source s = src.get("sorry_server");
            warnings.add(new ImportIssue(s.file(), s.line(), "sorry_server", sorryAddress + " " + sorryPort,
                    "keepalived resets a sorry server's port to the virtual server's without NAT (\"ports don't match - resetting\")"));
        }
        if (fwmark == null && !src.containsKey("protocol") && n.isBlock()) {
            warns(n, null, "no protocol: imported as TCP, keepalived's documented default (keepalived 2.2.7 -t says"
                    + " 'defaulting to UDP'); write protocol TCP or UDP to be sure both agree");
        }
        return new VirtualServer(vip, port, fwmark == null ? protocol : null, fwmark, scheduler, forwarding, persistence,
                granularity, delayLoop, quorum, hysteresis, alpha, sorryAddress, sorryPort, List.copyOf(reals), src);
    }

    private RealServer realServer(ConfNode n) {
        Map<String, Source> src = new LinkedHashMap<>();
        src.put("real_server", Source.of(n));
        String address = n.arg(0).map(a -> address(n, a)).orElse(null);
        Integer port = n.arg(1).map(s -> (int) parseLong(n, s, 1, 65535)).orElse(null);
        Integer weight = null;
        Boolean inhibit = null;
        String type = null;
        String path = null;
        String status = null;
        String digest = null;
        String command = null;
        Integer connectPort = null;
        Integer connectTimeout = null;
        Integer retry = null;
        Integer delayBeforeRetry = null;
        String virtualhost = null;
        String connectIp = null;
        String bindTo = null;
        Integer miscTimeout = null;
        Integer upperThreshold = null;
        Integer lowerThreshold = null;
        for (ConfNode c : children(n)) {
            src.putIfAbsent(c.name(), Source.of(c));
            switch (c.name()) {
                case "weight" -> weight = integer(c, 0, 65535);
                case "inhibit_on_failure" -> inhibit = true;
                case "uthreshold" -> upperThreshold = integer(c, 0, Integer.MAX_VALUE);
                case "lthreshold" -> lowerThreshold = integer(c, 0, Integer.MAX_VALUE);
                case "HTTP_GET", "SSL_GET", "TCP_CHECK", "MISC_CHECK" -> {
                    if (type != null) {
                        errors.add(ImportIssue.at(c, null, "only one health check per real server is supported"));
                    }
                    type = c.name();
                    for (ConfNode k : children(c)) {
                        src.putIfAbsent(k.name(), Source.of(k));
                        switch (k.name()) {
                            case "url" -> {
                                for (ConfNode u : children(k)) {
                                    src.putIfAbsent(u.name(), Source.of(u));
                                    switch (u.name()) {
                                        case "path" -> path = one(u);
                                        case "status_code" -> status = String.join(",",
                                                u.args().stream().map(Token::text).toList());
                                        case "digest" -> digest = one(u);
                                        case "virtualhost" -> {
                                            // keepalived: a url's own Host header; the model has one per check
                                            if (virtualhost == null) {
                                                virtualhost = one(u);
                                            } else if (!virtualhost.equals(one(u))) {
                                                warn(u, "a second virtualhost: the check sends one Host header (" + virtualhost
                                                        + ") for all its urls; not stored");
                                            }
                                        }
                                        default -> warn(u, "url keyword not supported");
                                    }
                                }
                            }
                            case "connect_timeout", "connect_port" -> {
                                if (c.name().equals("MISC_CHECK")) {
                                    warn(k, "keepalived's MISC_CHECK has no " + k.name() + " (Unknown keyword): not stored");
                                } else if (k.name().equals("connect_timeout")) {
                                    connectTimeout = integer(k, 1, 86400);
                                } else {
                                    connectPort = integer(k, 1, 65535);
                                }
                            }
                            case "retry" -> retry = integer(k, 0, 65535);
                            case "nb_get_retry" -> {
                                retry = integer(k, 0, 65535);
                                warn(k, "read as retry (keepalived: deprecated alias); an export writes retry");
                            }
                            case "delay_before_retry" -> delayBeforeRetry = integer(k, 0, 86400);
                            case "misc_path" -> command = one(k);
                            case "virtualhost" -> {
                                if (c.name().equals("HTTP_GET") || c.name().equals("SSL_GET")) {
                                    virtualhost = one(k); // the check's Host header (and SNI), over a url's
                                } else {
                                    warn(k, "keepalived's " + c.name() + " has no virtualhost (Unknown keyword): not stored");
                                }
                            }
                            case "connect_ip", "bindto" -> {
                                if (c.name().equals("MISC_CHECK")) {
                                    warn(k, "keepalived's MISC_CHECK has no " + k.name() + " (Unknown keyword): not stored");
                                } else {
                                    String a = one(k);
                                    a = a == null ? null : address(k, a);
                                    if (k.name().equals("connect_ip")) {
                                        connectIp = a;
                                    } else {
                                        bindTo = a;
                                    }
                                }
                            }
                            case "misc_timeout" -> {
                                if (c.name().equals("MISC_CHECK")) {
                                    miscTimeout = integer(k, 1, 3600);
                                } else {
                                    warn(k, "keepalived's " + c.name() + " has no misc_timeout (Unknown keyword): not stored");
                                }
                            }
                            case "bind_port" -> warn(k, "not stored: the probes' source port is chosen by the kernel");
                            case "misc_dynamic" -> warn(k, "not stored: the command's exit code decides up or down only;"
                                    + " weights from exit codes 2-255 are not supported");
                            case "warmup" -> warn(k, "not stored: the first check runs after the delay loop");
                            default -> warn(k, c.name() + " keyword not supported");
                        }
                    }
                }
                default -> warn(c, "real_server keyword not supported");
            }
        }
        if (status == null && (path != null || digest != null)) {
            status = "200-299"; // keepalived's default for a url without status_code
        }
        return new RealServer(address, port, weight, inhibit, type, path, status, digest, command, connectPort,
                connectTimeout, retry, delayBeforeRetry, virtualhost, connectIp, bindTo, miscTimeout, upperThreshold, lowerThreshold,
                src);
    }

    // ---- values ----

    private List<ConfNode> children(ConfNode n) {
        if (!n.isBlock()) {
            errors.add(ImportIssue.at(n, null, "expected a '{' block"));
            return List.of();
        }
        return n.children();
    }

    private String one(ConfNode n) {
        if (n.args().isEmpty()) {
            errors.add(ImportIssue.at(n, null, "expected a value"));
            return null;
        }
        return n.args().get(0).text();
    }

    private Integer integer(ConfNode n, int min, int max) {
        String v = one(n);
        return v == null ? null : (int) parseLong(n, v, min, max);
    }

    private long parseLong(ConfNode n, String v, long min, long max) {
        try {
            long x = Long.parseLong(v);
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(ImportIssue.at(n, v, "expected an integer from " + min + " to " + max));
        return min;
    }

    /** {@code upper} null: the value must be written exactly (keepalived rejects {@code lb_kind dr}, {@code lb_algo RR}). */
    private String choice(ConfNode n, Set<String> allowed, Boolean upper) {
        String v = one(n);
        if (v == null) {
            return null;
        }
        String norm = upper == null ? v : upper ? v.toUpperCase(Locale.ROOT) : v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(norm)) {
            errors.add(ImportIssue.at(n, v, "expected one of " + allowed.stream().sorted().toList()));
            return v;
        }
        return norm;
    }

    private String address(ConfNode n, String v) {
        if (!Addresses.isValid(v)) {
            errors.add(ImportIssue.at(n, v, "expected an IPv4 or IPv6 address"));
            return v;
        }
        return Addresses.canonical(v);
    }

    private String multicast(ConfNode n, String v, Addresses.Family family) {
        if (v == null) {
            return null;
        }
        if (!Addresses.isValid(v) || Addresses.family(v) != family || !Addresses.isMulticast(v)) {
            errors.add(ImportIssue.at(n, v, "expected an " + family + " multicast address"));
            return v;
        }
        return Addresses.canonical(v);
    }

    private void warn(ConfNode n, String message) {
        warnings.add(ImportIssue.at(n, n.args().isEmpty() ? null
                : String.join(" ", n.args().stream().map(Token::text).toList()), message));
    }

    private void warns(ConfNode n, String value, String message) {
        warnings.add(ImportIssue.at(n, value, message));
    }
}
