package io.lvscp.dataplane;

import io.lvscp.vrrp.node.VrrpMetrics;
import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.LvsProperties;
import io.lvscp.event.EventService;
import io.lvscp.vrrp.linux.LinuxVrrpNodeIo;
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
    VrrpNode vrrpNode(LvsProperties props, DataPlaneSelector.Selection selection, Clock clock, VrrpTransitionEvents events,
            VrrpNodeRecords records, ObjectProvider<MeterRegistry> registry,
            @Value("${lvs.vrrp.on-host-in-dry-run:false}") boolean onHostInDryRun,
            @Value("${lvs.vrrp.keep-vips-on-restart:true}") boolean keepVipsOnRestart,
            ObjectProvider<VrrpNode.OtherMasters> otherMasters) {
        boolean kernel = selection.mode() == io.lvscp.dataplane.DataPlane.Mode.KERNEL || onHostInDryRun;
        VrrpNode node = kernel ? new VrrpNode(props.nodeName(), new LinuxVrrpNodeIo(), clock) : VrrpNode.forDryRun(props.nodeName(), clock);
        log.info("VRRP node '{}': {}", props.nodeName(), kernel ? "raw sockets on this host" : "dry-run (sends nothing)");
        node.keepVipsOnRestart(keepVipsOnRestart);
        otherMasters.ifAvailable(node::otherMasters);
        node.addListener(events);
        registry.ifAvailable(r -> node.addListener(new VrrpMetrics(r,
                () -> records.find(props.nodeName()).map(VrrpNodeRecords.NodeRecord::clusterName).orElse(null))));
        return node;
    }
}
