package io.lvscp.vrrpinstance;

import io.lvscp.model.VrrpInstance;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.PriorityDto;
import io.lvscp.vrrpinstance.VrrpInstanceRequest.VipDto;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A VRRP instance as the API shows it. The PASS password is never shown, only whether one is set. */
public record VrrpInstanceResponse(Long id, String cluster, String name, int vrid, String interfaceName, String ipFamily, int vrrpVersion,
        int advertInterval, boolean preempt, int preemptDelay, String authType, boolean authPasswordSet, String multicastGroup,
        List<String> unicastPeers, String syncGroup, List<PriorityDto> priorities, List<VipDto> vips, long version, Instant createdAt,
        Instant updatedAt, VrrpInstanceRequest.ConnectionSyncDto connectionSync) {

    /** Without connection synchronisation (off). */
    public VrrpInstanceResponse(Long id, String cluster, String name, int vrid, String interfaceName, String ipFamily, int vrrpVersion,
            int advertInterval, boolean preempt, int preemptDelay, String authType, boolean authPasswordSet, String multicastGroup,
            List<String> unicastPeers, String syncGroup, List<PriorityDto> priorities, List<VipDto> vips, long version, Instant createdAt,
            Instant updatedAt) {
        this(id, cluster, name, vrid, interfaceName, ipFamily, vrrpVersion, advertInterval, preempt, preemptDelay, authType, authPasswordSet,
                multicastGroup, unicastPeers, syncGroup, priorities, vips, version, createdAt, updatedAt, null);
    }

    static VrrpInstanceResponse of(VrrpInstance i, Map<Long, String> nodeNames) {
        return new VrrpInstanceResponse(i.getId(), i.getCluster().getName(), i.getName(), i.getVrid(), i.getInterfaceName(),
                i.getIpFamily().name(), i.getVrrpVersion(), i.getAdvertInterval(), i.isPreempt(), i.getPreemptDelay(),
                i.getAuthType().wireName(), i.getAuthPassword() != null, i.getMulticastGroup(), List.copyOf(i.getUnicastPeers()),
                i.getSyncGroup(),
                i.getPriorities().stream().map(p -> new PriorityDto(nodeNames.getOrDefault(p.getDirectorId(), "#" + p.getDirectorId()),
                        p.getPriority())).sorted(java.util.Comparator.comparing(PriorityDto::director)).toList(),
                i.getVips().stream().map(v -> new VipDto(v.getAddress(), v.getPrefixLength(), v.getDevice(), v.getLabel())).toList(),
                i.getVersion(), i.getCreatedAt(), i.getUpdatedAt(), connectionSync(i.getLvsSync()));
    }

    static VrrpInstanceRequest.ConnectionSyncDto connectionSync(VrrpInstance.LvsSync s) {
        return s == null ? null : new VrrpInstanceRequest.ConnectionSyncDto(s.interfaceName(), s.syncId(), s.maxLength(), s.group(), s.port(),
                s.ttl());
    }
}
