package io.lvscp.event;

import java.time.Instant;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface EventRepository extends JpaRepository<Event, Long> {

    @Query("""
            select e from Event e
            where (:clusterId is null or e.clusterId = :clusterId)
              and (:kind is null or e.kind = :kind)
              and (:since is null or e.occurredAt >= :since)
              and (:until is null or e.occurredAt < :until)
            """)
    Page<Event> search(Long clusterId, String kind, Instant since, Instant until, Pageable pageable);
}
