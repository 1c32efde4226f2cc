package io.lvscp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code lvs_build_info{version,build_time} 1}: which build each director runs (from the jar's build-info). */
@Configuration(proxyBeanMethods = false)
class BuildInfoMetrics {

    @Bean
    Gauge lvsBuildInfo(MeterRegistry meters, ObjectProvider<BuildProperties> build) {
        BuildProperties b = build.getIfAvailable();
        String version = b == null ? "unknown" : b.getVersion();
        String time = b == null || b.getTime() == null ? "unknown" : b.getTime().toString();
        return Gauge.builder("lvs.build.info", () -> 1).description("Always 1; the labels name the build")
                .tag("version", version).tag("build_time", time).register(meters);
    }
}
