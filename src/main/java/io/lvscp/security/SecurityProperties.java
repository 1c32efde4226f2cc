package io.lvscp.security;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lvs.security.*}: the first admin and the brute-force brake on password logins.
 *
 * @param initialAdminPassword     the password of the {@code admin} user created on first start (when the
 *                                 database has no user); unset: a random one is generated, logged once and
 *                                 written to {@code initialAdminPasswordFile}
 * @param initialAdminPasswordFile where a generated initial password is written (mode 0600)
 * @param minPasswordLength        the shortest password the users API accepts
 * @param login                    slowing down password guessing
 */
@ConfigurationProperties("lvs.security")
public record SecurityProperties(String initialAdminPassword,
        @DefaultValue("./data/initial-admin-password") Path initialAdminPasswordFile, @DefaultValue("12") int minPasswordLength,
        @DefaultValue Login login) {

    /**
     * Failed password logins (form and HTTP Basic) are counted per user name and per remote address;
     * from {@code maxFailures} on, every further failure refuses all attempts (even right ones) for a
     * delay that starts at {@code firstDelay} and doubles, up to {@code maxDelay}. A success resets.
     *
     * @param maxFailuresPerUser    failures of one user name before it is locked
     * @param maxFailuresPerAddress failures from one address (any user names) before it is locked
     * @param firstDelay            the first lock
     * @param maxDelay              the longest lock
     */
    public record Login(@DefaultValue("5") int maxFailuresPerUser, @DefaultValue("20") int maxFailuresPerAddress,
            @DefaultValue("5s") Duration firstDelay, @DefaultValue("15m") Duration maxDelay) {
    }

    @Override
    public String toString() {
        return "SecurityProperties[initialAdminPassword=" + (initialAdminPassword == null ? "unset" : "(set)") + ", initialAdminPasswordFile="
                + initialAdminPasswordFile + ", minPasswordLength=" + minPasswordLength + ", login=" + login + "]";
    }
}
