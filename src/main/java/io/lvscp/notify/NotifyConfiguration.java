package io.lvscp.notify;

import io.lvscp.event.EventService;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

/** Notifications of recorded events, sent once the transaction that recorded them has committed. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NotifyProperties.class)
class NotifyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(NotifyConfiguration.class);

    @Bean(destroyMethod = "close")
    Notifier notifier(NotifyProperties props, JsonMapper json, MeterRegistry meters) {
        Notifier n = new Notifier(props, json, meters);
        log.info("Notifications: {} for {}", Notifier.describe(props), props.kinds());
        return n;
    }

    @Bean
    NotifyListener notifyListener(Notifier notifier) {
        return new NotifyListener(notifier);
    }

    static class NotifyListener {
        private final Notifier notifier;

        NotifyListener(Notifier notifier) {
            this.notifier = notifier;
        }

        /** After commit (an event rolled back is never announced); events recorded outside a transaction too. */
        @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
        void on(EventService.Recorded recorded) {
            notifier.offer(recorded.event());
        }
    }
}
