package io.lvscp.dataplane;

import io.lvscp.vrrp.node.VrrpMetrics;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import io.lvscp.vrrp.process.ProcessVrrpNode;
import io.lvscp.vrrp.process.RestartBackoff;
import io.lvscp.vrrp.process.VrrpEngineProcess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.lvscp.LvsProperties;
import io.lvscp.event.EventService;
import io.lvscp.vrrp.linux.LinuxRealtimeScheduler;
import io.lvscp.vrrp.linux.LinuxVrrpNodeIo;
import io.lvscp.vrrp.node.RealtimeScheduling;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The node's {@link VrrpNode}: on the host (raw sockets, rtnetlink) in the {@code kernel} data
 * plane, else a dry-run node that touches nothing, unless {@code lvs.vrrp.on-host-in-dry-run=true}:
 * then VRRP runs for real with a dry-run IPVS table (a host without IPVS that only moves a VIP, and
 * bench/vrrp-timing.sh, which measures the shipped engine in the whole service on such a host). It runs nothing until the node agent calls
 * {@link VrrpNode#configure}; at shutdown it hands over (priority 0) and removes its VIPs. A restart keeps the VIPs
 * a crash left while no other master is known ({@code lvs.vrrp.keep-vips-on-restart}, the database's VRRP reports
 * as second channel: {@link VrrpNode.OtherMasters}).
 */
@Configuration(proxyBeanMethods = false)
class VrrpNodeConfiguration {

    private static final Logger log = LoggerFactory.getLogger(VrrpNodeConfiguration.class);

    @Bean(destroyMethod = "close")
    VrrpTransitionEvents vrrpTransitionEvents(EventService events, VrrpNodeRecords records) {
        return new VrrpTransitionEvents(events, records);
    }

    /** Closed before the events listener (it depends on it): the stop transitions are still recorded. */
    @Bean(destroyMethod = "close")
    VrrpNodeHandle vrrpNode(LvsProperties props, DataPlaneSelector.Selection selection, Clock clock, VrrpTransitionEvents events,
            VrrpNodeRecords records, ObjectProvider<MeterRegistry> registry, ObjectProvider<EventService> eventService,
            @Value("${lvs.vrrp.on-host-in-dry-run:false}") boolean onHostInDryRun,
            @Value("${lvs.vrrp.keep-vips-on-restart:true}") boolean keepVipsOnRestart,
            @Value("${lvs.vrrp.engine:embedded}") String engine,
            @Value("${lvs.vrrp.process.jvm-options:}") String jvmOptions,
            @Value("${lvs.vrrp.realtime-priority:" + RealtimeScheduling.DEFAULT_PRIORITY + "}") int realtimePriority,
            ObjectProvider<VrrpNode.OtherMasters> otherMasters) {
        boolean kernel = selection.mode() == io.lvscp.dataplane.DataPlane.Mode.KERNEL || onHostInDryRun;
        boolean process = switch (engine.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "embedded" -> false;
            case "process" -> true;
            default -> throw new IllegalArgumentException("lvs.vrrp.engine is embedded or process, not '" + engine + "'");
        };
        RealtimeScheduling.validate(realtimePriority);
        VrrpNodeHandle node;
        if (!kernel) {
            node = VrrpNode.forDryRun(props.nodeName(), clock);
        } else if (process) {
            List<String> options = List.of((jvmOptions.isBlank() ? VrrpEngineProcess.DEFAULT_JVM_OPTIONS : jvmOptions).trim().split("\\s+"));
            ProcessVrrpNode p = new ProcessVrrpNode(props.nodeName(), VrrpEngineProcess.launcher(options, realtimePriority),
                    RestartBackoff.standard());
            p.addSupervision(supervision(p, props, records, registry, eventService));
            node = p;
        } else {
            VrrpNode embedded = new VrrpNode(props.nodeName(), new LinuxVrrpNodeIo(), clock);
            embedded.realtimePriority(realtimePriority, new LinuxRealtimeScheduler());
            node = embedded;
        }
        log.info("VRRP node '{}': {}", props.nodeName(), !kernel ? "dry-run (sends nothing)"
                : process ? "raw sockets on this host, in an engine process of its own (lvs.vrrp.engine=process)"
                : "raw sockets on this host, in this JVM (lvs.vrrp.engine=embedded)");
        node.keepVipsOnRestart(keepVipsOnRestart);
        otherMasters.ifAvailable(node::otherMasters);
        node.addListener(events);
        registry.ifAvailable(r -> Gauge.builder("lvs.vrrp.engine.realtime", node, n -> n.realtime().applied())
                .description("SCHED_RR priority of the VRRP engine's loop thread (lvs.vrrp.realtime-priority); 0: normal"
                        + " scheduling (off, refused, or the engine not started)")
                .tag("node", props.nodeName()).register(r));
        registry.ifAvailable(r -> node.addListener(new VrrpMetrics(r,
                () -> records.find(props.nodeName()).map(VrrpNodeRecords.NodeRecord::clusterName).orElse(null))));
        return node;
    }

    /**
     * The engine process's starts and deaths: {@code lvs_vrrp_engine_process_restarts_total}, {@code lvs_vrrp_engine_process_up},
     * and a DATAPLANE event (action VRRP_ENGINE_DIED) per death, recorded off the supervisor's thread.
     */
    private static ProcessVrrpNode.Supervision supervision(ProcessVrrpNode p, LvsProperties props, VrrpNodeRecords records,
            ObjectProvider<MeterRegistry> registry, ObjectProvider<EventService> eventService) {
        MeterRegistry r = registry.getIfAvailable();
        Counter restarts = r == null ? null : Counter.builder("lvs.vrrp.engine.process.restarts")
                .description("Starts of the VRRP engine process after it died (lvs.vrrp.engine=process)")
                .tag("node", props.nodeName()).register(r);
        if (r != null) {
            Gauge.builder("lvs.vrrp.engine.process.up", p, n -> n.up() ? 1 : 0)
                    .description("1 while the VRRP engine process runs and answers (lvs.vrrp.engine=process)")
                    .tag("node", props.nodeName()).register(r);
        }
        return new ProcessVrrpNode.Supervision() {
            @Override
            public void started(long pid, long starts) {
                if (starts > 1 && restarts != null) {
                    restarts.increment();
                }
            }

            @Override
            public void died(long pid, Integer exitCode, Duration ran, Duration restartIn) {
                EventService events = eventService.getIfAvailable();
                if (events == null) {
                    return;
                }
                String summary = String.format(java.util.Locale.ROOT,
                        "node %s: the VRRP engine process (pid %d) died (exit %s) after %.1f s; started again in %d ms",
                        props.nodeName(), pid, exitCode, ran.toMillis() / 1000.0, restartIn.toMillis());
                java.util.concurrent.CompletableFuture.runAsync(() -> {
                    try {
                        VrrpNodeRecords.NodeRecord rec = records.find(props.nodeName()).orElse(null);
                        Map<String, Object> details = new LinkedHashMap<>();
                        details.put("node", props.nodeName());
                        details.put("pid", pid);
                        details.put("exitCode", exitCode);
                        details.put("ranSeconds", ran.toMillis() / 1000.0);
                        details.put("restartInSeconds", restartIn.toMillis() / 1000.0);
                        events.record(EventService.DATAPLANE, rec == null ? null : rec.clusterId(), rec == null ? null : rec.clusterName(),
                                "VRRP_ENGINE_DIED", "node", null, summary, details);
                    } catch (RuntimeException e) {
                        log.warn("event not recorded ({}): {}", e.toString(), summary);
                    }
                });
            }
        };
    }
}
