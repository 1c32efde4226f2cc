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
        @PlainText String syncGroup, List<@Valid PriorityDto> priorities, List<@Valid VipDto> vips, Long version) {

    /** The priority one director runs the instance with (1-254; 255 only for the address owner). */
    public record PriorityDto(@PlainText String director, Integer priority) {
    }

    /** A VIP: address, prefix length (default 32 / 128), device (default the instance's interface) and label. */
    public record VipDto(@PlainText String address, Integer prefixLength, @PlainText String device, @PlainText String label) {
    }
}
