package io.lvscp.realserver;

import io.lvscp.api.FieldErrors;
import io.lvscp.api.PlainText;
import io.lvscp.common.CheckType;
import io.lvscp.common.WireNamed;
import io.lvscp.model.HealthCheckSettings;
import jakarta.validation.Valid;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Body of POST/PUT .../real-servers. With DR or TUN forwarding the port defaults to
 * the virtual server's (IPVS cannot change it); health-check knobs left out inherit
 * the virtual server's defaults. {@code drainTimeout}: seconds this real server may drain (1 to 604800, a week);
 * absent: the directors' {@code lvs.reconcile.drain-timeout}.
 */
@JsonIgnoreProperties(value = {"id", "cluster", "virtualServerId", "virtualServer", "createdAt", "updatedAt", "health", "drain"},
        allowGetters = true)
public record RealServerRequest(@PlainText String address, Integer port, Integer weight, @PlainText String state, Boolean inhibitOnFailure,
        Integer upperThreshold, Integer lowerThreshold, @Valid HealthCheck healthCheck, Long version, Integer drainTimeout) {

    /** The longest drain timeout a real server may have: a week. */
    public static final int MAX_DRAIN_TIMEOUT = 7 * 24 * 3600;

    /** Without a drain timeout of its own (the directors' default). */
    public RealServerRequest(String address, Integer port, Integer weight, String state, Boolean inhibitOnFailure,
            Integer upperThreshold, Integer lowerThreshold, HealthCheck healthCheck, Long version) {
        this(address, port, weight, state, inhibitOnFailure, upperThreshold, lowerThreshold, healthCheck, version, null);
    }

    /**
     * keepalived's checker for one real server.
     *
     * @param connectIp   probe this address instead of the real server's ({@code connect_ip})
     * @param bindTo      source address of the probes ({@code bindto})
     * @param tlsVerify   SSL_GET: verify the certificate and the name (virtualhost, else the address); default false as keepalived
     * @param rise        good checks in a row before a down server is up again (default 1)
     * @param fall        failed checks in a row before an up server is down (default 1)
     * @param miscTimeout MISC_CHECK: seconds before the command is killed ({@code misc_timeout}; default the delay loop)
     */
    public record HealthCheck(@PlainText String type, @PlainText String path, @PlainText String statusCodes, @PlainText String digest, @PlainText String virtualhost, @PlainText String command,
            Integer connectPort, Integer connectTimeout, Integer retry, Integer delayBeforeRetry, Integer delayLoop, @PlainText String connectIp,
            @PlainText String bindTo, Boolean tlsVerify, Integer rise, Integer fall, Integer miscTimeout) {

        /** Without the knobs added for issue 5 (they default). */
        public HealthCheck(String type, String path, String statusCodes, String digest, String virtualhost, String command,
                Integer connectPort, Integer connectTimeout, Integer retry, Integer delayBeforeRetry, Integer delayLoop) {
            this(type, path, statusCodes, digest, virtualhost, command, connectPort, connectTimeout, retry, delayBeforeRetry, delayLoop,
                    null, null, null, null, null, null);
        }

        /** The settings as given, for {@link HealthCheckSettings#validated}; a type that does not parse is refused here and left null. */
        HealthCheckSettings settings(FieldErrors errors, String field) {
            CheckType t = type == null ? CheckType.NONE : errors.parse(field + ".type", type, () -> WireNamed.parse(CheckType.class, type));
            return new HealthCheckSettings(t, path, statusCodes, digest, virtualhost, command, connectPort, connectTimeout, retry,
                    delayBeforeRetry, delayLoop, connectIp, bindTo, Boolean.TRUE.equals(tlsVerify), rise, fall, miscTimeout);
        }

        /** The stored settings as the API shows them ({@code tlsVerify} only for SSL_GET). */
        static HealthCheck of(HealthCheckSettings s) {
            return new HealthCheck(s.getType().wireName(), s.getPath(), s.getStatusCodes(), s.getDigest(), s.getVirtualhost(), s.getCommand(),
                    s.getConnectPort(), s.getConnectTimeout(), s.getRetry(), s.getDelayBeforeRetry(), s.getDelayLoop(), s.getConnectIp(),
                    s.getBindTo(), s.getType() == CheckType.SSL_GET ? s.isTlsVerify() : null, s.getRise(), s.getFall(), s.getMiscTimeout());
        }
    }
}
