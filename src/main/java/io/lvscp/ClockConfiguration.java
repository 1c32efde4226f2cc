package io.lvscp;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClockConfiguration {

    /** The one clock of the service; tests replace it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
