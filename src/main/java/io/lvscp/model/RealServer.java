package io.lvscp.model;

import io.lvscp.common.RealServerState;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
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

    /** This real server's drain timeout in seconds; null: lvs.reconcile.drain-timeout. */
    @Column(name = "drain_timeout_seconds")
    private Integer drainTimeoutSeconds;

    @Column(name = "inhibit_on_failure", nullable = false)
    private boolean inhibitOnFailure;

    @Column(name = "upper_threshold")
    private Integer upperThreshold;

    @Column(name = "lower_threshold")
    private Integer lowerThreshold;

    /** The health check, in this row's check_* and timing columns. */
    @Embedded
    private HealthCheckSettings healthCheck = HealthCheckSettings.none();

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

    public Integer getDrainTimeoutSeconds() {
        return drainTimeoutSeconds;
    }

    public void setDrainTimeoutSeconds(Integer drainTimeoutSeconds) {
        this.drainTimeoutSeconds = drainTimeoutSeconds;
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

    public HealthCheckSettings getHealthCheck() {
        return healthCheck;
    }

    public void setHealthCheck(HealthCheckSettings healthCheck) {
        this.healthCheck = healthCheck;
    }
}
