package io.lvscp.model;

import io.lvscp.common.Addresses;
import io.lvscp.common.AuthType;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.List;

/** A VRRP virtual router: the VIPs that move together between directors. */
@Entity
@Table(name = "vrrp_instance")
public class VrrpInstance extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "cluster_id", nullable = false)
    private Cluster cluster;

    @Column(nullable = false, length = 63)
    private String name;

    @Column(nullable = false)
    private int vrid;

    @Column(name = "interface_name", nullable = false, length = 15)
    private String interfaceName;

    @Enumerated(EnumType.STRING)
    @Column(name = "ip_family", nullable = false, length = 4)
    private Addresses.Family ipFamily;

    @Column(name = "vrrp_version", nullable = false)
    private int vrrpVersion;

    /** Seconds for VRRPv2, centiseconds for VRRPv3. */
    @Column(name = "advert_interval", nullable = false)
    private int advertInterval;

    @Column(nullable = false)
    private boolean preempt;

    @Column(name = "preempt_delay", nullable = false)
    private int preemptDelay;

    @Enumerated(EnumType.STRING)
    @Column(name = "auth_type", nullable = false, length = 8)
    private AuthType authType;

    @Column(name = "auth_password", length = 8)
    private String authPassword;

    @Column(name = "multicast_group", length = 45)
    private String multicastGroup;

    @Column(name = "sync_group", length = 63)
    private String syncGroup;

    @ElementCollection
    @CollectionTable(name = "vrrp_priority", joinColumns = @JoinColumn(name = "vrrp_instance_id"))
    private List<Priority> priorities = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "vrrp_vip", joinColumns = @JoinColumn(name = "vrrp_instance_id"))
    @OrderColumn(name = "position")
    private List<Vip> vips = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "vrrp_unicast_peer", joinColumns = @JoinColumn(name = "vrrp_instance_id"))
    @OrderColumn(name = "position")
    @Column(name = "address", nullable = false, length = 45)
    private List<String> unicastPeers = new ArrayList<>();

    /** IPVS connection synchronisation (issue 16): off while the interface is null. */
    @Column(name = "lvs_sync_interface", length = 15)
    private String lvsSyncInterface;

    @Column(name = "lvs_sync_id")
    private Integer lvsSyncId;

    @Column(name = "lvs_sync_max_length")
    private Integer lvsSyncMaxLength;

    @Column(name = "lvs_sync_group", length = 45)
    private String lvsSyncGroup;

    @Column(name = "lvs_sync_port")
    private Integer lvsSyncPort;

    @Column(name = "lvs_sync_ttl")
    private Integer lvsSyncTtl;

    protected VrrpInstance() {
    }

    /** Connection synchronisation, or null when off (interface, sync id; null settings leave the kernel's default). */
    public record LvsSync(String interfaceName, int syncId, Integer maxLength, String group, Integer port, Integer ttl) {
    }

    public LvsSync getLvsSync() {
        return lvsSyncInterface == null ? null
                : new LvsSync(lvsSyncInterface, lvsSyncId == null ? vrid : lvsSyncId, lvsSyncMaxLength, lvsSyncGroup, lvsSyncPort, lvsSyncTtl);
    }

    public void setLvsSync(LvsSync s) {
        lvsSyncInterface = s == null ? null : s.interfaceName();
        lvsSyncId = s == null ? null : s.syncId();
        lvsSyncMaxLength = s == null ? null : s.maxLength();
        lvsSyncGroup = s == null ? null : s.group();
        lvsSyncPort = s == null ? null : s.port();
        lvsSyncTtl = s == null ? null : s.ttl();
    }

    public VrrpInstance(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The priority one director runs this instance with. */
    @Embeddable
    public static class Priority {
        @Column(name = "director_id", nullable = false)
        private Long directorId;

        @Column(nullable = false)
        private int priority;

        protected Priority() {
        }

        public Priority(Long directorId, int priority) {
            this.directorId = directorId;
            this.priority = priority;
        }

        public Long getDirectorId() {
            return directorId;
        }

        public int getPriority() {
            return priority;
        }
    }

    /** A virtual IP address with the device and label it is added with. */
    @Embeddable
    public static class Vip {
        @Column(nullable = false, length = 45)
        private String address;

        @Column(name = "prefix_length", nullable = false)
        private int prefixLength;

        @Column(length = 15)
        private String device;

        @Column(length = 15)
        private String label;

        protected Vip() {
        }

        public Vip(String address, int prefixLength, String device, String label) {
            this.address = address;
            this.prefixLength = prefixLength;
            this.device = device;
            this.label = label;
        }

        public String getAddress() {
            return address;
        }

        public int getPrefixLength() {
            return prefixLength;
        }

        public String getDevice() {
            return device;
        }

        public String getLabel() {
            return label;
        }
    }

    public Cluster getCluster() {
        return cluster;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public int getVrid() {
        return vrid;
    }

    public void setVrid(int vrid) {
        this.vrid = vrid;
    }

    public String getInterfaceName() {
        return interfaceName;
    }

    public void setInterfaceName(String interfaceName) {
        this.interfaceName = interfaceName;
    }

    public Addresses.Family getIpFamily() {
        return ipFamily;
    }

    public void setIpFamily(Addresses.Family ipFamily) {
        this.ipFamily = ipFamily;
    }

    public int getVrrpVersion() {
        return vrrpVersion;
    }

    public void setVrrpVersion(int vrrpVersion) {
        this.vrrpVersion = vrrpVersion;
    }

    public int getAdvertInterval() {
        return advertInterval;
    }

    public void setAdvertInterval(int advertInterval) {
        this.advertInterval = advertInterval;
    }

    public boolean isPreempt() {
        return preempt;
    }

    public void setPreempt(boolean preempt) {
        this.preempt = preempt;
    }

    public int getPreemptDelay() {
        return preemptDelay;
    }

    public void setPreemptDelay(int preemptDelay) {
        this.preemptDelay = preemptDelay;
    }

    public AuthType getAuthType() {
        return authType;
    }

    public void setAuthType(AuthType authType) {
        this.authType = authType;
    }

    public String getAuthPassword() {
        return authPassword;
    }

    public void setAuthPassword(String authPassword) {
        this.authPassword = authPassword;
    }

    public String getMulticastGroup() {
        return multicastGroup;
    }

    public void setMulticastGroup(String multicastGroup) {
        this.multicastGroup = multicastGroup;
    }

    public String getSyncGroup() {
        return syncGroup;
    }

    public void setSyncGroup(String syncGroup) {
        this.syncGroup = syncGroup;
    }

    public List<Priority> getPriorities() {
        return priorities;
    }

    public List<Vip> getVips() {
        return vips;
    }

    public List<String> getUnicastPeers() {
        return unicastPeers;
    }

    // The replace methods leave an equal collection untouched: replacing it would rewrite its rows and
    // bump the version, so an update that changes nothing would look like a change.

    public void replacePriorities(List<Priority> values) {
        java.util.function.Function<List<Priority>, List<String>> key = l -> l.stream()
                .map(p -> p.getDirectorId() + "=" + p.getPriority()).toList();
        if (!key.apply(priorities).equals(key.apply(values))) {
            priorities.clear();
            priorities.addAll(values);
        }
    }

    public void replaceVips(List<Vip> values) {
        java.util.function.Function<List<Vip>, List<String>> key = l -> l.stream()
                .map(v -> v.getAddress() + "/" + v.getPrefixLength() + " " + v.getDevice() + " " + v.getLabel()).toList();
        if (!key.apply(vips).equals(key.apply(values))) {
            vips.clear();
            vips.addAll(values);
        }
    }

    public void replaceUnicastPeers(List<String> values) {
        if (!unicastPeers.equals(values)) {
            unicastPeers.clear();
            unicastPeers.addAll(values);
        }
    }
}
