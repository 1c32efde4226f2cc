package io.lvscp.model;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface DirectorRepository extends JpaRepository<Director, Long> {

    Optional<Director> findByNodeName(String nodeName);

    List<Director> findByClusterIdOrderByNodeName(Long clusterId);

    Page<Director> findByClusterId(Long clusterId, Pageable pageable);
}
