package io.lvscp.dataplane;

import io.lvscp.LvsProperties;
import io.lvscp.common.StreamedMetrics;
import io.lvscp.model.ConfigGeneration;
import io.lvscp.model.DirectorRepository;
import io.lvscp.database.DatabaseStatus;
import io.lvscp.database.GenerationNotifications;
import io.lvscp.event.EventService;
import io.lvscp.ipvs.Reconciler;
import io.lvscp.ipvs.linux.IpvsClient;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;
import tools.jackson.databind.json.JsonMapper;

/** Chooses and wires this node's data plane and the agent that keeps it in step. */
@Configuration(proxyBeanMethods = false)
class DataPlaneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DataPlaneConfiguration.class);

    /**
     * This node's last good desired state. The PASS passwords and the director's interface are read
     * through it, so that VRRP keeps them during a database outage.
     */
    @Bean
    LocalState localState(LvsProperties props, JsonMapper mapper, ObjectProvider<PlanService> plans, DatabaseStatus database, Clock clock,
            VrrpNodeRecords records, DirectorRepository directors, MeterRegistry meters) {
        return new LocalState(props, mapper, plans::getObject, database, clock, () -> records.passwords(props.nodeName()),
                () -> directors.findByNodeName(props.nodeName()).map(io.lvscp.model.Director::getInterfaceName).orElse(null), meters);
    }

    @Bean
    DataPlaneSelector.Selection dataPlaneSelection(LvsProperties props, DirectorRepository directors, DatabaseStatus database,
            LocalState local) {
        // the generic-netlink family "IPVS" resolves only where the kernel has IPVS loaded
        boolean ipvs = props.dataplane() != LvsProperties.DataPlaneMode.DRY_RUN && IpvsClient.available();
        boolean director;
        if (!database.up()) {
            // started during an outage: a state file means a Director record named this node when it was written
            director = local.hasFile();
            log.warn("Node '{}': database unreachable at start-up; {}", props.nodeName(),
                    director ? "its local state file " + local.file() + " says it is a director" : "no local state file at " + local.file());
        } else {
            director = directors.findByNodeName(props.nodeName()).isPresent();
        }
        DataPlaneSelector.Selection s = DataPlaneSelector.select(props.dataplane(), ipvs, director, props.nodeName());
        log.info("Node '{}': {} data plane ({})", props.nodeName(), s.mode(), s.reason());
        return s;
    }

    /** The one diff of an IPVS table: the kernel's and the dry-run's data planes and {@code /plan} run it. */
    @Bean
    Reconciler reconciler(LvsProperties props) {
        return new Reconciler(props.reconcile().drainTimeout());
    }

    /** IPVS (kernel or dry-run) with this node's VRRP instances. */
    @Bean
    DataPlane dataPlane(DataPlaneSelector.Selection selection, LvsProperties props, OwnedServiceStore owned, Clock clock, VrrpNodeHandle vrrp,
            LocalState local, Reconciler reconciler) {
        return new VrrpDataPlane(ipvsDataPlane(selection, props, owned, clock, reconciler), vrrp, local::passwords,
                local::directorInterface);
    }

    private static DataPlane ipvsDataPlane(DataPlaneSelector.Selection selection, LvsProperties props, OwnedServiceStore owned,
            Clock clock, Reconciler reconciler) {
        if (selection.mode() != DataPlane.Mode.KERNEL) {
            return new DryRunDataPlane(clock, reconciler);
        }
        String node = props.nodeName();
        KernelDataPlane.Ownership ownership = new KernelDataPlane.Ownership() {
            @Override
            public Set<String> load() {
                return owned.load(node);
            }

            @Override
            public void add(Set<String> ids, Instant now) {
                owned.add(node, ids, now);
            }

            @Override
            public void remove(Set<String> ids) {
                owned.remove(node, ids);
            }
        };
        // on shutdown only the netlink socket is closed: the IPVS table stays, the director keeps forwarding
        return new KernelDataPlane(IpvsClient::open, ownership, reconciler, clock);
    }

    /**
     * The agent re-plans when the configuration generation moves (at its poll, or at once on PostgreSQL's
     * notification of a committed change) and when a health check flips: the health
     * registry's version is part of its inputs, and a flip also wakes it at once (on the scheduler, not on the
     * registry's thread), so a dead real server leaves IPVS within milliseconds of the check that found it.
     */
    @Bean
    NodeAgent nodeAgent(LvsProperties props, DataPlane dataPlane, PlanService plans, ConfigGeneration generation, HealthRegistry health,
            TaskScheduler scheduler, Clock clock, EventService events, MeterRegistry meters, LocalState local,
            GenerationNotifications notifications, io.lvscp.database.DrainProgressStore drainProgress) {
        NodeAgent agent = new NodeAgent(props.nodeName(), dataPlane, plans, generation, health::version, scheduler, props.reconcile(), clock,
                events, meters, local);
        agent.drainReporter(new DrainReporter(props.nodeName(), dataPlane, drainProgress, props.reconcile().drainTimeout(), clock));
        health.addListener(() -> scheduler.schedule(agent::reconcile, clock.instant()));
        notifications.addListener(() -> scheduler.schedule(agent::reconcile, clock.instant()));
        return agent;
    }

    /** The families written at the scrape rather than kept as meters (health, quorum): see {@link IpvsScrapeEndpoint}. */
    @Bean
    StreamedMetrics streamedMetrics() {
        return new StreamedMetrics();
    }

    /**
     * /actuator/prometheus: Spring Boot's endpoint, with the streamed families appended as text ({@link IpvsScrapeEndpoint}):
     * the kernel's IPVS counters (kernel data plane only) and, in every data plane, those of {@code streamed} (health,
     * quorum); the collector's prefetch thread stops with the context.
     */
    @Bean(destroyMethod = "close")
    IpvsScrapeEndpoint prometheusEndpoint(PrometheusRegistry registry, PrometheusConfig config, DataPlane dataPlane, LvsProperties props,
            NodeAgent agent, StreamedMetrics streamed) {
        DataPlane ipvs = dataPlane instanceof VrrpDataPlane v ? v.inner() : dataPlane;
        IpvsMetricsCollector collector = ipvs instanceof KernelDataPlane kernel
                ? new IpvsMetricsCollector(IpvsMetricsCollector.TableSource.of(kernel), props.nodeName(), agent::cluster)
                : null;
        return new IpvsScrapeEndpoint(registry, config.prometheusProperties(), streamed, collector);
    }

    /**
     * {@code lvs_sync_daemon_state{node,role}}: 1 while this node's data plane runs the master (or backup) connection-synchronisation
     * daemon, else 0; read from the kernel (GET_DAEMON) at most once a second.
     */
    @Bean
    Object syncDaemonMetrics(DataPlane dataPlane, MeterRegistry meters, LvsProperties props) {
        SyncDaemonStates states = new SyncDaemonStates(dataPlane::syncDaemons, java.time.Duration.ofSeconds(1));
        for (io.lvscp.ipvs.SyncDaemon.Role role : io.lvscp.ipvs.SyncDaemon.Role.values()) {
            io.micrometer.core.instrument.Gauge.builder("lvs.sync.daemon.state", states, s -> s.running(role) ? 1 : 0)
                    .description("1 while this director runs the IPVS connection-synchronisation daemon of this role, else 0")
                    .tag("node", props.nodeName()).tag("role", role.label()).register(meters);
        }
        return states;
    }

    /**
     * In the {@code kernel} data plane, writes the {@code net.ipv4.vs.*} sysctls of {@code lvs.ipvs-sysctl.*} at start (a
     * sysctl that cannot be written is logged, the service starts anyway), and shows each one's value now as
     * {@code lvs_ipvs_sysctl{node,name}} (read at the scrape; absent where the kernel has no such sysctl).
     */
    @Bean
    Object ipvsSysctls(DataPlaneSelector.Selection selection, IpvsSysctlProperties sysctl, MeterRegistry meters, LvsProperties props) {
        if (selection.mode() != DataPlane.Mode.KERNEL) {
            return "no IPVS sysctls: " + selection.mode() + " data plane";
        }
        io.lvscp.ipvs.linux.IpvsSysctls proc = new io.lvscp.ipvs.linux.IpvsSysctls(io.lvscp.ipvs.linux.IpvsSysctls.PROC);
        try {
            log.info("IPVS sysctls set: {}", proc.apply(sysctl.wanted()));
        } catch (java.io.IOException | RuntimeException e) {
            log.error("Setting the IPVS sysctls {} failed: {}", sysctl.wanted(), e.toString());
        }
        for (String name : IpvsSysctlProperties.NAMES) {
            io.micrometer.core.instrument.Gauge.builder("lvs.ipvs.sysctl", proc, p -> {
                try {
                    return p.read(name).orElse(-1);
                } catch (java.io.IOException | RuntimeException e) {
                    return Double.NaN;
                }
            }).description("The director's net.ipv4.vs.<name> sysctl now (-1: the kernel has no such sysctl)")
                    .tag("node", props.nodeName()).tag("name", name).register(meters);
        }
        return proc;
    }

    /** "dataplane" in /actuator/health: the mode, why, and what the agent last applied. */
    @Bean
    HealthIndicator dataplaneHealthIndicator(DataPlaneSelector.Selection selection, DataPlane dataPlane, NodeAgent agent, LocalState local) {
        return () -> {
            NodeAgent.Status s = agent.status();
            Health.Builder b = Health.up().withDetail("mode", dataPlane.mode().wireName()).withDetail("reason", selection.reason())
                    .withDetail("node", s.node()).withDetail("appliedGeneration", s.appliedGeneration())
                    .withDetail("driftRepairs", s.driftRepairs()).withDetail("desiredStateSource", local.source().name().toLowerCase())
                    .withDetail("startedFromLocalState", local.startedFromFile()).withDetail("localStateFile", local.file().toString());
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
