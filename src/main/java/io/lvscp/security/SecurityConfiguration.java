package io.lvscp.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what, in one place. Three filter chains:
 *
 * <ol>
 * <li><b>Actuator</b> (also on the management port): health (liveness, readiness) and the
 *     Prometheus scrape are open; every other endpoint needs admin (HTTP Basic or a token).
 * <li><b>JSON API</b> {@code /api/**}: stateless, no session, authenticated only by a header,
 *     {@code Authorization: Bearer <token>} or HTTP Basic with a user's password (so a script
 *     can make a token). That is why it needs no CSRF token: a browser adds no such header on
 *     its own. Refusals are problem details: 401 (with WWW-Authenticate), 403, 429.
 * <li><b>Web UI</b> (everything else): form login at {@code /login}, a session, CSRF tokens on
 *     every form (Thymeleaf adds them), logout; a browser without a session is sent to the login page.
 * </ol>
 *
 * <p>Roles (each includes the ones before it): <b>viewer</b> reads; <b>operator</b> also
 * enables, disables, drains and adds real servers and switches a VRRP instance over to another
 * director; <b>admin</b> does everything else. Any
 * request not named below needs admin if it writes and viewer if it is a GET, so a new
 * endpoint is never open by accident. The OpenAPI description and Swagger UI are open: they
 * describe the API (as docs/api.md does) and hold no data; trying a call there needs a token.
 *
 * <p>Default secure headers stay on: no-store caching, X-Content-Type-Options,
 * X-Frame-Options DENY, HSTS over HTTPS.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    static final String REAL_SERVERS = "/api/v1/clusters/*/virtual-servers/*/real-servers";
    static final String REAL_SERVER_FORM = "/ui/clusters/*/virtual-servers/*/real-servers/new";
    static final String UI_REAL_SERVER = "/ui/clusters/*/virtual-servers/*/real-servers/*";
    static final String SWITCHOVER = "/api/v1/clusters/*/vrrp-instances/*/switchover";

    // ---- who may do what -----------------------------------------------------------------

    private static void apiRules(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(r -> r
                // everybody signed in: their own tokens, their own password (the services check "own")
                .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**").authenticated()
                .requestMatchers(HttpMethod.PUT, "/api/v1/users/*/password").authenticated()
                .requestMatchers("/api/v1/users", "/api/v1/users/**").hasRole("ADMIN")
                // a keepalived.conf holds the VRRP PASS passwords
                .requestMatchers(HttpMethod.GET, "/api/v1/clusters/*/directors/*/keepalived.conf").hasRole("ADMIN")
                // operator: add, enable, disable, drain real servers
                .requestMatchers(HttpMethod.POST, REAL_SERVERS, REAL_SERVERS + "/*/enable", REAL_SERVERS + "/*/disable",
                        REAL_SERVERS + "/*/drain").hasRole("OPERATOR")
                // operator: move a VRRP instance's mastership to a named director, and end that hold (issue 16)
                .requestMatchers(HttpMethod.POST, SWITCHOVER).hasRole("OPERATOR")
                .requestMatchers(HttpMethod.DELETE, SWITCHOVER).hasRole("OPERATOR")
                // viewer: read everything else
                .requestMatchers(HttpMethod.GET, "/api/**").hasRole("VIEWER")
                .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole("VIEWER")
                // admin: every other write (clusters, directors, VRRP instances, virtual servers, real server edits, deletes, import)
                .anyRequest().hasRole("ADMIN"));
    }

    private static void webRules(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(r -> r
                .requestMatchers("/login", "/error", "/css/**", "/js/**", "/webjars/**", "/favicon.ico").permitAll()
                .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                .requestMatchers("/ui/import").hasRole("ADMIN")
                .requestMatchers(REAL_SERVER_FORM).hasRole("OPERATOR")
                // the console's operator actions, as in the API (weight and removal stay admin's)
                .requestMatchers(HttpMethod.POST, UI_REAL_SERVER + "/enable", UI_REAL_SERVER + "/disable", UI_REAL_SERVER + "/drain")
                .hasRole("OPERATOR")
                .requestMatchers(UI_REAL_SERVER + "/weight", UI_REAL_SERVER + "/remove").hasRole("ADMIN")
                .requestMatchers(HttpMethod.GET, "/", "/ui/**").hasRole("VIEWER")
                .anyRequest().hasRole("ADMIN"));
    }

    private static void actuatorRules(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(r -> r
                .requestMatchers(EndpointRequest.to("health", "prometheus")).permitAll()
                .anyRequest().hasRole("ADMIN"));
    }

    // ---- the chains ------------------------------------------------------------------------

    /**
     * The open actuator endpoints (health, the Prometheus scrape) take no credentials at all: a
     * wrong or expired token or password sent with them is ignored, not a 401, so a probe or a
     * scraper with a stale credential keeps working.
     */
    @Bean
    @Order(0)
    SecurityFilterChain openActuatorChain(HttpSecurity http) throws Exception {
        http.securityMatcher(EndpointRequest.to("health", "prometheus"))
                .authorizeHttpRequests(r -> r.anyRequest().permitAll())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(org.springframework.security.config.Customizer.withDefaults());
        return http.build();
    }

    @Bean
    @Order(1)
    SecurityFilterChain actuatorChain(HttpSecurity http, AuthenticationManager passwords, TokenService tokens, JsonMapper mapper)
            throws Exception {
        // every path under /actuator, so that one no endpoint serves is a 404 problem here too, not the web login page
        http.securityMatcher(new org.springframework.security.web.util.matcher.OrRequestMatcher(EndpointRequest.toAnyEndpoint(),
                org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.withDefaults().matcher("/actuator/**")));
        actuatorRules(http);
        return headerAuthenticated(http, passwords, tokens, mapper).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, AuthenticationManager passwords, TokenService tokens, JsonMapper mapper)
            throws Exception {
        http.securityMatcher("/api/**");
        apiRules(http);
        return headerAuthenticated(http, passwords, tokens, mapper).build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain webChain(HttpSecurity http, AuthenticationManager passwords) throws Exception {
        webRules(http);
        http.authenticationManager(passwords)
                .formLogin(form -> form.loginPage("/login").failureHandler((request, response, e) -> response.sendRedirect(
                        request.getContextPath() + (e instanceof LoginThrottledException ? "/login?locked" : "/login?error"))))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .exceptionHandling(e -> e.accessDeniedHandler(SecurityConfiguration::webAccessDenied))
                .httpBasic(AbstractHttpConfigurer::disable);
        return http.build();
    }

    /**
     * A refused page or form says why: a missing or outdated CSRF token (reload and send again), or a
     * role that may not do this (nothing to retry). The error page shows the message.
     */
    /** The request attribute holding why a web request was refused, for the error page. */
    public static final String DENIED_REASON = "lvsDeniedReason";

    static void webAccessDenied(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        String why;
        if (e instanceof CsrfException) {
            why = "The form's security token was missing or out of date (the page was open for long, or you signed in again): "
                    + "reload the page and send the form again.";
        } else {
            Authentication a = SecurityContextHolder.getContext().getAuthentication();
            String roles = a == null ? "none" : a.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                    .filter(r -> r.startsWith("ROLE_")).map(r -> r.substring(5).toLowerCase(java.util.Locale.ROOT)).sorted()
                    .collect(java.util.stream.Collectors.joining(", "));
            why = "You are signed in as " + (a == null ? "nobody" : a.getName()) + " with the role " + (roles.isEmpty() ? "none" : roles)
                    + ", which may not do this. Ask an admin for a role that may (see the roles in docs/api.md).";
        }
        // the container may drop sendError's message on the way to the error page: the page reads this attribute first
        request.setAttribute(DENIED_REASON, why);
        response.sendError(HttpServletResponse.SC_FORBIDDEN, why);
    }

    /** Bearer tokens (when given) and HTTP Basic, no session, no CSRF (nothing ambient to forge with), problem details. */
    private static HttpSecurity headerAuthenticated(HttpSecurity http, AuthenticationManager passwords, TokenService tokens,
            JsonMapper mapper) throws Exception {
        ProblemResponses problems = new ProblemResponses(mapper);
        return http.authenticationManager(passwords)
                .addFilterBefore(new BearerTokenFilter(tokens, problems), BasicAuthenticationFilter.class)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable);
    }

    // ---- authentication --------------------------------------------------------------------

    /** admin includes operator, operator includes viewer (also for authorities that name only the top role). */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix().role("ADMIN").implies("OPERATOR").role("OPERATOR").implies("VIEWER").build();
    }

    /**
     * Hashes as "{bcrypt}...", and still reads the other encodings Spring knows; a password over
     * bcrypt's 72 bytes never matches (see {@link BoundedPasswordEncoder}).
     */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new BoundedPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
    }

    /** Password logins (form and Basic) from the users table, through the brute-force brake. */
    @Bean
    AuthenticationManager passwordAuthentication(UserDetailsService users, PasswordEncoder encoder, LoginThrottle throttle) {
        DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
        dao.setPasswordEncoder(encoder);
        return new ProviderManager(new ThrottledAuthenticationProvider(dao, throttle));
    }

    /**
     * The first admin, at start-up when the database answers. A director that starts while the
     * database is down (from its local state) creates it when the schema becomes ready
     * ({@link io.lvscp.database.DatabaseAvailable}, deferred); ensure() is idempotent.
     */
    @Bean
    ApplicationRunner initialAdminAtStartup(org.springframework.beans.factory.ObjectProvider<InitialAdmin> initialAdmin) {
        return args -> initialAdmin.ifAvailable(admin -> {
            try {
                admin.ensure();
            } catch (org.springframework.dao.DataAccessException | org.springframework.transaction.TransactionException e) {
                org.slf4j.LoggerFactory.getLogger(SecurityConfiguration.class)
                        .warn("Database unavailable at start-up ({}): the first admin is created when it returns", e.getMessage());
            }
        });
    }
}
