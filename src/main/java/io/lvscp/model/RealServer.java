package io.lvscp.model;

import io.lvscp.common.CheckType;
import io.lvscp.common.RealServerState;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A destination of a virtual server, with its weight, state and health check. */
@Entity
@Table(name = "real_server")
public class RealServer extends BaseEntity {

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "virtual_server_id", nullable = false)
    private VirtualServer virtualServer;

    @Column(name = "virtual_server_id", insertable = false, updatable = false)
    private Long virtualServerId;

    @Column(nullable = false, length = 45)
    private String address;

    @Column(nullable = false)
    private int port;

    @Column(nullable = false)
    private int weight;

    @Convert(converter = WireNameConverters.StateConverter.class)
    @Column(nullable = false, length = 10)
    private RealServerState state;

    @Column(name = "state_changed_at")
    private java.time.Instant stateChangedAt;

    @Column(name = "inhibit_on_failure", nullable = false)
    private boolean inhibitOnFailure;

    @Column(name = "upper_threshold")
    private Integer upperThreshold;

    @Column(name = "lower_threshold")
    private Integer lowerThreshold;

    @Convert(converter = WireNameConverters.CheckTypeConverter.class)
    @Column(name = "check_type", nullable = false, length = 10)
    private CheckType checkType;

    @Column(name = "check_path", length = 1000)
    private String checkPath;

    @Column(name = "check_status_codes", length = 200)
    private String checkStatusCodes;

    @Column(name = "check_digest", length = 32)
    private String checkDigest;

    @Column(name = "check_virtualhost", length = 253)
    private String checkVirtualhost;

    @Column(name = "check_command", length = 1000)
    private String checkCommand;

    @Column(name = "check_connect_port")
    private Integer checkConnectPort;

    @Column(name = "connect_timeout")
    private Integer connectTimeout;

    private Integer retry;

    @Column(name = "delay_before_retry")
    private Integer delayBeforeRetry;

    @Column(name = "delay_loop")
    private Integer delayLoop;

    @Column(name = "check_connect_ip", length = 45)
    private String checkConnectIp;

    @Column(name = "check_bind_to", length = 45)
    private String checkBindTo;

    @Column(name = "check_tls_verify", nullable = false)
    private boolean checkTlsVerify;

    @Column(name = "check_rise")
    private Integer checkRise;

    @Column(name = "check_fall")
    private Integer checkFall;

    @Column(name = "check_misc_timeout")
    private Integer checkMiscTimeout;

    protected RealServer() {
    }

    public RealServer(VirtualServer virtualServer) {
        this.virtualServer = virtualServer;
        this.virtualServerId = virtualServer.getId();
    }

    public VirtualServer getVirtualServer() {
        return virtualServer;
    }

    public Long getVirtualServerId() {
        return virtualServerId != null ? virtualServerId : virtualServer.getId();
    }

    public String getAddress() {
        return address;
    }

    public void setAddress(String address) {
        this.address = address;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public int getWeight() {
        return weight;
    }

    public void setWeight(int weight) {
        this.weight = weight;
    }

    public RealServerState getState() {
        return state;
    }

    /** Sets the administrative state; a change also moves {@link #getStateChangedAt()} (a drain's timeout counts from there). */
    public void setState(RealServerState state) {
        if (state != this.state || stateChangedAt == null) {
            stateChangedAt = java.time.Instant.now();
        }
        this.state = state;
    }

    /** When the administrative state last changed (null only for rows older than the column). */
    public java.time.Instant getStateChangedAt() {
        return stateChangedAt;
    }

    public boolean isInhibitOnFailure() {
        return inhibitOnFailure;
    }

    public void setInhibitOnFailure(boolean inhibitOnFailure) {
        this.inhibitOnFailure = inhibitOnFailure;
    }

    public Integer getUpperThreshold() {
        return upperThreshold;
    }

    public void setUpperThreshold(Integer upperThreshold) {
        this.upperThreshold = upperThreshold;
    }

    public Integer getLowerThreshold() {
        return lowerThreshold;
    }

    public void setLowerThreshold(Integer lowerThreshold) {
        this.lowerThreshold = lowerThreshold;
    }

    public CheckType getCheckType() {
        return checkType;
    }

    public void setCheckType(CheckType checkType) {
        this.checkType = checkType;
    }

    public String getCheckPath() {
        return checkPath;
    }

    public void setCheckPath(String checkPath) {
        this.checkPath = checkPath;
    }

    public String getCheckStatusCodes() {
        return checkStatusCodes;
    }

    public void setCheckStatusCodes(String checkStatusCodes) {
        this.checkStatusCodes = checkStatusCodes;
    }

    public String getCheckDigest() {
        return checkDigest;
    }

    public void setCheckDigest(String checkDigest) {
        this.checkDigest = checkDigest;
    }

    public String getCheckVirtualhost() {
        return checkVirtualhost;
    }

    public void setCheckVirtualhost(String checkVirtualhost) {
        this.checkVirtualhost = checkVirtualhost;
    }

    public String getCheckCommand() {
        return checkCommand;
    }

    public void setCheckCommand(String checkCommand) {
        this.checkCommand = checkCommand;
    }

    public Integer getCheckConnectPort() {
        return checkConnectPort;
    }

    public void setCheckConnectPort(Integer checkConnectPort) {
        this.checkConnectPort = checkConnectPort;
    }

    public Integer getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Integer connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Integer getRetry() {
        return retry;
    }

    public void setRetry(Integer retry) {
        this.retry = retry;
    }

    public Integer getDelayBeforeRetry() {
        return delayBeforeRetry;
    }

    public void setDelayBeforeRetry(Integer delayBeforeRetry) {
        this.delayBeforeRetry = delayBeforeRetry;
    }

    public Integer getDelayLoop() {
        return delayLoop;
    }

    public void setDelayLoop(Integer delayLoop) {
        this.delayLoop = delayLoop;
    }

    public String getCheckConnectIp() {
        return checkConnectIp;
    }

    public void setCheckConnectIp(String checkConnectIp) {
        this.checkConnectIp = checkConnectIp;
    }

    public String getCheckBindTo() {
        return checkBindTo;
    }

    public void setCheckBindTo(String checkBindTo) {
        this.checkBindTo = checkBindTo;
    }

    public boolean isCheckTlsVerify() {
        return checkTlsVerify;
    }

    public void setCheckTlsVerify(boolean checkTlsVerify) {
        this.checkTlsVerify = checkTlsVerify;
    }

    public Integer getCheckRise() {
        return checkRise;
    }

    public void setCheckRise(Integer checkRise) {
        this.checkRise = checkRise;
    }

    public Integer getCheckFall() {
        return checkFall;
    }

    public void setCheckFall(Integer checkFall) {
        this.checkFall = checkFall;
    }

    public Integer getCheckMiscTimeout() {
        return checkMiscTimeout;
    }

    public void setCheckMiscTimeout(Integer checkMiscTimeout) {
        this.checkMiscTimeout = checkMiscTimeout;
    }
}
