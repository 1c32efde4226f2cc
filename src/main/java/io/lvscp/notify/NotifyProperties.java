package io.lvscp.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lvs.notify.*}: who hears about VRRP transitions, real servers going up or down and
 * ARP hijacks, as keepalived's {@code notification_email} / {@code smtp_server} did. Both
 * channels are off until configured.
 *
 * @param kinds      the event kinds sent (see EventService)
 * @param attempts   tries per message and channel before it is given up (and counted)
 * @param retryDelay pause between tries (doubling)
 * @param queue      messages waiting at most; beyond, the oldest is dropped (and counted)
 */
@ConfigurationProperties("lvs.notify")
public record NotifyProperties(@DefaultValue({"VRRP_TRANSITION", "HEALTH", "ARP_HIJACK", "SPLIT_BRAIN"}) List<String> kinds, @DefaultValue Email email,
        @DefaultValue Webhook webhook, @DefaultValue("3") int attempts, @DefaultValue("2s") Duration retryDelay,
        @DefaultValue("1000") int queue) {

    /**
     * @param smtpServer     host of the SMTP server (keepalived's smtp_server); empty: no e-mail
     * @param smtpPort       its port
     * @param connectTimeout keepalived's smtp_connect_timeout (default 30 s there too)
     * @param from           keepalived's notification_email_from
     * @param to             keepalived's notification_email list
     * @param username       SMTP AUTH user, if the server needs one
     * @param password       its password (never logged)
     * @param starttls       require STARTTLS
     */
    public record Email(String smtpServer, @DefaultValue("25") int smtpPort, @DefaultValue("30s") Duration connectTimeout,
            @DefaultValue("lvs-control-plane@localhost") String from, @DefaultValue List<String> to, String username, String password,
            @DefaultValue("false") boolean starttls) {

        public boolean enabled() {
            return smtpServer != null && !smtpServer.isBlank() && to != null && !to.isEmpty();
        }

        /** Without the password. */
        @Override
        public String toString() {
            return "Email[smtpServer=" + smtpServer + ", smtpPort=" + smtpPort + ", from=" + from + ", to=" + to + ", username=" + username
                    + ", password=" + (password == null ? "unset" : "(set)") + ", starttls=" + starttls + "]";
        }
    }

    /**
     * @param url     where each notification is POSTed as JSON; empty: no webhook
     * @param timeout connect and response timeout
     */
    public record Webhook(URI url, @DefaultValue("5s") Duration timeout) {

        public boolean enabled() {
            return url != null;
        }

        /**
         * The URL as logs may show it: scheme, host and port only. User info, path and query
         * can hold credentials (many chat webhooks carry their secret in the path).
         */
        public static String redacted(URI url) {
            return url == null ? null : url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/...";
        }

        @Override
        public String toString() {
            return "Webhook[url=" + redacted(url) + ", timeout=" + timeout + "]";
        }
    }
}
