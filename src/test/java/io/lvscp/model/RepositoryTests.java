package io.lvscp.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvscp.common.Addresses.Family;
import io.lvscp.common.AuthType;
import io.lvscp.common.CheckType;
import io.lvscp.common.Forwarding;
import io.lvscp.common.Protocol;
import io.lvscp.common.RealServerState;
import io.lvscp.common.Scheduler;
import jakarta.persistence.EntityManager;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Repositories and the schema's own guards, on the Flyway-migrated schema
 * (Hibernate validates that the entities match it).
 */
@DataJpaTest(properties = {"spring.jpa.hibernate.ddl-auto=validate", "spring.datasource.url=jdbc:h2:mem:repositories;DB_CLOSE_DELAY=-1"})
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
class RepositoryTests {

    @Autowired
    ClusterRepository clusters;
    @Autowired
    DirectorRepository directors;
    @Autowired
    VrrpInstanceRepository instances;
    @Autowired
    VirtualServerRepository virtualServers;
    @Autowired
    RealServerRepository realServers;
    @Autowired
    EntityManager em;
    @Autowired
    JdbcTemplate jdbc;

    Cluster wtc;
    Director lvs1;
    Director lvs2;
    VrrpInstance vi1;
    VirtualServer web;

    @BeforeEach
    void article() {
        wtc = clusters.save(new Cluster("wtc", "the article"));
        lvs1 = director("lvs1", "172.18.42.100");
        lvs2 = director("lvs2", "172.18.42.200");
        vi1 = instance("vi_1", 110);
        web = virtualServer(vi1, "172.18.42.42", 80);
        em.flush();
    }

    Director director(String node, String address) {
        Director d = new Director(wtc);
        d.setNodeName(node);
        d.setManagementAddress(address);
        d.setInterfaceName("eth0");
        return directors.saveAndFlush(d);
    }

    VrrpInstance instance(String name, int vrid) {
        VrrpInstance i = new VrrpInstance(wtc);
        i.setName(name);
        i.setVrid(vrid);
        i.setInterfaceName("eth0");
        i.setIpFamily(Family.IPV4);
        i.setVrrpVersion(2);
        i.setAdvertInterval(1);
        i.setPreempt(true);
        i.setAuthType(AuthType.PASS);
        i.setAuthPassword("lm97gg51");
        i.setMulticastGroup("224.0.42.20");
        i.replaceVips(List.of(new VrrpInstance.Vip("172.18.42.42", 32, "eth0", "eth0:1")));
        i.replacePriorities(List.of(new VrrpInstance.Priority(lvs1.getId(), 100), new VrrpInstance.Priority(lvs2.getId(), 99)));
        return instances.saveAndFlush(i);
    }

    VirtualServer virtualServer(VrrpInstance i, String vip, int port) {
        VirtualServer v = new VirtualServer(wtc);
        v.setVrrpInstance(i);
        v.setIpFamily(Family.IPV4);
        v.setVip(vip);
        v.setPort(port);
        v.setProtocol(Protocol.TCP);
        v.setScheduler(Scheduler.RR);
        v.setForwarding(Forwarding.DR);
        v.setDelayLoop(6);
        v.setConnectTimeout(3);
        v.setRetry(3);
        v.setDelayBeforeRetry(3);
        v.setQuorum(1);
        return virtualServers.saveAndFlush(v);
    }

    RealServer realServer(String address, int weight) {
        RealServer r = new RealServer(web);
        r.setAddress(address);
        r.setPort(80);
        r.setWeight(weight);
        r.setState(RealServerState.ENABLED);
        r.setHealthCheck(new HealthCheckSettings(CheckType.HTTP_GET, "/", "200", null, null, null, null, null, null, null, null, null, null,
                false, null, null, null));
        return realServers.saveAndFlush(r);
    }

    @Test
    void enumsAreStoredByTheirWireNames() {
        realServer("172.18.42.111", 1);
        em.flush();
        assertThat(jdbc.queryForObject("SELECT scheduler FROM virtual_server", String.class)).isEqualTo("rr");
        assertThat(jdbc.queryForObject("SELECT state FROM real_server", String.class)).isEqualTo("enabled");
        assertThat(jdbc.queryForObject("SELECT check_type FROM real_server", String.class)).isEqualTo("HTTP_GET");
    }

    @Test
    void aDirectorRunsTheInstancesItHasAPriorityIn() {
        Director lvs3 = director("lvs3", "172.18.42.250");
        em.flush();
        assertThat(instances.findByDirector(lvs1.getId())).extracting(VrrpInstance::getName).containsExactly("vi_1");
        assertThat(instances.findByDirector(lvs3.getId())).isEmpty();
        assertThat(virtualServers.findByVrrpInstanceIdIn(List.of(vi1.getId()))).extracting(VirtualServer::label)
                .containsExactly("172.18.42.42:80/tcp");
    }

    @Test
    void clusterNamesAreUnique() {
        assertThatThrownBy(() -> clusters.saveAndFlush(new Cluster("wtc", "again")))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("UK_CLUSTER_NAME");
    }

    @Test
    void nodeNamesAreUniqueAcrossClusters() {
        assertThatThrownBy(() -> director("lvs1", "172.18.42.101")).isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("UK_DIRECTOR_NODE_NAME");
    }

    @Test
    void vridIsUniquePerInterfaceAndFamily() {
        assertThatThrownBy(() -> instance("vi_2", 110)).isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("UK_VRRP_INSTANCE_VRID");
    }

    @Test
    void vipPortProtocolIsUnique() {
        assertThatThrownBy(() -> virtualServer(vi1, "172.18.42.42", 80)).isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("UK_VIRTUAL_SERVER_ENDPOINT");
    }

    @Test
    void aRealServerIsOnceInAVirtualServer() {
        realServer("172.18.42.111", 1);
        assertThatThrownBy(() -> realServer("172.18.42.111", 2)).isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("UK_REAL_SERVER_ENDPOINT");
    }

    @Test
    void theSchemaRefusesOutOfRangeValuesEvenIfTheServiceLetThemThrough() {
        assertThatThrownBy(() -> jdbc.update("UPDATE vrrp_instance SET vrid = 300")).isInstanceOf(DataIntegrityViolationException.class);
        realServer("172.18.42.111", 1);
        realServers.flush();
        assertThatThrownBy(() -> jdbc.update("UPDATE real_server SET weight = 70000")).isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.update("UPDATE virtual_server SET fwmark = 5")).as("a VIP service cannot also have a mark")
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void everyUpdateBumpsTheVersion() {
        RealServer r = realServer("172.18.42.111", 1);
        em.flush();
        long v0 = r.getVersion();
        r.setWeight(5);
        em.flush();
        assertThat(r.getVersion()).isEqualTo(v0 + 1);
        vi1.replacePriorities(List.of(new VrrpInstance.Priority(lvs1.getId(), 150)));
        long iv = vi1.getVersion();
        em.flush();
        assertThat(vi1.getVersion()).as("a changed priority list changes the instance").isEqualTo(iv + 1);
    }

    @Test
    void aStaleCopyCannotOverwriteANewerOne(@Autowired PlatformTransactionManager txm) {
        // committed rows, outside the test's transaction, to race two copies for real
        TransactionTemplate tx = new TransactionTemplate(txm);
        tx.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
        Long id = tx.execute(s -> clusters.save(new Cluster("race", "v0")).getId());
        try {
            Cluster first = tx.execute(s -> clusters.findById(id).orElseThrow());
            Cluster second = tx.execute(s -> clusters.findById(id).orElseThrow());
            first.setDescription("first");
            tx.executeWithoutResult(s -> clusters.save(first));
            second.setDescription("second");
            assertThatThrownBy(() -> tx.executeWithoutResult(s -> clusters.save(second)))
                    .isInstanceOf(ObjectOptimisticLockingFailureException.class);
            String stored = tx.execute(s -> clusters.findById(id).orElseThrow().getDescription());
            assertThat(stored).isEqualTo("first");
        } finally {
            tx.executeWithoutResult(s -> clusters.deleteById(id));
        }
    }
}
