package io.lvscp.model;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

public interface RealServerRepository extends JpaRepository<RealServer, Long> {

    Page<RealServer> findByVirtualServerId(Long virtualServerId, Pageable pageable);

    List<RealServer> findByVirtualServerIdOrderById(Long virtualServerId);

    Optional<RealServer> findByIdAndVirtualServerId(Long id, Long virtualServerId);

    Optional<RealServer> findByVirtualServerIdAndAddressAndPort(Long virtualServerId, String address, int port);

    List<RealServer> findByVirtualServerIdIn(Collection<Long> virtualServerIds);

    @Query("select r from RealServer r where r.virtualServer.cluster.id = :clusterId")
    Page<RealServer> findByClusterId(Long clusterId, Pageable pageable);

    long countByVirtualServerId(Long virtualServerId);

    @Modifying
    @Query("delete from RealServer r where r.virtualServer.id in (select v.id from VirtualServer v where v.cluster.id = :clusterId)")
    int deleteByCluster(Long clusterId);

    @Modifying
    @Query("delete from RealServer r where r.virtualServerId = :virtualServerId")
    int deleteByVirtualServer(Long virtualServerId);
}
