package io.lvscp.security;

import io.lvscp.api.ProblemDetailsAdvice;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401, 403 and 429 of the API and the actuator as RFC 9457 problem details, like every other
 * refusal of the API. A 401 names both ways in (WWW-Authenticate: Bearer and Basic).
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final String REALM = "lvs-control-plane";

    private final JsonMapper mapper;

    ProblemResponses(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        if (e instanceof LoginThrottledException t) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(LoginThrottledException.seconds(t.retryAfter())));
            write(request, response, HttpStatus.TOO_MANY_REQUESTS, "too-many-login-failures", "Too many failed logins",
                    e.getMessage() + " (even with the right password); API tokens are not braked");
            return;
        }
        if (io.lvscp.database.DatabaseStatus.isConnectionFailure(e)) {
            // the credentials could not be checked: not a 401 (they may be right), nothing was done
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                    "the credentials cannot be checked while the database is unreachable (a bearer token used on this director "
                            + "before the outage still works); nothing was changed; retry later");
            return;
        }
        boolean bearer = request.getHeader(HttpHeaders.AUTHORIZATION) != null
                && request.getHeader(HttpHeaders.AUTHORIZATION).regionMatches(true, 0, "Bearer ", 0, 7);
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\""
                + (bearer ? ", error=\"invalid_token\"" : ""));
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        String detail = bearer ? "the bearer token is unknown, expired or revoked"
                : request.getHeader(HttpHeaders.AUTHORIZATION) != null ? "the user name or password is wrong, or the user is disabled"
                : "authenticate with 'Authorization: Bearer <token>' (POST /api/v1/tokens makes one) or HTTP Basic";
        write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        Caller caller = Caller.current();
        String detail = caller == null ? "access denied"
                : "role " + caller.role().wireName() + " of " + caller.displayName() + " may not " + request.getMethod() + " "
                        + request.getRequestURI() + " (see docs/api.md, Roles)";
        write(request, response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String type, String title,
            String detail) throws IOException {
        ProblemDetail body = ProblemDetailsAdvice.body(status, type, title, detail, List.of(), request.getRequestURI());
        response.setStatus(status.value());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(mapper.writeValueAsString(body));
    }
}
