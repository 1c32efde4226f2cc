package io.lvscp.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Body of POST/PUT .../vrrp-instances. Priorities name directors by node name; a
 * director without a priority does not run the instance.
 */
@JsonIgnoreProperties(value = {"id", "cluster", "ipFamily", "authPasswordSet", "createdAt", "updatedAt"}, allowGetters = true)
public record VrrpInstanceRequest(String name, Integer vrid, String interfaceName, Integer vrrpVersion, Integer advertInterval,
        Boolean preempt, Integer preemptDelay, String authType, String authPassword, String multicastGroup, List<String> unicastPeers,
        String syncGroup, List<PriorityDto> priorities, List<VipDto> vips, Long version) {

    /** The priority one director runs the instance with (1-254; 255 only for the address owner). */
    public record PriorityDto(String director, Integer priority) {
    }

    /** A VIP: address, prefix length (default 32 / 128), device (default the instance's interface) and label. */
    public record VipDto(String address, Integer prefixLength, String device, String label) {
    }
}
