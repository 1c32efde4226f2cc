package io.lvscp.security;

import java.time.Duration;
import org.springframework.security.core.AuthenticationException;

/** Too many failed logins: this attempt was not even checked. */
public class LoginThrottledException extends AuthenticationException {

    private final Duration retryAfter;

    public LoginThrottledException(Duration retryAfter) {
        super("too many failed logins; retry in " + seconds(retryAfter) + " s");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds, rounded up (at least 1), as Retry-After wants. */
    public static long seconds(Duration d) {
        long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
