package io.lvscp.model;

import io.lvscp.common.Addresses;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface VrrpInstanceRepository extends JpaRepository<VrrpInstance, Long> {

    Optional<VrrpInstance> findByClusterIdAndName(Long clusterId, String name);

    List<VrrpInstance> findByClusterIdOrderByName(Long clusterId);

    Page<VrrpInstance> findByClusterId(Long clusterId, Pageable pageable);

    Optional<VrrpInstance> findByClusterIdAndInterfaceNameAndVridAndIpFamily(Long clusterId, String interfaceName, int vrid,
            Addresses.Family ipFamily);

    /** Instances in which the director has a priority, i.e. that it runs. */
    @Query("select distinct i from VrrpInstance i join i.priorities p where p.directorId = :directorId order by i.name")
    List<VrrpInstance> findByDirector(Long directorId);

    @Query("select distinct i from VrrpInstance i join i.priorities p where p.directorId = :directorId")
    List<VrrpInstance> findAllUsingDirector(Long directorId);
}
