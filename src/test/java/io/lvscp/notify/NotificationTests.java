package io.lvscp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.lvscp.event.EventService;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * keepalived's notification_email, and a webhook: a real SMTP server (GreenMail) and a real
 * HTTP receiver on loopback; the first webhook delivery is refused with a 500 and retried.
 */
@SpringBootTest(properties = {"spring.datasource.url=jdbc:h2:mem:notify;DB_CLOSE_DELAY=-1", "lvs.node-name=notify-node",
        "lvs.dataplane=dry-run", "lvs.notify.retry-delay=100ms", "lvs.notify.email.from=lvs@director.test",
        "lvs.notify.email.to=ops@example.test,oncall@example.test", "lvs.notify.email.connect-timeout=3s"})
class NotificationTests {

    static final GreenMail SMTP;
    static final HttpServer HOOK;
    static final List<String> POSTS = new CopyOnWriteArrayList<>();
    static final AtomicInteger REQUESTS = new AtomicInteger();

    static {
        try (ServerSocket s = new ServerSocket(0)) {
            SMTP = new GreenMail(new ServerSetup(s.getLocalPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        SMTP.start();
        try {
            HOOK = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HOOK.createContext("/hook", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // the first delivery fails: the notifier must try again
            int status = REQUESTS.incrementAndGet() == 1 ? 500 : 204;
            if (status == 204) {
                POSTS.add(body);
            }
            x.sendResponseHeaders(status, -1);
            x.close();
        });
        HOOK.start();
    }

    @DynamicPropertySource
    static void channels(DynamicPropertyRegistry r) {
        r.add("lvs.notify.email.smtp-server", () -> "127.0.0.1");
        r.add("lvs.notify.email.smtp-port", () -> SMTP.getSmtp().getPort());
        r.add("lvs.notify.webhook.url", () -> "http://127.0.0.1:" + HOOK.getAddress().getPort() + "/hook");
    }

    @AfterAll
    static void stop() {
        SMTP.stop();
        HOOK.stop(0);
    }

    @Autowired
    EventService events;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    MeterRegistry meters;

    @Test
    void aVrrpTransitionReachesTheMailboxesAndTheWebhookOnceEach() throws Exception {
        // rolled back: never announced; a configuration change: not a kind that is sent
        tx.executeWithoutResult(s -> {
            events.record(EventService.HEALTH, null, "wtc", "DOWN", "real-server", 7L, "never happened", null);
            s.setRollbackOnly();
        });
        events.record(EventService.CONFIG_CHANGE, null, "wtc", "UPDATE", "cluster", 1L, "not sent by default", null);

        events.record(EventService.VRRP_TRANSITION, null, "wtc", "TRANSITION", "vrrp-instance", 3L,
                "node lvs2: vi_1 BACKUP -> MASTER (master down)", Map.of("node", "lvs2", "instance", "vi_1", "to", "MASTER"));

        long until = System.nanoTime() + 20_000_000_000L;
        while (SMTP.getReceivedMessages().length < 2 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        MimeMessage[] mails = SMTP.getReceivedMessages();
        assertThat(mails).hasSize(2);
        assertThat(mails[0].getSubject()).isEqualTo("[lvs-control-plane] wtc: node lvs2: vi_1 BACKUP -> MASTER (master down)");
        assertThat(mails[0].getFrom()[0].toString()).isEqualTo("lvs@director.test");
        assertThat(com.icegreen.greenmail.util.GreenMailUtil.getBody(mails[0])).contains("kind:     VRRP_TRANSITION")
                .contains("\"instance\"").contains("vi_1");

        long end = System.nanoTime() + 20_000_000_000L;
        while (POSTS.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(POSTS).singleElement().satisfies(p -> assertThat(p).contains("\"kind\":\"VRRP_TRANSITION\"")
                .contains("\"summary\":\"node lvs2: vi_1 BACKUP -> MASTER (master down)\"").contains("\"cluster\":\"wtc\"")
                .contains("\"to\":\"MASTER\""));
        assertThat(REQUESTS.get()).isEqualTo(2);
        // the worker counts a delivery after the receiver has answered it, so the counters may lag the arrival by a moment
        long counted = System.nanoTime() + 10_000_000_000L;
        while (sentCount("webhook") + sentCount("email") < 2 && System.nanoTime() < counted) {
            Thread.sleep(20);
        }
        assertThat(meters.get("lvs.notifications").tag("channel", "webhook").tag("result", "sent").counter().count()).isEqualTo(1);
        assertThat(meters.get("lvs.notifications").tag("channel", "email").tag("result", "sent").counter().count()).isEqualTo(1);
        // nothing else was sent: the rolled-back and the CONFIG_CHANGE events stayed quiet. No waiting needed: events are
        // offered on the recording thread at commit (in order) and one worker sends the queue first in, first out, so
        // had either of the earlier events been queued it would have been sent before the VRRP transition seen above
        assertThat(SMTP.getReceivedMessages()).hasSize(2);
        assertThat(POSTS).hasSize(1);
        assertThat(meters.find("lvs.notifications").counters()).allSatisfy(c -> assertThat(c.getId().getTag("result"))
                .as(c.getId().toString()).isEqualTo("sent"));
    }

    private double sentCount(String channel) {
        var counter = meters.find("lvs.notifications").tag("channel", channel).tag("result", "sent").counter();
        return counter == null ? 0 : counter.count();
    }
}
