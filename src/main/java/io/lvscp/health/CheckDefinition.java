package io.lvscp.health;

import io.lvscp.common.CheckType;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What to probe and how, with keepalived's knobs. Two real servers (of different
 * virtual servers) with an equal definition share one check.
 *
 * @param type             HTTP_GET, SSL_GET, TCP_CHECK or MISC_CHECK
 * @param address          the address probed (the real server's, or {@code connect_ip}); a literal, never resolved
 * @param port             the port probed (the real server's, or {@code connect_port})
 * @param bindTo           source address of the probe, or null ({@code bindto})
 * @param path             HTTP path (HTTP_GET, SSL_GET)
 * @param statusCodes      expected status codes (HTTP_GET, SSL_GET)
 * @param digest           expected MD5 of the body, lower-case hex, or null
 * @param virtualhost      Host header and TLS SNI, or null (then the address is the Host)
 * @param tlsVerify        SSL_GET: verify the server's certificate and name
 * @param command          MISC_CHECK: the program and its arguments (no shell)
 * @param connectTimeout   deadline of one attempt: connect, request and response ({@code connect_timeout})
 * @param commandTimeout   MISC_CHECK: the command is killed after this ({@code misc_timeout})
 * @param retry            attempts after a failed one before the check counts as failed ({@code retry}, {@code nb_get_retry})
 * @param delayBeforeRetry pause before each of those attempts ({@code delay_before_retry})
 * @param delayLoop        interval between checks ({@code delay_loop})
 * @param alpha            start as down until a check succeeds ({@code alpha})
 * @param rise             consecutive good checks that bring a down server up (1 = keepalived)
 * @param fall             consecutive failed checks that take an up server down (1 = keepalived)
 */
public record CheckDefinition(CheckType type, String address, int port, String bindTo, String path, StatusCodeSet statusCodes,
        String digest, String virtualhost, boolean tlsVerify, List<String> command, Duration connectTimeout, Duration commandTimeout,
        int retry, Duration delayBeforeRetry, Duration delayLoop, boolean alpha, int rise, int fall) {

    public CheckDefinition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(delayBeforeRetry, "delayBeforeRetry");
        Objects.requireNonNull(delayLoop, "delayLoop");
        if (type == CheckType.NONE) {
            throw new IllegalArgumentException("NONE is not a check");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || delayLoop.isNegative() || delayLoop.isZero()
                || delayBeforeRetry.isNegative()) {
            throw new IllegalArgumentException("timeouts and intervals must be positive");
        }
        if (retry < 0 || rise < 1 || fall < 1) {
            throw new IllegalArgumentException("retry must be >= 0, rise and fall >= 1");
        }
        command = command == null ? List.of() : List.copyOf(command);
        if (type == CheckType.MISC_CHECK && command.isEmpty()) {
            throw new IllegalArgumentException("MISC_CHECK needs a command");
        }
        if (commandTimeout == null) {
            commandTimeout = delayLoop;
        }
        if (type.isHttp()) {
            path = path == null || path.isEmpty() ? "/" : path;
            statusCodes = statusCodes == null ? StatusCodeSet.parse("200") : statusCodes;
        }
    }

    /** A plain HTTP_GET with keepalived's defaults otherwise (for tests and the benchmark). */
    public static CheckDefinition httpGet(String address, int port, String path, Duration delayLoop, Duration connectTimeout) {
        return new CheckDefinition(CheckType.HTTP_GET, address, port, null, path, StatusCodeSet.parse("200"), null, null, false, null,
                connectTimeout, null, 1, Duration.ofSeconds(1), delayLoop, false, 1, 1);
    }

    /** A copy with other timing and policy. */
    public CheckDefinition withPolicy(int retry, Duration delayBeforeRetry, Duration delayLoop, boolean alpha, int rise, int fall) {
        return new CheckDefinition(type, address, port, bindTo, path, statusCodes, digest, virtualhost, tlsVerify, command,
                connectTimeout, commandTimeout, retry, delayBeforeRetry, delayLoop, alpha, rise, fall);
    }

    /** "HTTP_GET 127.0.0.1:80/health", for logs and events. */
    public String label() {
        String host = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return switch (type) {
            case HTTP_GET, SSL_GET -> type + " " + host + ":" + port + path;
            case TCP_CHECK -> type + " " + host + ":" + port;
            case MISC_CHECK -> type + " " + String.join(" ", command);
            case NONE -> "NONE";
        };
    }

    /** A stable number for spreading checks over their interval (the same on every run and every director). */
    long phaseHash() {
        long h = 1125899906842597L;
        String s = toString();
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
