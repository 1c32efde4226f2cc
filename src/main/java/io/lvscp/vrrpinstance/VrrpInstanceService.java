package io.lvscp.vrrpinstance;

import io.lvscp.api.Names;
import io.lvscp.model.Cluster;
import io.lvscp.model.ClusterLookup;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.Director;
import io.lvscp.model.DirectorRepository;
import io.lvscp.model.VirtualServer;
import io.lvscp.model.VirtualServerRepository;
import io.lvscp.model.VrrpInstance;
import io.lvscp.model.VrrpInstanceRepository;
import io.lvscp.api.ApiException;
import io.lvscp.api.FieldErrors;
import io.lvscp.api.MergePatch;
import io.lvscp.api.PageResponse;
import io.lvscp.api.Versions;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.PriorityDto;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.VipDto;
import io.lvscp.common.Addresses;
import io.lvscp.common.AuthType;
import io.lvscp.common.WireNamed;
import io.lvscp.event.EventService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
@Transactional
public class VrrpInstanceService {

    public static final String DEFAULT_GROUP4 = "224.0.0.18";
    public static final String DEFAULT_GROUP6 = "ff02::12";

    private final VrrpInstanceRepository instances;
    private final DirectorRepository directors;
    private final VirtualServerRepository virtualServers;
    private final ClusterLookup lookup;
    private final EventService events;
    private final ConfigGeneration generation;
    private final MergePatch mergePatch;

    VrrpInstanceService(VrrpInstanceRepository instances, DirectorRepository directors, VirtualServerRepository virtualServers,
            ClusterLookup lookup, EventService events, ConfigGeneration generation, MergePatch mergePatch) {
        this.instances = instances;
        this.directors = directors;
        this.virtualServers = virtualServers;
        this.lookup = lookup;
        this.events = events;
        this.generation = generation;
        this.mergePatch = mergePatch;
    }

    @Transactional(readOnly = true)
    public PageResponse<VrrpInstanceResponse> list(String clusterRef, Pageable pageable) {
        if (clusterRef == null) {
            Map<Long, String> names = nodeNames(null);
            return PageResponse.of(instances.findAll(pageable), i -> VrrpInstanceResponse.of(i, names));
        }
        Long clusterId = lookup.require(clusterRef).getId();
        Map<Long, String> names = nodeNames(clusterId);
        return PageResponse.of(instances.findByClusterId(clusterId, pageable), i -> VrrpInstanceResponse.of(i, names));
    }

    @Transactional(readOnly = true)
    public List<VrrpInstanceResponse> all(String clusterRef) {
        Long clusterId = lookup.require(clusterRef).getId();
        Map<Long, String> names = nodeNames(clusterId);
        return instances.findByClusterIdOrderByName(clusterId).stream()
                .map(i -> VrrpInstanceResponse.of(i, names)).toList();
    }

    @Transactional(readOnly = true)
    public VrrpInstanceResponse get(String clusterRef, String ref) {
        Cluster c = lookup.require(clusterRef);
        return VrrpInstanceResponse.of(lookup.instance(c, ref), nodeNames(c.getId()));
    }

    public VrrpInstanceResponse create(String clusterRef, VrrpInstanceRequest req) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(clusterRef);
        VrrpInstance i = new VrrpInstance(c);
        apply(c, i, req, true);
        instances.saveAndFlush(i);
        VrrpInstanceResponse after = VrrpInstanceResponse.of(i, nodeNames(c.getId()));
        events.configChange(c.getId(), c.getName(), "CREATE", "vrrp-instance", i.getId(),
                "created VRRP instance " + i.getName() + " (VRID " + i.getVrid() + " on " + i.getInterfaceName() + ")", null, after);
        generation.bump();
        return after;
    }

    public VrrpInstanceResponse update(String clusterRef, String ref, VrrpInstanceRequest req, String ifMatch, boolean full) {
        io.lvscp.api.Requests.check(req);
        Cluster c = lookup.require(clusterRef);
        VrrpInstance i = lookup.instance(c, ref);
        Versions.check(ifMatch, req.version(), i.getVersion(), full);
        Map<Long, String> names = nodeNames(c.getId());
        VrrpInstanceResponse before = VrrpInstanceResponse.of(i, names);
        apply(c, i, req, false);
        instances.saveAndFlush(i);
        VrrpInstanceResponse after = VrrpInstanceResponse.of(i, names);
        if (after.equals(before)) {
            return after; // nothing changed (the row was not written): no event, no new generation
        }
        events.configChange(c.getId(), c.getName(), "UPDATE", "vrrp-instance", i.getId(), "updated VRRP instance " + i.getName(), before,
                after);
        generation.bump();
        return after;
    }

    public VrrpInstanceResponse patch(String clusterRef, String ref, Map<String, Object> patch, String ifMatch) {
        Cluster c = lookup.require(clusterRef);
        VrrpInstance i = lookup.instance(c, ref);
        VrrpInstanceResponse r = VrrpInstanceResponse.of(i, nodeNames(c.getId()));
        VrrpInstanceRequest base = new VrrpInstanceRequest(r.name(), r.vrid(), r.interfaceName(), r.vrrpVersion(), r.advertInterval(),
                r.preempt(), r.preemptDelay(), r.authType(), null, r.multicastGroup(), r.unicastPeers(), r.syncGroup(), r.priorities(),
                r.vips(), null, r.connectionSync());
        return update(clusterRef, ref, mergePatch.apply(base, patch, VrrpInstanceRequest.class), ifMatch, false);
    }

    public void delete(String clusterRef, String ref) {
        Cluster c = lookup.require(clusterRef);
        VrrpInstance i = lookup.instance(c, ref);
        long used = virtualServers.countByVrrpInstanceId(i.getId());
        if (used > 0) {
            throw ApiException.conflict("virtualServers", "VRRP instance '" + i.getName() + "' still carries " + used
                    + " virtual server(s); delete or move them first", used);
        }
        VrrpInstanceResponse before = VrrpInstanceResponse.of(i, nodeNames(c.getId()));
        instances.delete(i);
        instances.flush();
        events.configChange(c.getId(), c.getName(), "DELETE", "vrrp-instance", i.getId(), "deleted VRRP instance " + i.getName(), before,
                null);
        generation.bump();
    }

    /** Node names by director id, for showing priorities (all clusters' when clusterId is null). */
    private Map<Long, String> nodeNames(Long clusterId) {
        Map<Long, String> names = new HashMap<>();
        (clusterId == null ? directors.findAll() : directors.findByClusterIdOrderByNodeName(clusterId))
                .forEach(d -> names.put(d.getId(), d.getNodeName()));
        return names;
    }

    private void apply(Cluster cluster, VrrpInstance i, VrrpInstanceRequest req, boolean creating) {
        FieldErrors errors = new FieldErrors();
        Names.name(errors, "name", req.name());
        errors.required("vrid", req.vrid());
        errors.range("vrid", req.vrid(), 1, 255);
        Names.interfaceName(errors, "interfaceName", req.interfaceName());
        int version = req.vrrpVersion() == null ? 2 : req.vrrpVersion();
        if (version != 2 && version != 3) {
            errors.add("vrrpVersion", "must be 2 or 3", req.vrrpVersion());
        }
        int advert = req.advertInterval() != null ? req.advertInterval() : (version == 3 ? 100 : 1);
        if (version == 2) {
            errors.range("advertInterval", advert, 1, 255);
        } else {
            errors.range("advertInterval", advert, 1, 4095);
        }
        int preemptDelay = req.preemptDelay() == null ? 0 : req.preemptDelay();
        errors.range("preemptDelay", preemptDelay, 0, 1000);

        // VIPs decide the address family
        List<VipDto> vipDtos = req.vips() == null ? List.of() : req.vips();
        if (vipDtos.isEmpty()) {
            errors.add("vips", "at least one VIP is required", null);
        }
        List<VrrpInstance.Vip> vips = new ArrayList<>();
        Addresses.Family family = null;
        Set<String> seen = new HashSet<>();
        for (int k = 0; k < vipDtos.size(); k++) {
            VipDto v = vipDtos.get(k);
            String f = "vips[" + k + "]";
            if (v == null) {
                errors.add(f, "must be an object", null);
                continue;
            }
            String address = errors.parse(f + ".address", v.address(), () -> Addresses.canonical(v.address()));
            if (address == null) {
                continue;
            }
            Addresses.Family fam = Addresses.family(address);
            if (family == null) {
                family = fam;
            } else if (fam != family) {
                errors.add(f + ".address", "mixes address families: all VIPs of an instance are IPv4 or all IPv6", v.address());
            }
            if (!seen.add(address)) {
                errors.add(f + ".address", "is listed twice", v.address());
            }
            int prefix = v.prefixLength() == null ? fam.bits() : v.prefixLength();
            errors.range(f + ".prefixLength", prefix, 1, fam.bits());
            String device = v.device() == null || v.device().isBlank() ? req.interfaceName() : v.device();
            if (v.device() != null && !v.device().isBlank()) {
                Names.interfaceName(errors, f + ".device", v.device());
            }
            String label = v.label() == null || v.label().isBlank() ? null : v.label();
            if (label != null) {
                if (fam == Addresses.Family.IPV6) {
                    errors.add(f + ".label", "labels exist only for IPv4 addresses", label);
                } else if (device != null && (!label.startsWith(device + ":") || label.length() > 15)) {
                    errors.add(f + ".label", "must be the device name, ':' and a suffix, at most 15 characters (as " + device + ":1)", label);
                }
            }
            vips.add(new VrrpInstance.Vip(address, prefix, device, label));
        }
        if (version == 2 && family == Addresses.Family.IPV6) {
            errors.add("vrrpVersion", "VRRPv2 carries IPv4 only: use version 3 for IPv6 VIPs", version);
        }

        // authentication
        AuthType auth = req.authType() == null ? AuthType.NONE
                : errors.parse("authType", req.authType(), () -> WireNamed.parse(AuthType.class, req.authType()));
        String password = req.authPassword();
        if (auth == AuthType.PASS) {
            if (version == 3) {
                errors.add("authType", "VRRPv3 has no authentication (RFC 5798): use NONE", req.authType());
            }
            if (password == null && !creating && i.getAuthPassword() != null) {
                password = i.getAuthPassword(); // the stored secret, which is never shown back
            }
            if (password == null || password.isEmpty()) {
                errors.add("authPassword", "is required with authType PASS", null);
            } else if (password.length() > 8) {
                errors.add("authPassword", "must be at most 8 characters (VRRPv2 PASS carries 8 bytes), got " + password.length(), null);
            } else if (!password.chars().allMatch(ch -> ch > 32 && ch < 127)) {
                errors.add("authPassword", "must be printable ASCII without spaces", null);
            }
        } else if (password != null && !password.isEmpty()) {
            errors.add("authPassword", "is only used with authType PASS", null);
            password = null;
        } else {
            password = null;
        }

        // multicast group / unicast peers
        String group = null;
        if (req.multicastGroup() != null && !req.multicastGroup().isBlank()) {
            group = errors.parse("multicastGroup", req.multicastGroup(), () -> Addresses.canonical(req.multicastGroup()));
            if (group != null) {
                if (!Addresses.isMulticast(group)) {
                    errors.add("multicastGroup", "'" + req.multicastGroup() + "' is not a multicast address", req.multicastGroup());
                } else if (family != null && Addresses.family(group) != family) {
                    errors.add("multicastGroup", "must be of the VIPs' address family", req.multicastGroup());
                }
            }
        } else if (family != null) {
            group = family == Addresses.Family.IPV4 ? DEFAULT_GROUP4 : DEFAULT_GROUP6;
        }
        List<String> peers = new ArrayList<>();
        List<String> peerDtos = req.unicastPeers() == null ? List.of() : req.unicastPeers();
        for (int k = 0; k < peerDtos.size(); k++) {
            String raw = peerDtos.get(k);
            String peer = errors.parse("unicastPeers[" + k + "]", raw, () -> Addresses.canonical(raw));
            if (peer == null) {
                continue;
            }
            if (family != null && Addresses.family(peer) != family) {
                errors.add("unicastPeers[" + k + "]", "must be of the VIPs' address family", raw);
            } else if (peers.contains(peer)) {
                errors.add("unicastPeers[" + k + "]", "is listed twice", raw);
            } else {
                peers.add(peer);
            }
        }
        String syncGroup = req.syncGroup() == null || req.syncGroup().isBlank() ? null : req.syncGroup();
        if (syncGroup != null) {
            Names.name(errors, "syncGroup", syncGroup);
        }

        // priorities per director
        List<PriorityDto> prioDtos = req.priorities() == null ? List.of() : req.priorities();
        List<VrrpInstance.Priority> priorities = new ArrayList<>();
        Set<Long> seenDirectors = new HashSet<>();
        for (int k = 0; k < prioDtos.size(); k++) {
            PriorityDto p = prioDtos.get(k);
            String f = "priorities[" + k + "]";
            if (p == null || p.director() == null || p.director().isBlank()) {
                errors.add(f + ".director", "is required (a node name of this cluster)", null);
                continue;
            }
            Director d = (ClusterLookup.isId(p.director()) ? directors.findById(Long.parseLong(p.director()))
                    : directors.findByNodeName(p.director())).filter(x -> x.getCluster().getId().equals(cluster.getId())).orElse(null);
            if (d == null) {
                errors.add(f + ".director", "no director '" + p.director() + "' in cluster '" + cluster.getName() + "'", p.director());
                continue;
            }
            if (!seenDirectors.add(d.getId())) {
                errors.add(f + ".director", "has two priorities", p.director());
            }
            if (p.priority() == null) {
                errors.add(f + ".priority", "is required", null);
            } else if (p.priority() == 255) {
                if (vips.stream().noneMatch(v -> v.getAddress().equals(d.getManagementAddress()))) {
                    errors.add(f + ".priority", "255 is only for the address owner (a director whose own address is a VIP); use 1-254",
                            255);
                }
            } else {
                errors.range(f + ".priority", p.priority(), 1, 254);
            }
            if (p.priority() != null) {
                priorities.add(new VrrpInstance.Priority(d.getId(), p.priority()));
            }
        }
        VrrpInstance.LvsSync sync = connectionSync(errors, req);
        errors.throwIfAny();

        // conflicts with stored rows
        Addresses.Family fam = family;
        instances.findByClusterIdAndInterfaceNameAndVridAndIpFamily(cluster.getId(), req.interfaceName(), req.vrid(), fam)
                .filter(other -> !other.getId().equals(i.getId())).ifPresent(other -> {
                    throw ApiException.conflict("vrid", "VRID " + req.vrid() + " is already used on " + req.interfaceName()
                            + " by VRRP instance '" + other.getName() + "'", req.vrid());
                });
        instances.findByClusterIdAndName(cluster.getId(), req.name()).filter(other -> !other.getId().equals(i.getId()))
                .ifPresent(other -> {
                    throw ApiException.conflict("name", "a VRRP instance named '" + req.name() + "' already exists", req.name());
                });
        if (sync != null) {
            // the kernel runs one master and one backup sync daemon per network namespace: one instance per director
            Set<Long> mineDirectors = priorities.stream().map(VrrpInstance.Priority::getDirectorId).collect(Collectors.toSet());
            for (VrrpInstance other : instances.findByClusterIdOrderByName(cluster.getId())) {
                if (other.getId().equals(i.getId()) || other.getLvsSync() == null) {
                    continue;
                }
                other.getPriorities().stream().map(VrrpInstance.Priority::getDirectorId).filter(mineDirectors::contains).findFirst()
                        .ifPresent(d -> {
                            throw ApiException.conflict("connectionSync", "VRRP instance '" + other.getName()
                                    + "' already has connection synchronisation on a director of this one (director id " + d
                                    + "); the kernel runs one master and one backup sync daemon per director", req.connectionSync().interfaceName());
                        });
            }
        }
        if (!creating) {
            Set<String> newVips = vips.stream().map(VrrpInstance.Vip::getAddress).collect(Collectors.toSet());
            for (VirtualServer vs : virtualServers.findByVrrpInstanceIdIn(List.of(i.getId()))) {
                if (vs.getVip() != null && !newVips.contains(vs.getVip())) {
                    throw ApiException.conflict("vips", vs.getVip() + " is still the VIP of virtual server " + vs.getId() + " ("
                            + vs.label() + "); move or delete it first", vs.getVip());
                }
                if (vs.getIpFamily() != fam) {
                    throw ApiException.conflict("vips", "virtual server " + vs.getId() + " is " + vs.getIpFamily()
                            + "; the instance's VIPs cannot change family", null);
                }
            }
        }

        i.setName(req.name());
        i.setVrid(req.vrid());
        i.setInterfaceName(req.interfaceName());
        i.setIpFamily(family);
        i.setVrrpVersion(version);
        i.setAdvertInterval(advert);
        i.setPreempt(req.preempt() == null || req.preempt());
        i.setPreemptDelay(preemptDelay);
        i.setAuthType(auth);
        i.setAuthPassword(password);
        i.setMulticastGroup(group);
        i.setSyncGroup(syncGroup);
        i.replaceVips(vips);
        i.replaceUnicastPeers(peers);
        i.replacePriorities(priorities);
        i.setLvsSync(sync);
    }

    /** The connectionSync object checked field by field (null: off); the sync id defaults to the VRID. */
    private static VrrpInstance.LvsSync connectionSync(FieldErrors errors, VrrpInstanceRequest req) {
        VrrpInstanceRequest.ConnectionSyncDto s = req.connectionSync();
        if (s == null) {
            return null;
        }
        Names.interfaceName(errors, "connectionSync.interfaceName", s.interfaceName());
        int syncId = s.syncId() != null ? s.syncId() : req.vrid() == null ? 0 : req.vrid();
        errors.range("connectionSync.syncId", syncId, 0, 255);
        if (s.maxLength() != null) {
            errors.range("connectionSync.maxLength", s.maxLength(), 1, 65507);
        }
        if (s.port() != null) {
            errors.range("connectionSync.port", s.port(), 1, 65535);
        }
        if (s.ttl() != null) {
            errors.range("connectionSync.ttl", s.ttl(), 1, 255);
        }
        String group = null;
        if (s.group() != null && !s.group().isBlank()) {
            group = errors.parse("connectionSync.group", s.group(), () -> Addresses.canonical(s.group()));
            if (group != null && !Addresses.isMulticast(group)) {
                errors.add("connectionSync.group", "'" + s.group() + "' is not a multicast address", s.group());
                group = null;
            }
        }
        return new VrrpInstance.LvsSync(s.interfaceName(), syncId, s.maxLength(), group, s.port(), s.ttl());
    }
}
