package io.lvscp;

import io.lvscp.health.LoopTime;
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

    /**
     * Micrometer's clock (Spring Boot's is {@code Clock.SYSTEM}): the same, except on the native health
     * prober's loop thread, where it is the loop pass's time ({@link LoopTime}), so that the health
     * timers (lateness, duration) record without two clock reads each.
     */
    @Bean
    io.micrometer.core.instrument.Clock micrometerLoopAwareClock() {
        return LoopTime.micrometerClock();
    }
}
