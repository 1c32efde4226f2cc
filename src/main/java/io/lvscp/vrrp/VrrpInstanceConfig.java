package io.lvscp.vrrp;

import io.lvscp.common.Addresses;
import io.lvscp.common.Addresses.Family;
import io.lvscp.plan.VrrpInstanceSpec;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the engine needs to run one instance.
 *
 * @param advertInterval v2: whole seconds; v3: a multiple of 10 ms up to 40.95 s
 * @param preemptDelay how long after first seeing a lower-priority master a preempting backup waits (keepalived's preempt_delay)
 * @param primaryAddress our address on the interface: the advert's source and the tie-breaker at equal priority
 * @param password v2 PASS only, up to 8 bytes; empty otherwise
 */
public record VrrpInstanceConfig(String name, int vrid, VrrpVersion version, Family family, int priority,
        Duration advertInterval, boolean preempt, Duration preemptDelay, VrrpAuthType authType, String password,
        InetAddress primaryAddress, List<InetAddress> vips) {

    public static final int OWNER_PRIORITY = 255;

    public VrrpInstanceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(primaryAddress, "primaryAddress");
        vips = List.copyOf(vips);
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("VRID must be 1-255");
        }
        if (priority < 1 || priority > 255) {
            throw new IllegalArgumentException("priority must be 1-255 (0 is only sent on stop)");
        }
        if (version == VrrpVersion.V2 && (family != Family.IPV4 || advertInterval.toMillis() % 1000 != 0)) {
            throw new IllegalArgumentException("VRRPv2 is IPv4 with an interval of whole seconds");
        }
        if (advertInterval.toMillis() % 10 != 0 || advertInterval.toMillis() <= 0
                || advertInterval.toMillis() > (version == VrrpVersion.V2 ? 255_000 : 40_950)) {
            throw new IllegalArgumentException("advert interval " + advertInterval + " cannot be sent");
        }
        if (version == VrrpVersion.V3 && authType != VrrpAuthType.NONE) {
            throw new IllegalArgumentException("VRRPv3 has no authentication");
        }
        password = authType == VrrpAuthType.PASS ? password : "";
        // reuses Advertisement's checks on families and password length
        advertisement(priority, advertInterval, version, family, vips, authType, password, vrid);
    }

    /** Builds the config from the plan; {@code password} comes from the database (the plan does not carry it). */
    public static VrrpInstanceConfig fromSpec(VrrpInstanceSpec spec, String password, InetAddress primaryAddress) {
        VrrpVersion version = spec.vrrpVersion() == 2 ? VrrpVersion.V2 : VrrpVersion.V3;
        VrrpAuthType auth = version == VrrpVersion.V2 && spec.authPass() ? VrrpAuthType.PASS : VrrpAuthType.NONE;
        List<InetAddress> vips = spec.vips().stream().map(v -> Addresses.parse(v.address())).toList();
        return new VrrpInstanceConfig(spec.name(), spec.vrid(), version, spec.family(), spec.priority(),
                advertInterval(version, spec.advertInterval()), spec.preempt(), Duration.ofSeconds(spec.preemptDelay()), auth,
                password == null ? "" : password, primaryAddress, vips);
    }

    /** The plan's (and the database's) advert interval: whole seconds for v2, centiseconds for v3. */
    static Duration advertInterval(VrrpVersion version, int planValue) {
        return version == VrrpVersion.V2 ? Duration.ofSeconds(planValue) : Duration.ofMillis(planValue * 10L);
    }

    /** The interval as the advert carries it: seconds (v2) or centiseconds (v3). */
    public int wireInterval() {
        return wireInterval(version, advertInterval);
    }

    static int wireInterval(VrrpVersion version, Duration interval) {
        return (int) (version == VrrpVersion.V2 ? interval.toSeconds() : interval.toMillis() / 10);
    }

    /** The advertisement this instance sends at {@code sendPriority}. */
    public Advertisement advertisement(int sendPriority) {
        return advertisement(sendPriority, advertInterval, version, family, vips, authType, password, vrid);
    }

    private static Advertisement advertisement(int priority, Duration interval, VrrpVersion version, Family family,
            List<InetAddress> vips, VrrpAuthType authType, String password, int vrid) {
        return new Advertisement(version, vrid, priority, wireInterval(version, interval), family, vips, authType,
                password);
    }

    public boolean isAddressOwner() {
        return priority == OWNER_PRIORITY;
    }

    /** Without the PASS password. */
    @Override
    public String toString() {
        return "VrrpInstanceConfig[name=" + name + ", vrid=" + vrid + ", version=" + version + ", family=" + family + ", priority=" + priority
                + ", advertInterval=" + advertInterval + ", preempt=" + preempt + ", authType=" + authType + ", password="
                + (password == null || password.isEmpty() ? "none" : "(set)") + ", vips=" + vips + "]";
    }
}
