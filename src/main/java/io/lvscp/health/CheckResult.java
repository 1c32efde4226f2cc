package io.lvscp.health;

import java.util.Locale;

/**
 * What one attempt found.
 *
 * @param reason        why it failed, or OK
 * @param detail        human words ("status 503", "connection refused"), null when OK
 * @param durationNanos how long the attempt took
 */
public record CheckResult(Reason reason, String detail, long durationNanos) {

    /** Why an attempt failed; the label of {@code lvs_healthcheck_failures_total}. */
    public enum Reason {
        OK, TIMEOUT, REFUSED, RESET, UNREACHABLE, BAD_STATUS, DIGEST_MISMATCH, GARBAGE, TLS, EXIT_CODE, ERROR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static CheckResult ok(long durationNanos) {
        return new CheckResult(Reason.OK, null, durationNanos);
    }

    public static CheckResult fail(Reason reason, String detail, long durationNanos) {
        return new CheckResult(reason, detail, durationNanos);
    }

    public boolean ok() {
        return reason == Reason.OK;
    }

    /** "bad_status: status 503". */
    public String describe() {
        return ok() ? "ok" : reason.label() + (detail == null ? "" : ": " + detail);
    }
}
