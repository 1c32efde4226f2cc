package io.lvscp.event;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** An append-only record of something that happened: who changed what, a VRRP transition, a health flip. */
@Entity
@Immutable
@Table(name = "event")
public class Event {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false, length = 32)
    private String kind;

    @Column(name = "cluster_id")
    private Long clusterId;

    @Column(name = "cluster_name", length = 63)
    private String clusterName;

    @Column(nullable = false, length = 128)
    private String actor;

    @Column(length = 64)
    private String source;

    @Column(nullable = false, length = 32)
    private String action;

    @Column(name = "resource_type", length = 32)
    private String resourceType;

    @Column(name = "resource_id")
    private Long resourceId;

    @Column(nullable = false, length = 500)
    private String summary;

    @Column(length = 20000)
    private String details;

    protected Event() {
    }

    public Event(Instant occurredAt, String kind, Long clusterId, String clusterName, String actor, String source, String action,
            String resourceType, Long resourceId, String summary, String details) {
        this.occurredAt = occurredAt;
        this.kind = kind;
        this.clusterId = clusterId;
        this.clusterName = clusterName;
        this.actor = actor;
        this.source = source;
        this.action = action;
        this.resourceType = resourceType;
        this.resourceId = resourceId;
        this.summary = summary.length() > 500 ? summary.substring(0, 497) + "..." : summary;
        this.details = details;
    }

    public Long getId() {
        return id;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getKind() {
        return kind;
    }

    public Long getClusterId() {
        return clusterId;
    }

    public String getClusterName() {
        return clusterName;
    }

    public String getActor() {
        return actor;
    }

    public String getSource() {
        return source;
    }

    public String getAction() {
        return action;
    }

    public String getResourceType() {
        return resourceType;
    }

    public Long getResourceId() {
        return resourceId;
    }

    public String getSummary() {
        return summary;
    }

    public String getDetails() {
        return details;
    }
}
