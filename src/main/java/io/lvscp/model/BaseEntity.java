package io.lvscp.model;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.Version;
import java.time.Instant;

/**
 * Identity, optimistic-lock version and timestamps shared by every aggregate.
 *
 * <p>Ids come from one sequence per entity ({@code cluster_seq}, {@code director_seq}, {@code vrrp_instance_seq},
 * {@code virtual_server_seq}, {@code real_server_seq}, {@code app_user_seq}: Hibernate's implicit names, TABLE_seq), 50 ids
 * per database call (Hibernate's pooled optimizer, the sequences' {@code INCREMENT BY 50}): an id is known before the
 * INSERT, so Hibernate batches the INSERTs of a bulk write (the keepalived.conf import) instead of one round trip per
 * row, as IDENTITY columns force. Migration V8 creates the sequences (above the ids already used) and makes them the
 * columns' default.
 */
@MappedSuperclass
public abstract class BaseEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE)
    private Long id;

    @Version
    @Column(nullable = false)
    private long version;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    public Long getId() {
        return id;
    }

    public long getVersion() {
        return version;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
