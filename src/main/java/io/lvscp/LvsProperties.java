package io.lvscp;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code lvs.*} settings of a director.
 *
 * @param nodeName  this process's node name: the Director record it acts for (default: the host name)
 * @param dataplane which data plane programs the host: {@code auto} (kernel where IPVS is present and a
 *                  Director record names this node, else dry-run), {@code kernel}, or {@code dry-run}
 *                  (nothing on the host is touched; what would be applied is recorded)
 * @param reconcile how often the node agent looks for a new configuration generation, and how often it
 *                  re-applies the plan even when nothing changed (to repair drift)
 * @param arpWatch  ARP-hijack detection on the VIPs' segments
 * @param health    the real servers' health checks
 * @param stateDir  where the director keeps its last good desired state (one JSON file per node), to start from
 *                  when the database cannot be reached at start-up
 * @param directors the heartbeat each director writes, and when one counts as offline or its clock as skewed
 */
@ConfigurationProperties("lvs")
public record LvsProperties(String nodeName, @DefaultValue("auto") DataPlaneMode dataplane, @DefaultValue Reconcile reconcile,
        @DefaultValue ArpWatch arpWatch, @DefaultValue Health health, @DefaultValue("./data/state") Path stateDir,
        @DefaultValue Directors directors) {

    /**
     * @param heartbeatInterval how often this director measures its clock against the database's and refreshes its
     *                          heartbeat row (also how fast a database outage, and its end, are noticed)
     * @param offlineAfter      a director whose heartbeat is older than this (by the database's clock) is offline
     * @param maxClockOffset    a director whose clock differs from the database's by more than this is flagged
     *                          (VRRP, drain timeouts and events compare times taken on different hosts)
     * @param eventBuffer       events (VRRP transitions, health flips, data plane steps) kept in memory while the
     *                          database is down and written when it returns; beyond this many the oldest are dropped
     *                          and counted
     */
    public record Directors(@DefaultValue("1s") Duration heartbeatInterval, @DefaultValue("10s") Duration offlineAfter,
            @DefaultValue("1s") Duration maxClockOffset, @DefaultValue("1000") int eventBuffer) {

        public Directors {
            heartbeatInterval = heartbeatInterval == null ? Duration.ofSeconds(1) : heartbeatInterval;
            offlineAfter = offlineAfter == null ? Duration.ofSeconds(10) : offlineAfter;
            maxClockOffset = maxClockOffset == null ? Duration.ofSeconds(1) : maxClockOffset;
            eventBuffer = eventBuffer < 0 ? 1000 : eventBuffer;
        }
    }

    /**
     * ARP-hijack detection (kernel data plane only; nothing is sent in dry-run).
     *
     * @param enabled  probe the VIPs' segments at all
     * @param interval how often each IPv4 VIP of this node's VRRP instances is probed
     * @param window   how long answers to one probe are collected
     */
    public record ArpWatch(@DefaultValue("true") boolean enabled, @DefaultValue("10s") Duration interval,
            @DefaultValue("300ms") Duration window) {
    }

    /** Data plane modes. */
    public enum DataPlaneMode {
        AUTO, KERNEL, DRY_RUN
    }

    /**
     * @param pollInterval   how often the configuration generation is read (a change is applied within this)
     * @param resyncInterval how often the plan is re-applied even without a change (repairs drift, retries refused steps)
     * @param drainTimeout   how long a draining real server stays in IPVS (at weight 0) while it still has active
     *                       connections; it is removed when they reach 0 or this has passed
     */
    public record Reconcile(@DefaultValue("1s") Duration pollInterval, @DefaultValue("5s") Duration resyncInterval,
            @DefaultValue("5m") Duration drainTimeout) {
    }

    /**
     * @param enabled         run the health checks of this node's real servers at all
     * @param probeInDryRun   send probes even when the data plane is dry-run (off by default: probes are
     *                        traffic, and a dry-run node usually holds addresses that exist elsewhere)
     * @param reloadInterval  how often the configuration generation is read to pick up changed checks
     * @param blockingThreads threads for SSL_GET attempts and for starting MISC_CHECK commands (HTTP_GET and
     *                        TCP_CHECK need none: they share one loop thread, {@code prober})
     * @param commandsMustExist the API refuses a MISC_CHECK whose program is not an executable file on the
     *                        node serving the request; turn off where the API runs apart from the directors
     * @param prober          which loop runs HTTP_GET and TCP_CHECK: {@code native} (epoll through libc),
     *                        {@code nio} (a java.nio selector), {@code auto} (native where it can run)
     * @param batchInterval   the io_uring loop's pass interval while attempts are in flight: one system call per
     *                        interval reaps every completion and starts every check due in it (a check starts, and
     *                        a deadline passes, up to one interval late); 0 wakes the loop at each completion
     */
    public record Health(@DefaultValue("true") boolean enabled, @DefaultValue("false") boolean probeInDryRun,
            @DefaultValue("1s") Duration reloadInterval, @DefaultValue("16") int blockingThreads,
            @DefaultValue("true") boolean commandsMustExist, @DefaultValue("auto") String prober,
            @DefaultValue("10ms") Duration batchInterval) {

        public Health {
            if (reloadInterval == null) {
                reloadInterval = Duration.ofSeconds(1);
            }
            if (blockingThreads < 1) {
                blockingThreads = 16;
            }
            if (prober == null || prober.isBlank()) {
                prober = "auto";
            }
            prober = prober.trim().toLowerCase(java.util.Locale.ROOT);
            if (!prober.equals("auto") && !prober.equals("uring") && !prober.equals("native") && !prober.equals("nio")) {
                throw new IllegalArgumentException("lvs.health.prober must be auto, uring, native or nio, not '" + prober + "'");
            }
            if (batchInterval == null) {
                batchInterval = Duration.ofMillis(10);
            }
            if (batchInterval.isNegative() || batchInterval.compareTo(Duration.ofMillis(100)) > 0) {
                throw new IllegalArgumentException("lvs.health.batch-interval must be between 0 and 100ms, not " + batchInterval.toMillis() + "ms");
            }
        }
    }

    public LvsProperties {
        if (nodeName == null || nodeName.isBlank()) {
            nodeName = hostName();
        }
        if (health == null) {
            health = new Health(true, false, Duration.ofSeconds(1), 16, true, "auto", Duration.ofMillis(10));
        }
        if (stateDir == null) {
            stateDir = Path.of("./data/state");
        }
        if (directors == null) {
            directors = new Directors(null, null, null, 1000);
        }
    }

    /** The kernel's host name (as `hostname` prints it), without a DNS lookup where possible. */
    static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
