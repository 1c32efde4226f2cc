package io.lvscp.model;

import io.lvscp.common.Addresses;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.common.Scheduler;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * An IPVS virtual service: VIP + port + protocol, or a firewall mark, with its
 * scheduler, forwarding method and health-check defaults for its real servers.
 */
@Entity
@Table(name = "virtual_server")
public class VirtualServer extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "cluster_id", nullable = false)
    private Cluster cluster;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "vrrp_instance_id", nullable = false)
    private VrrpInstance vrrpInstance;

    @Column(name = "vrrp_instance_id", insertable = false, updatable = false)
    private Long vrrpInstanceId;

    @Column(length = 63)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(name = "ip_family", nullable = false, length = 4)
    private Addresses.Family ipFamily;

    @Column(length = 45)
    private String vip;

    private Integer port;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 4)
    private Protocol protocol;

    private Long fwmark;

    @Convert(converter = WireNameConverters.SchedulerConverter.class)
    @Column(nullable = false, length = 8)
    private Scheduler scheduler;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 4)
    private Forwarding forwarding;

    @Column(name = "persistence_timeout")
    private Integer persistenceTimeout;

    @Column(name = "persistence_netmask")
    private Integer persistenceNetmask;

    @Column(name = "delay_loop", nullable = false)
    private int delayLoop;

    @Column(name = "connect_timeout", nullable = false)
    private int connectTimeout;

    @Column(nullable = false)
    private int retry;

    @Column(name = "delay_before_retry", nullable = false)
    private int delayBeforeRetry;

    @Column(nullable = false)
    private boolean alpha;

    @Column(nullable = false)
    private int quorum;

    @Column(nullable = false)
    private int hysteresis;

    @Column(name = "sorry_address", length = 45)
    private String sorryAddress;

    @Column(name = "sorry_port")
    private Integer sorryPort;

    protected VirtualServer() {
    }

    public VirtualServer(Cluster cluster) {
        this.cluster = cluster;
    }

    /** "vip:port/proto" or "fwmark:N/family", the label used in logs and metrics. */
    public String label() {
        if (fwmark != null) {
            return "fwmark:" + fwmark + "/" + ipFamily.name().toLowerCase(java.util.Locale.ROOT);
        }
        return Addresses.hostPort(vip, port) + "/" + protocol.wireName().toLowerCase(java.util.Locale.ROOT);
    }

    public Cluster getCluster() {
        return cluster;
    }

    public VrrpInstance getVrrpInstance() {
        return vrrpInstance;
    }

    public Long getVrrpInstanceId() {
        return vrrpInstanceId != null ? vrrpInstanceId : (vrrpInstance == null ? null : vrrpInstance.getId());
    }

    public void setVrrpInstance(VrrpInstance vrrpInstance) {
        this.vrrpInstance = vrrpInstance;
        this.vrrpInstanceId = vrrpInstance.getId();
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Addresses.Family getIpFamily() {
        return ipFamily;
    }

    public void setIpFamily(Addresses.Family ipFamily) {
        this.ipFamily = ipFamily;
    }

    public String getVip() {
        return vip;
    }

    public void setVip(String vip) {
        this.vip = vip;
    }

    public Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public Protocol getProtocol() {
        return protocol;
    }

    public void setProtocol(Protocol protocol) {
        this.protocol = protocol;
    }

    public Long getFwmark() {
        return fwmark;
    }

    public void setFwmark(Long fwmark) {
        this.fwmark = fwmark;
    }

    public Scheduler getScheduler() {
        return scheduler;
    }

    public void setScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    public Forwarding getForwarding() {
        return forwarding;
    }

    public void setForwarding(Forwarding forwarding) {
        this.forwarding = forwarding;
    }

    public Integer getPersistenceTimeout() {
        return persistenceTimeout;
    }

    public void setPersistenceTimeout(Integer persistenceTimeout) {
        this.persistenceTimeout = persistenceTimeout;
    }

    public Integer getPersistenceNetmask() {
        return persistenceNetmask;
    }

    public void setPersistenceNetmask(Integer persistenceNetmask) {
        this.persistenceNetmask = persistenceNetmask;
    }

    public int getDelayLoop() {
        return delayLoop;
    }

    public void setDelayLoop(int delayLoop) {
        this.delayLoop = delayLoop;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getRetry() {
        return retry;
    }

    public void setRetry(int retry) {
        this.retry = retry;
    }

    public int getDelayBeforeRetry() {
        return delayBeforeRetry;
    }

    public void setDelayBeforeRetry(int delayBeforeRetry) {
        this.delayBeforeRetry = delayBeforeRetry;
    }

    public boolean isAlpha() {
        return alpha;
    }

    public void setAlpha(boolean alpha) {
        this.alpha = alpha;
    }

    public int getQuorum() {
        return quorum;
    }

    public void setQuorum(int quorum) {
        this.quorum = quorum;
    }

    public int getHysteresis() {
        return hysteresis;
    }

    public void setHysteresis(int hysteresis) {
        this.hysteresis = hysteresis;
    }

    public String getSorryAddress() {
        return sorryAddress;
    }

    public void setSorryAddress(String sorryAddress) {
        this.sorryAddress = sorryAddress;
    }

    public Integer getSorryPort() {
        return sorryPort;
    }

    public void setSorryPort(Integer sorryPort) {
        this.sorryPort = sorryPort;
    }
}
