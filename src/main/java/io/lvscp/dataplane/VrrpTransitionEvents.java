package io.lvscp.dataplane;

import io.lvscp.vrrp.node.VrrpNode;
import io.lvscp.vrrp.node.VrrpNodeHandle;
import io.lvscp.event.EventService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every transition as a {@link EventService#VRRP_TRANSITION} Event, on a thread of its own:
 * the loop only queues it, so a slow or unreachable database never delays an advert. When the queue
 * (1,000) is full the oldest waiting event is dropped and logged.
 */
public class VrrpTransitionEvents implements VrrpNode.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VrrpTransitionEvents.class);

    private final EventService events;
    private final VrrpNodeRecords records;
    private final ThreadPoolExecutor executor;
    private volatile VrrpNodeRecords.NodeRecord record;

    public VrrpTransitionEvents(EventService events, VrrpNodeRecords records) {
        this.events = events;
        this.records = records;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "vrrp-events");
            t.setDaemon(true);
            return t;
        }, (r, e) -> {
            log.warn("VRRP events: queue full, dropping the oldest");
            e.getQueue().poll();
            e.execute(r);
        });
    }

    @Override
    public void transitioned(VrrpNode.Transition t) {
        try {
            executor.execute(() -> record(t));
        } catch (RejectedExecutionException e) {
            log.info("VRRP event not recorded (shutting down): {}", t.summary());
        }
    }

    @Override
    public void instancesChanged(VrrpNodeHandle node, List<VrrpNode.InstanceSnapshot> instances) {
        record = null; // instance ids may have changed: read again at the next event
    }

    void record(VrrpNode.Transition t) {
        try {
            VrrpNodeRecords.NodeRecord r = record;
            if (r == null || !r.instances().containsKey(t.instance())) {
                r = records.find(t.node()).orElse(null);
                record = r;
            }
            VrrpNodeRecords.StoredInstance stored = r == null ? null : r.instances().get(t.instance());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("node", t.node());
            details.put("instance", t.instance());
            details.put("vrid", t.vrid());
            details.put("interface", t.interfaceName());
            details.put("from", t.from().name());
            details.put("to", t.to().name());
            details.put("reason", t.reason());
            details.put("priority", t.priority());
            details.put("at", t.at().toString());
            if (t.masterAddress() != null) {
                details.put("masterAddress", t.masterAddress().getHostAddress());
            }
            if (t.failover() != null) {
                details.put("failoverSeconds", t.failover().toNanos() / 1e9);
            }
            events.record(EventService.VRRP_TRANSITION, r == null ? null : r.clusterId(), r == null ? null : r.clusterName(),
                    "TRANSITION", "vrrp-instance", stored == null ? null : stored.id(), t.summary(), details);
        } catch (RuntimeException e) {
            log.warn("VRRP event not recorded ({}): {}", e.toString(), t.summary());
        }
    }

    /** Waits up to 5 s for the queued events (the node's own stop transitions among them). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
