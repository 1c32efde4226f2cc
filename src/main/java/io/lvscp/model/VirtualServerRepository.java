package io.lvscp.model;

import io.lvscp.common.Addresses;
import io.lvscp.common.Protocol;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface VirtualServerRepository extends JpaRepository<VirtualServer, Long> {

    Page<VirtualServer> findByClusterId(Long clusterId, Pageable pageable);

    Optional<VirtualServer> findByIdAndClusterId(Long id, Long clusterId);

    Optional<VirtualServer> findByClusterIdAndVipAndPortAndProtocol(Long clusterId, String vip, Integer port, Protocol protocol);

    Optional<VirtualServer> findByClusterIdAndFwmarkAndIpFamily(Long clusterId, Long fwmark, Addresses.Family family);

    List<VirtualServer> findByVrrpInstanceIdIn(Collection<Long> instanceIds);

    long countByClusterId(Long clusterId);

    long countByVrrpInstanceId(Long instanceId);

    List<VirtualServer> findByClusterId(Long clusterId);
}
