package io.lvscp.model;

import io.lvscp.api.FieldErrors;
import io.lvscp.common.Addresses;
import io.lvscp.common.CheckType;
import io.lvscp.common.StatusCodes;
import io.lvscp.health.CheckDefinition;
import io.lvscp.health.MiscCommand;
import io.lvscp.health.StatusCodeSet;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embeddable;
import java.time.Duration;
import java.util.Locale;

/**
 * A real server's health check as one value (keepalived's checker block): stored in the
 * {@code real_server} row's {@code check_*} and timing columns, validated here, and turned into the
 * checker's {@link CheckDefinition} here. A new check setting is a field here, its column (a migration),
 * and its place in the API's {@code healthCheck} record (the mapping in {@code realserver}).
 *
 * <p>The timing knobs ({@code connectTimeout}, {@code retry}, {@code delayBeforeRetry}, {@code delayLoop})
 * are null where the real server inherits its virtual server's; {@code rise} and {@code fall} default to 1.
 */
@Embeddable
public class HealthCheckSettings {

    @Convert(converter = WireNameConverters.CheckTypeConverter.class)
    @Column(name = "check_type", nullable = false, length = 10)
    private CheckType type;

    @Column(name = "check_path", length = 1000)
    private String path;

    @Column(name = "check_status_codes", length = 200)
    private String statusCodes;

    @Column(name = "check_digest", length = 32)
    private String digest;

    @Column(name = "check_virtualhost", length = 253)
    private String virtualhost;

    @Column(name = "check_command", length = 1000)
    private String command;

    @Column(name = "check_connect_port")
    private Integer connectPort;

    @Column(name = "connect_timeout")
    private Integer connectTimeout;

    @Column(name = "retry")
    private Integer retry;

    @Column(name = "delay_before_retry")
    private Integer delayBeforeRetry;

    @Column(name = "delay_loop")
    private Integer delayLoop;

    @Column(name = "check_connect_ip", length = 45)
    private String connectIp;

    @Column(name = "check_bind_to", length = 45)
    private String bindTo;

    @Column(name = "check_tls_verify", nullable = false)
    private boolean tlsVerify;

    @Column(name = "check_rise")
    private Integer rise;

    @Column(name = "check_fall")
    private Integer fall;

    @Column(name = "check_misc_timeout")
    private Integer miscTimeout;

    protected HealthCheckSettings() {
    }

    /** The values as given; {@link #validated} checks and normalises them. */
    public HealthCheckSettings(CheckType type, String path, String statusCodes, String digest, String virtualhost, String command,
            Integer connectPort, Integer connectTimeout, Integer retry, Integer delayBeforeRetry, Integer delayLoop, String connectIp,
            String bindTo, boolean tlsVerify, Integer rise, Integer fall, Integer miscTimeout) {
        this.type = type;
        this.path = path;
        this.statusCodes = statusCodes;
        this.digest = digest;
        this.virtualhost = virtualhost;
        this.command = command;
        this.connectPort = connectPort;
        this.connectTimeout = connectTimeout;
        this.retry = retry;
        this.delayBeforeRetry = delayBeforeRetry;
        this.delayLoop = delayLoop;
        this.connectIp = connectIp;
        this.bindTo = bindTo;
        this.tlsVerify = tlsVerify;
        this.rise = rise;
        this.fall = fall;
        this.miscTimeout = miscTimeout;
    }

    /** No check: the real server counts as up. */
    public static HealthCheckSettings none() {
        return new HealthCheckSettings(CheckType.NONE, null, null, null, null, null, null, null, null, null, null, null, null, false, null,
                null, null);
    }

    /**
     * These settings checked and normalised (the HTTP path defaulted and trimmed, the status codes and digest
     * normalised, addresses canonical, settings that do not apply to the type refused), each refusal added to
     * {@code errors} under {@code field.name}. A null {@code type} (one that did not parse) skips the rules
     * that depend on it.
     *
     * @param serverAddress     the real server's canonical address (null when it is itself invalid)
     * @param commandsMustExist MISC_CHECK: the command's executable must exist on this host
     */
    public HealthCheckSettings validated(FieldErrors errors, String field, String serverAddress, boolean commandsMustExist) {
        String p = null;
        String codes = null;
        String d = null;
        String vhost = null;
        String cmd = null;
        if (type != null && type.isHttp()) {
            p = path == null || path.isBlank() ? "/" : path.trim();
            if (!p.startsWith("/") || p.chars().anyMatch(ch -> ch <= 32 || ch == 127)) {
                errors.add(field + ".path", "must start with '/' and contain no spaces or control characters", path);
            }
            codes = errors.parse(field + ".statusCodes", statusCodes, () -> StatusCodes.normalize(statusCodes));
            if (digest != null && !digest.isBlank()) {
                d = digest.trim().toLowerCase(Locale.ROOT);
                if (!d.matches("[0-9a-f]{32}")) {
                    errors.add(field + ".digest", "must be an MD5 digest: 32 hexadecimal digits", digest);
                }
            }
            vhost = virtualhost == null || virtualhost.isBlank() ? null : virtualhost.trim();
            if (vhost != null && !vhost.matches("[A-Za-z0-9.-]{1,253}")) {
                errors.add(field + ".virtualhost", "must be a host name", virtualhost);
            }
        } else if (type != null) {
            for (var unused : new Object[][] {{"path", path}, {"statusCodes", statusCodes}, {"digest", digest},
                    {"virtualhost", virtualhost}}) {
                if (unused[1] != null && !unused[1].toString().isBlank()) {
                    errors.add(field + "." + unused[0], "only applies to HTTP_GET and SSL_GET checks", unused[1]);
                }
            }
        }
        if (type == CheckType.MISC_CHECK) {
            if (command == null || command.isBlank()) {
                errors.add(field + ".command", "is required for MISC_CHECK", command);
            } else if (command.length() > 1000) {
                errors.add(field + ".command", "must be at most 1000 characters", command.length());
            } else {
                cmd = command.trim();
                String line = cmd;
                if (commandsMustExist) {
                    // a command that cannot run would mark the real server down forever: refuse it now
                    errors.parse(field + ".command", command, () -> MiscCommand.executable(line));
                } else {
                    errors.parse(field + ".command", command, () -> MiscCommand.split(line));
                }
            }
        } else if (command != null && !command.isBlank()) {
            errors.add(field + ".command", "only applies to MISC_CHECK", command);
        }
        errors.range(field + ".miscTimeout", miscTimeout, 1, 3600);
        if (miscTimeout != null && type != null && type != CheckType.MISC_CHECK) {
            errors.add(field + ".miscTimeout", "only applies to MISC_CHECK", miscTimeout);
        }
        boolean probesAddress = type == CheckType.HTTP_GET || type == CheckType.SSL_GET || type == CheckType.TCP_CHECK;
        String ip = address(errors, field + ".connectIp", connectIp, probesAddress);
        String bind = address(errors, field + ".bindTo", bindTo, probesAddress);
        if (ip != null && bind != null && Addresses.family(ip) != Addresses.family(bind)) {
            errors.add(field + ".bindTo", "is " + Addresses.family(bind) + " but connectIp is " + Addresses.family(ip), bindTo);
        } else if (ip == null && bind != null && serverAddress != null && Addresses.family(serverAddress) != Addresses.family(bind)) {
            errors.add(field + ".bindTo", "is " + Addresses.family(bind) + " but the real server is " + Addresses.family(serverAddress),
                    bindTo);
        }
        if (tlsVerify && type != null && type != CheckType.SSL_GET) {
            errors.add(field + ".tlsVerify", "only applies to SSL_GET", tlsVerify);
        }
        errors.range(field + ".connectPort", connectPort, 1, 65535);
        errors.range(field + ".connectTimeout", connectTimeout, 1, 3600);
        errors.range(field + ".retry", retry, 0, 100);
        errors.range(field + ".delayBeforeRetry", delayBeforeRetry, 0, 3600);
        errors.range(field + ".delayLoop", delayLoop, 1, 86400);
        errors.range(field + ".rise", rise, 1, 100);
        errors.range(field + ".fall", fall, 1, 100);
        return new HealthCheckSettings(type, p, codes, d, vhost, cmd, connectPort, connectTimeout, retry, delayBeforeRetry, delayLoop, ip,
                bind, type == CheckType.SSL_GET && tlsVerify, rise, fall, miscTimeout);
    }

    /** connectIp / bindTo: an address literal, only for checks that connect to an address. */
    private String address(FieldErrors errors, String field, String value, boolean probesAddress) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (type != null && !probesAddress) {
            errors.add(field, "only applies to HTTP_GET, SSL_GET and TCP_CHECK", value);
            return null;
        }
        return errors.parse(field, value, () -> Addresses.canonical(value.trim()));
    }

    /**
     * The checker's definition of this check on a real server, the unset timing knobs from its virtual
     * server; null for NONE.
     *
     * @throws IllegalArgumentException when the check cannot run (no port to probe)
     */
    public CheckDefinition definition(String serverAddress, int serverPort, VirtualServer vs) {
        if (type == null || type == CheckType.NONE) {
            return null;
        }
        String address = connectIp != null ? connectIp : serverAddress;
        int port = connectPort != null ? connectPort : serverPort;
        if (port == 0 && type != CheckType.MISC_CHECK) {
            throw new IllegalArgumentException("no port to probe (set healthCheck.connectPort)");
        }
        int timeout = connectTimeout != null ? connectTimeout : vs.getConnectTimeout();
        int retries = retry != null ? retry : vs.getRetry();
        int beforeRetry = delayBeforeRetry != null ? delayBeforeRetry : vs.getDelayBeforeRetry();
        int loop = delayLoop != null ? delayLoop : vs.getDelayLoop();
        return new CheckDefinition(type, address, port, bindTo, path, type.isHttp() ? StatusCodeSet.parse(statusCodes) : null, digest,
                virtualhost, tlsVerify, type == CheckType.MISC_CHECK ? MiscCommand.split(command) : null,
                Duration.ofSeconds(Math.max(1, timeout)), miscTimeout == null ? null : Duration.ofSeconds(miscTimeout),
                Math.max(0, retries), Duration.ofSeconds(Math.max(0, beforeRetry)), Duration.ofSeconds(Math.max(1, loop)), vs.isAlpha(),
                rise == null ? 1 : rise, fall == null ? 1 : fall);
    }

    public CheckType getType() {
        return type;
    }

    public String getPath() {
        return path;
    }

    public String getStatusCodes() {
        return statusCodes;
    }

    public String getDigest() {
        return digest;
    }

    public String getVirtualhost() {
        return virtualhost;
    }

    public String getCommand() {
        return command;
    }

    public Integer getConnectPort() {
        return connectPort;
    }

    public Integer getConnectTimeout() {
        return connectTimeout;
    }

    public Integer getRetry() {
        return retry;
    }

    public Integer getDelayBeforeRetry() {
        return delayBeforeRetry;
    }

    public Integer getDelayLoop() {
        return delayLoop;
    }

    public String getConnectIp() {
        return connectIp;
    }

    public String getBindTo() {
        return bindTo;
    }

    public boolean isTlsVerify() {
        return tlsVerify;
    }

    public Integer getRise() {
        return rise;
    }

    public Integer getFall() {
        return fall;
    }

    public Integer getMiscTimeout() {
        return miscTimeout;
    }
}
