package io.lvscp.vrrpinstance;

import io.lvscp.api.PlainText;
import jakarta.validation.Valid;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of POST/PUT .../vrrp-instances. Priorities name directors by node name; a
 * director without a priority does not run the instance.
 */
@JsonIgnoreProperties(value = {"id", "cluster", "ipFamily", "authPasswordSet", "createdAt", "updatedAt"}, allowGetters = true)
public record VrrpInstanceRequest(@PlainText String name, Integer vrid, @PlainText String interfaceName, Integer vrrpVersion, Integer advertInterval,
        Boolean preempt, Integer preemptDelay, @PlainText String authType, @PlainText String authPassword, @PlainText String multicastGroup, List<@PlainText String> unicastPeers,
        @PlainText String syncGroup, List<@Valid PriorityDto> priorities, List<@Valid VipDto> vips, Long version,
        @Valid ConnectionSyncDto connectionSync) {

    public VrrpInstanceRequest(String name, Integer vrid, String interfaceName, Integer vrrpVersion, Integer advertInterval,
            Boolean preempt, Integer preemptDelay, String authType, String authPassword, String multicastGroup, List<String> unicastPeers,
            String syncGroup, List<PriorityDto> priorities, List<VipDto> vips, Long version) {
        this(name, vrid, interfaceName, vrrpVersion, advertInterval, preempt, preemptDelay, authType, authPassword, multicastGroup,
                unicastPeers, syncGroup, priorities, vips, version, null);
    }

    /**
     * IPVS connection synchronisation from the directors that run this instance (null: off): the interface the
     * sync daemons send and listen on, the sync id (default the VRID), and optional maximum payload, multicast
     * group, port and TTL (null: the kernel's default). A director runs it for at most one of its instances.
     */
    public record ConnectionSyncDto(@PlainText String interfaceName, Integer syncId, Integer maxLength, @PlainText String group,
            Integer port, Integer ttl) {
    }

    /** The priority one director runs the instance with (1-254; 255 only for the address owner). */
    public record PriorityDto(@PlainText String director, Integer priority) {
    }

    /** A VIP: address, prefix length (default 32 / 128), device (default the instance's interface) and label. */
    public record VipDto(@PlainText String address, Integer prefixLength, @PlainText String device, @PlainText String label) {
    }
}
