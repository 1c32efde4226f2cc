package io.lvscp.event;

import java.time.Instant;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;

public interface EventRepository extends JpaRepository<Event, Long>, JpaSpecificationExecutor<Event> {

    /** Events matching every filter given (null filters match all). */
    default Page<Event> search(Long clusterId, String kind, Instant since, Instant until, Pageable pageable) {
        Specification<Event> spec = (root, query, cb) -> cb.conjunction();
        if (clusterId != null) {
            spec = spec.and((root, query, cb) -> cb.equal(root.get("clusterId"), clusterId));
        }
        if (kind != null) {
            spec = spec.and((root, query, cb) -> cb.equal(root.get("kind"), kind));
        }
        if (since != null) {
            spec = spec.and((root, query, cb) -> cb.greaterThanOrEqualTo(root.get("occurredAt"), since));
        }
        if (until != null) {
            spec = spec.and((root, query, cb) -> cb.lessThan(root.get("occurredAt"), until));
        }
        return findAll(spec, pageable);
    }
}
