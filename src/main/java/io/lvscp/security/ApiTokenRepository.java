package io.lvscp.security;

import java.time.Instant;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface ApiTokenRepository extends JpaRepository<ApiToken, Long> {

    Optional<ApiToken> findByTokenHash(String tokenHash);

    Page<ApiToken> findByOwnerUsername(String username, Pageable pageable);

    /** Notes a use, at most once per {@code notBefore} interval, without loading or locking the row. */
    @Modifying
    @Transactional
    @Query("update ApiToken t set t.lastUsedAt = :now where t.id = :id and (t.lastUsedAt is null or t.lastUsedAt < :notBefore)")
    int touch(Long id, Instant now, Instant notBefore);
}
