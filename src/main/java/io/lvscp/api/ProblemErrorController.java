package io.lvscp.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ErrorProperties;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code /error} answers: every error that did not come from a controller of the API (no
 * handler for the path, a method or media type no handler takes, a multipart body that cannot be
 * read, a request the servlet container or the firewall rejected, an exception in a filter) as an
 * RFC 9457 problem ({@code application/problem+json}), whatever the Accept header asked for.
 * Only a browser (Accept: text/html) on a page outside {@code /api}, {@code /actuator} and
 * {@code /v3/api-docs} still gets the HTML error page.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController extends BasicErrorController {

    private final ErrorAttributes errorAttributes;
    private final JsonMapper mapper;

    ProblemErrorController(ErrorAttributes errorAttributes, ObjectProvider<ErrorViewResolver> resolvers, JsonMapper mapper) {
        super(errorAttributes, properties(), resolvers.orderedStream().toList());
        this.errorAttributes = errorAttributes;
        this.mapper = mapper;
    }

    private static ErrorProperties properties() {
        ErrorProperties p = new ErrorProperties();
        p.setIncludeMessage(ErrorProperties.IncludeAttribute.ALWAYS);
        return p;
    }

    @Override
    public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
        if (!isPage(originalUri(request))) {
            writeProblem(request, response);
            return null;
        }
        return super.errorHtml(request, response);
    }

    /** Every non-HTML error: written here, so the Accept header cannot turn it into an empty 406. */
    @Override
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        writeProblem(request, currentResponse());
        return null;
    }

    @Override
    public ResponseEntity<String> mediaTypeNotAcceptable(HttpServletRequest request) {
        writeProblem(request, currentResponse());
        return null;
    }

    private static HttpServletResponse currentResponse() {
        return ((org.springframework.web.context.request.ServletRequestAttributes) org.springframework.web.context.request.RequestContextHolder
                .currentRequestAttributes()).getResponse();
    }

    private void writeProblem(HttpServletRequest request, HttpServletResponse response) {
        Throwable error = errorAttributes.getError(new ServletWebRequest(request));
        HttpStatus status = getStatus(request);
        String type;
        String title;
        String detail;
        Map<String, Object> attributes = getErrorAttributes(request, ErrorAttributeOptions.of(ErrorAttributeOptions.Include.MESSAGE));
        String message = attributes.get("message") instanceof String s && !s.isBlank() && !s.equals("No message available") ? s : null;
        if (has(error, MaxUploadSizeExceededException.class) || status == HttpStatus.PAYLOAD_TOO_LARGE) {
            status = HttpStatus.PAYLOAD_TOO_LARGE;
            type = "too-large";
            title = "Request too large";
            detail = "the request body is larger than the service accepts (see docs/api.md, Limits); nothing was written";
        } else if (has(error, MultipartException.class)) {
            status = HttpStatus.BAD_REQUEST;
            type = "invalid-request";
            title = "Invalid request";
            detail = "the multipart body cannot be read (missing boundary, truncated or malformed): nothing was written";
        } else if (status.is5xxServerError()) {
            type = "internal-error";
            title = status.getReasonPhrase();
            detail = "the request failed inside the service; nothing was written (see the service log)";
        } else if (status == HttpStatus.NOT_FOUND) {
            type = "not-found";
            title = "Not found";
            detail = "no resource at " + originalUri(request);
        } else {
            type = switch (status) {
                case METHOD_NOT_ALLOWED -> "method-not-allowed";
                case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
                case NOT_ACCEPTABLE -> "not-acceptable";
                case UNAUTHORIZED -> "unauthorized";
                case FORBIDDEN -> "forbidden";
                default -> "invalid-request";
            };
            title = status.getReasonPhrase();
            detail = message != null ? message : status.getReasonPhrase();
        }
        ProblemDetail body = ProblemDetailsAdvice.body(status, type, title, detail, List.of(), safeUri(originalUri(request)));
        try {
            response.resetBuffer();
            response.setStatus(status.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            if (status == HttpStatus.UNAUTHORIZED && response.getHeader(HttpHeaders.WWW_AUTHENTICATE) == null) {
                response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"lvs-control-plane\"");
            }
            response.getWriter().write(mapper.writeValueAsString(body));
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response was committed: nothing more to say
        }
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String originalUri(HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return uri instanceof String s ? s : request.getRequestURI();
    }

    /** A page a browser reads: not the API, the actuator or the OpenAPI description. */
    private static boolean isPage(String uri) {
        return !(uri.startsWith("/api/") || uri.equals("/api") || uri.startsWith("/actuator") || uri.startsWith("/v3/api-docs"));
    }

    /** The path as an instance URI, or none when it does not make one (e.g. it holds a space or a NUL). */
    static String safeUri(String uri) {
        try {
            java.net.URI.create(uri);
            return uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
