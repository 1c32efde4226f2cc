package io.lvscp.notify;

import io.lvscp.event.Event;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends notifications by e-mail and webhook on its own thread, from a bounded queue: the
 * VRRP engine, the health checker or a request that records an event never waits for an
 * SMTP server. Each message is tried {@code attempts} times per channel with a doubling
 * pause; what cannot be sent is logged and counted
 * ({@code lvs_notifications_total{channel,result}}).
 */
public class Notifier implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    /** One notification, as the webhook receives it. */
    public record Message(long id, String kind, String action, String cluster, String summary, String occurredAt, Object details) {
    }

    private final NotifyProperties props;
    private final JsonMapper json;
    private final JavaMailSenderImpl mail;
    private final HttpClient http;
    private final Deque<Message> queue = new ArrayDeque<>();
    private final Thread worker;
    private final MeterRegistry meters;
    private volatile boolean closed;

    public Notifier(NotifyProperties props, JsonMapper json, MeterRegistry meters) {
        this.props = props;
        this.json = json;
        this.meters = meters;
        this.mail = props.email().enabled() ? mailSender(props.email()) : null;
        this.http = props.webhook().enabled() ? HttpClient.newBuilder().connectTimeout(props.webhook().timeout()).build() : null;
        this.worker = new Thread(this::run, "lvs-notify");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    public boolean enabled() {
        return mail != null || http != null;
    }

    /** Queues an event if its kind is one to send. Never blocks, never throws. */
    public void offer(Event e) {
        if (!enabled() || !props.kinds().contains(e.getKind())) {
            return;
        }
        Object details = null;
        if (e.getDetails() != null) {
            try {
                details = json.readValue(e.getDetails(), Map.class);
            } catch (RuntimeException ex) {
                details = e.getDetails();
            }
        }
        Message m = new Message(e.getId() == null ? 0 : e.getId(), e.getKind(), e.getAction(), e.getClusterName(), e.getSummary(),
                String.valueOf(e.getOccurredAt()), details);
        synchronized (queue) {
            if (queue.size() >= props.queue()) {
                queue.removeFirst();
                count("queue", "dropped");
            }
            queue.addLast(m);
            queue.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            Message m;
            synchronized (queue) {
                while (queue.isEmpty() && !closed) {
                    try {
                        queue.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                m = queue.removeFirst();
            }
            if (mail != null) {
                deliver("email", m, () -> sendMail(m));
            }
            if (http != null) {
                deliver("webhook", m, () -> post(m));
            }
        }
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private void deliver(String channel, Message m, Attempt attempt) {
        long pause = props.retryDelay().toMillis();
        for (int i = 1; i <= props.attempts(); i++) {
            try {
                attempt.run();
                count(channel, "sent");
                return;
            } catch (Exception e) {
                if (i == props.attempts()) {
                    log.warn("Notification {} by {} given up after {} attempt(s): {} ({})", m.id(), channel, i, e.toString(), m.summary());
                    count(channel, "failed");
                    return;
                }
                log.info("Notification {} by {} failed (attempt {}), retrying: {}", m.id(), channel, i, e.toString());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause *= 2;
            }
        }
    }

    private void count(String channel, String result) {
        Counter.builder("lvs.notifications").description("Notifications by channel and outcome").tag("channel", channel)
                .tag("result", result).register(meters).increment();
    }

    private void sendMail(Message m) throws Exception {
        MimeMessage msg = mail.createMimeMessage();
        MimeMessageHelper h = new MimeMessageHelper(msg, false, "UTF-8");
        h.setFrom(props.email().from());
        h.setTo(props.email().to().toArray(String[]::new));
        h.setSubject("[lvs-control-plane] " + (m.cluster() == null ? "" : m.cluster() + ": ") + m.summary());
        StringBuilder body = new StringBuilder();
        body.append(m.summary()).append("\n\n");
        body.append("kind:     ").append(m.kind()).append('\n');
        body.append("action:   ").append(m.action()).append('\n');
        body.append("cluster:  ").append(m.cluster()).append('\n');
        body.append("time:     ").append(m.occurredAt()).append('\n');
        body.append("event id: ").append(m.id()).append('\n');
        if (m.details() != null) {
            body.append("\n").append(json.writerWithDefaultPrettyPrinter().writeValueAsString(m.details())).append('\n');
        }
        h.setText(body.toString());
        mail.send(msg);
    }

    private void post(Message m) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(props.webhook().url()).timeout(props.webhook().timeout())
                .header("Content-Type", "application/json").header("User-Agent", "lvs-control-plane")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(m))).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("HTTP " + r.statusCode() + " from " + props.webhook().url());
        }
    }

    private static JavaMailSenderImpl mailSender(NotifyProperties.Email e) {
        JavaMailSenderImpl s = new JavaMailSenderImpl();
        s.setHost(e.smtpServer());
        s.setPort(e.smtpPort());
        s.setDefaultEncoding("UTF-8");
        if (e.username() != null && !e.username().isBlank()) {
            s.setUsername(e.username());
            s.setPassword(e.password());
        }
        Properties p = new Properties();
        String t = Long.toString(e.connectTimeout().toMillis());
        p.put("mail.smtp.connectiontimeout", t);
        p.put("mail.smtp.timeout", t);
        p.put("mail.smtp.writetimeout", t);
        p.put("mail.smtp.auth", Boolean.toString(e.username() != null && !e.username().isBlank()));
        p.put("mail.smtp.starttls.enable", Boolean.toString(e.starttls()));
        p.put("mail.smtp.starttls.required", Boolean.toString(e.starttls()));
        s.setJavaMailProperties(p);
        return s;
    }

    /** Queued messages still waiting (for tests and the health page). */
    public int pending() {
        synchronized (queue) {
            return queue.size();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (queue) {
            queue.notifyAll();
        }
        worker.interrupt();
    }

    static Map<String, Object> describe(NotifyProperties p) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("email", p.email().enabled() ? p.email().to() : "off");
        d.put("webhook", p.webhook().enabled() ? NotifyProperties.Webhook.redacted(p.webhook().url()) : "off");
        return d;
    }
}
