package io.lvscp.support;

import io.lvscp.security.LoginThrottle;
import io.lvscp.security.SecurityConfiguration;
import io.lvscp.security.SecurityProperties;
import io.lvscp.security.TokenService;
import java.time.Clock;
import java.time.Duration;
import org.mockito.Mockito;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The real filter chains for {@code @WebMvcTest} slices, without the database behind them:
 * no users, no tokens. Tests authenticate with {@code @WithMockUser(roles = ...)}.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SecurityConfiguration.class)
public class SliceSecurity {

    @Bean
    UserDetailsService noUsers() {
        return new InMemoryUserDetailsManager();
    }

    @Bean
    TokenService noTokens() {
        return Mockito.mock(TokenService.class);
    }

    @Bean
    LoginThrottle loginThrottle() {
        return new LoginThrottle(new SecurityProperties(null, null, 12,
                new SecurityProperties.Login(5, 20, Duration.ofSeconds(5), Duration.ofMinutes(15))), Clock.systemUTC());
    }
}
