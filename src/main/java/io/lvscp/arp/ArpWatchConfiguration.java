package io.lvscp.arp;

import io.lvscp.LvsProperties;
import io.lvscp.dataplane.DataPlane;
import io.lvscp.dataplane.PlanService;
import io.lvscp.event.EventService;
import io.lvscp.vrrp.VrrpState;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import java.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;

/** ARP-hijack detection: runs only with the kernel data plane (probes are traffic; dry-run sends nothing). */
@Configuration(proxyBeanMethods = false)
class ArpWatchConfiguration {

    @Bean
    ArpWatchRunner arpWatchRunner(LvsProperties props, DataPlane dataPlane, PlanService plans, EventService events, MeterRegistry meters,
            TaskScheduler scheduler, VrrpNodeHandle vrrp, Clock clock) {
        boolean on = props.arpWatch().enabled() && dataPlane.mode() == io.lvscp.dataplane.DataPlane.Mode.KERNEL;
        // while another director is master, its address is the source of the adverts that hold us back
        ArpWatch.Masters masters = instance -> vrrp.instance(instance).filter(s -> s.state() != VrrpState.MASTER)
                .map(VrrpNode.InstanceSnapshot::masterAddress).orElse(null);
        ArpWatch watch = !on ? null : new ArpWatch(props.nodeName(), () -> plans.find(props.nodeName()).orElse(null), new Probers(),
                masters, props.arpWatch(), events, meters);
        if (watch != null) {
            // after every takeover, once the gratuitous ARPs are out: who else answers for the VIPs we now hold?
            vrrp.addListener(new VrrpNode.Listener() {
                @Override
                public void transitioned(VrrpNode.Transition t) {
                    if (t.to() == VrrpState.MASTER) {
                        scheduler.schedule(watch::probeAll, clock.instant().plus(AFTER_TAKEOVER));
                    }
                }
            });
        }
        return new ArpWatchRunner(watch, scheduler, props.arpWatch().interval());
    }

    /** How long after becoming master the VIPs are probed (the gratuitous ARPs go out first). */
    static final Duration AFTER_TAKEOVER = Duration.ofSeconds(1);

    /** One ArpProber per interface, opened on first use and reopened after a failure. */
    static final class Probers implements ArpWatch.Prober {
        private final Map<String, ArpProber> open = new HashMap<>();

        @Override
        public synchronized Set<String> whoHas(String interfaceName, Inet4Address target, Duration window) throws IOException {
            ArpProber p = open.get(interfaceName);
            if (p == null) {
                p = new ArpProber(interfaceName);
                open.put(interfaceName, p);
            }
            try {
                return p.whoHas(target, window);
            } catch (IOException e) {
                open.remove(interfaceName).close();
                throw e;
            }
        }
    }

    /** Schedules the rounds; {@link #watch()} is empty when detection is off. */
    static final class ArpWatchRunner implements SmartLifecycle, ArpHijacks {
        private final ArpWatch watch;
        private final TaskScheduler scheduler;
        private final Duration interval;
        private volatile ScheduledFuture<?> task;

        ArpWatchRunner(ArpWatch watch, TaskScheduler scheduler, Duration interval) {
            this.watch = watch;
            this.scheduler = scheduler;
            this.interval = interval;
        }

        java.util.Optional<ArpWatch> watch() {
            return java.util.Optional.ofNullable(watch);
        }

        @Override
        public java.util.List<ArpWatch.Hijack> current() {
            return watch == null ? java.util.List.of() : watch.current();
        }

        @Override
        public void start() {
            if (watch != null) {
                task = scheduler.scheduleWithFixedDelay(watch::probeAll, interval);
            }
        }

        @Override
        public void stop() {
            if (task != null) {
                task.cancel(false);
            }
            task = null;
        }

        @Override
        public boolean isRunning() {
            return task != null;
        }
    }
}
