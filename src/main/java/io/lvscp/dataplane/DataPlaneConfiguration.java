package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.cluster.ConfigGeneration;
import io.lvscp.cluster.DirectorRepository;
import io.lvscp.ipvs.linux.IpvsClient;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;

/** Chooses and wires this node's data plane and the agent that keeps it in step. */
@Configuration(proxyBeanMethods = false)
class DataPlaneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DataPlaneConfiguration.class);

    @Bean
    DataPlaneSelector.Selection dataPlaneSelection(LvsProperties props, DirectorRepository directors) {
        // the generic-netlink family "IPVS" resolves only where the kernel has IPVS loaded
        boolean ipvs = IpvsClient.available();
        boolean director = directors.findByNodeName(props.nodeName()).isPresent();
        DataPlaneSelector.Selection s = DataPlaneSelector.select(props.dataplane(), ipvs, director, false, props.nodeName());
        log.info("Node '{}': {} data plane ({})", props.nodeName(), s.mode(), s.reason());
        return s;
    }

    @Bean
    DataPlane dataPlane(DataPlaneSelector.Selection selection, Clock clock) {
        return new DryRunDataPlane(clock);
    }

    @Bean
    NodeAgent nodeAgent(LvsProperties props, DataPlane dataPlane, PlanService plans, ConfigGeneration generation,
            TaskScheduler scheduler, Clock clock) {
        return new NodeAgent(props.nodeName(), dataPlane, plans, generation, scheduler, props.reconcile(), clock);
    }

    /** "dataplane" in /actuator/health: the mode, why, and what the agent last applied. */
    @Bean
    HealthIndicator dataplaneHealthIndicator(DataPlaneSelector.Selection selection, DataPlane dataPlane, NodeAgent agent) {
        return () -> {
            NodeAgent.Status s = agent.status();
            Health.Builder b = Health.up().withDetail("mode", dataPlane.mode()).withDetail("reason", selection.reason())
                    .withDetail("node", s.node()).withDetail("appliedGeneration", s.appliedGeneration());
            if (s.lastAppliedAt() != null) {
                b.withDetail("lastAppliedAt", s.lastAppliedAt().toString());
            }
            if (s.lastError() != null) {
                b.withDetail("lastError", s.lastError());
            }
            return b.build();
        };
    }
}
