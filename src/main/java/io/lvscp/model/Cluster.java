package io.lvscp.model;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A set of directors that share VRRP instances and virtual servers. */
@Entity
@Table(name = "cluster")
public class Cluster extends BaseEntity {

    @Column(nullable = false, length = 63)
    private String name;

    @Column(length = 1000)
    private String description;

    protected Cluster() {
    }

    public Cluster(String name, String description) {
        this.name = name;
        this.description = description;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }
}
