package io.lvscp.health;

import io.lvscp.health.CheckResult.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Maps an I/O failure to a reason. */
final class Failures {

    private Failures() {
    }

    static CheckResult of(Throwable e, long durationNanos) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = msg.toLowerCase(Locale.ROOT);
        Reason reason;
        if (e instanceof SocketTimeoutException || lower.contains("timed out")) {
            reason = Reason.TIMEOUT;
        } else if (lower.contains("reset") || lower.contains("broken pipe")) {
            reason = Reason.RESET;
        } else if (e instanceof ConnectException && lower.contains("refused")) {
            reason = Reason.REFUSED;
        } else if (e instanceof NoRouteToHostException || e instanceof PortUnreachableException || lower.contains("unreachable")) {
            reason = Reason.UNREACHABLE;
        } else if (e instanceof SSLException) {
            reason = Reason.TLS;
        } else if (e instanceof IOException) {
            reason = Reason.ERROR;
        } else {
            reason = Reason.ERROR;
        }
        return CheckResult.fail(reason, msg, durationNanos);
    }
}
