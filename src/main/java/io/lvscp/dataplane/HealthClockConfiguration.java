package io.lvscp.dataplane;

import io.lvscp.health.LoopTime;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Micrometer's clock for the service's meter registry (in place of Spring Boot's {@code Clock.SYSTEM}). */
@Configuration(proxyBeanMethods = false)
class HealthClockConfiguration {

    /**
     * {@code Clock.SYSTEM}'s time, except on the native health prober's loop thread, where it is the loop
     * pass's time ({@link LoopTime}): the health timers (lateness, duration) record there without the two
     * clock reads each record would cost (Micrometer's time-window max and histogram read it per record).
     */
    @Bean
    io.micrometer.core.instrument.Clock micrometerLoopAwareClock() {
        return LoopTime.micrometerClock();
    }
}
