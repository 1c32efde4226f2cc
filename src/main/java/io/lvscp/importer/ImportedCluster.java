package io.lvscp.importer;

import java.util.List;
import java.util.Map;

/**
 * What a set of keepalived.conf files (one per director) describes, in the service's terms. {@code sources} map a
 * field name to the keyword it came from, so a service's complaint about a value can name the file and line.
 */
public record ImportedCluster(List<Director> directors, List<VrrpInstance> vrrpInstances, List<VirtualServer> virtualServers,
        List<ImportIssue> warnings) {

    public record Source(String file, int line, String keyword) {
        static Source of(ConfNode node) {
            return new Source(node.file(), node.line(), node.name());
        }
    }

    /** A director: node name, the file it was read from, and its interface (the first VRRP instance's). */
    public record Director(String nodeName, String file, String routerId, String interfaceName, int line) {
    }

    public record Vip(String address, Integer prefixLength, String device, String label) {
    }

    public record VrrpInstance(String name, Integer vrid, String interfaceName, Integer vrrpVersion, Integer advertInterval,
            Boolean preempt, Integer preemptDelay, String authType, String authPassword, String multicastGroup,
            List<String> unicastPeers, String syncGroup, Map<String, Integer> priorities, Map<String, String> states,
            List<Vip> vips, Map<String, Source> sources, ConnectionSync connectionSync) {

        public VrrpInstance(String name, Integer vrid, String interfaceName, Integer vrrpVersion, Integer advertInterval,
                Boolean preempt, Integer preemptDelay, String authType, String authPassword, String multicastGroup,
                List<String> unicastPeers, String syncGroup, Map<String, Integer> priorities, Map<String, String> states,
                List<Vip> vips, Map<String, Source> sources) {
            this(name, vrid, interfaceName, vrrpVersion, advertInterval, preempt, preemptDelay, authType, authPassword, multicastGroup,
                    unicastPeers, syncGroup, priorities, states, vips, sources, null);
        }

        public VrrpInstance withConnectionSync(ConnectionSync s) {
            return new VrrpInstance(name, vrid, interfaceName, vrrpVersion, advertInterval, preempt, preemptDelay, authType, authPassword,
                    multicastGroup, unicastPeers, syncGroup, priorities, states, vips, sources, s);
        }
    }

    /** global_defs' {@code lvs_sync_daemon <iface> <instance> [id N] [maxlen N] [port N] [ttl N] [group ADDR]}, on its instance. */
    public record ConnectionSync(String interfaceName, Integer syncId, Integer maxLength, String group, Integer port, Integer ttl) {
    }

    public record VirtualServer(String vip, Integer port, String protocol, Long fwmark, String scheduler, String forwarding,
            Integer persistenceTimeout, String persistenceNetmask, Integer delayLoop, Integer quorum, Integer hysteresis,
            Boolean alpha, String sorryAddress, Integer sorryPort, List<RealServer> realServers, Map<String, Source> sources) {
        public String key() {
            return fwmark != null ? "fwmark " + fwmark : vip + " " + port + " " + protocol;
        }
    }

    /**
     * A real server and its checker block; {@code virtualhost} (HTTP_GET/SSL_GET), {@code connectIp} and {@code bindTo}
     * (HTTP_GET/SSL_GET/TCP_CHECK: {@code connect_ip}, {@code bindto}) and {@code miscTimeout} (MISC_CHECK) as in
     * keepalived; {@code upperThreshold} and {@code lowerThreshold} are keepalived's {@code uthreshold} and
     * {@code lthreshold} (IPVS's connection thresholds of the destination).
     */
    public record RealServer(String address, Integer port, Integer weight, Boolean inhibitOnFailure, String checkType,
            String path, String statusCodes, String digest, String command, Integer connectPort, Integer connectTimeout,
            Integer retry, Integer delayBeforeRetry, String virtualhost, String connectIp, String bindTo, Integer miscTimeout,
            Integer upperThreshold, Integer lowerThreshold, Map<String, Source> sources) {

        /** Without the connection thresholds. */
        public RealServer(String address, Integer port, Integer weight, Boolean inhibitOnFailure, String checkType, String path,
                String statusCodes, String digest, String command, Integer connectPort, Integer connectTimeout, Integer retry,
                Integer delayBeforeRetry, String virtualhost, String connectIp, String bindTo, Integer miscTimeout,
                Map<String, Source> sources) {
            this(address, port, weight, inhibitOnFailure, checkType, path, statusCodes, digest, command, connectPort, connectTimeout,
                    retry, delayBeforeRetry, virtualhost, connectIp, bindTo, miscTimeout, null, null, sources);
        }

        /** Without virtualhost, connect_ip, bindto and misc_timeout. */
        public RealServer(String address, Integer port, Integer weight, Boolean inhibitOnFailure, String checkType, String path,
                String statusCodes, String digest, String command, Integer connectPort, Integer connectTimeout, Integer retry,
                Integer delayBeforeRetry, Map<String, Source> sources) {
            this(address, port, weight, inhibitOnFailure, checkType, path, statusCodes, digest, command, connectPort, connectTimeout,
                    retry, delayBeforeRetry, null, null, null, null, null, null, sources);
        }
    }
}
