package io.lvscp.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

/**
 * A multipart body that cannot be read (no boundary, truncated) or is over the size limit fails
 * before any controller is chosen; answered here, at once, as a problem (400 or 413). Left to
 * Spring's defaults it became a 500, or a 413 with an empty body: the error page dispatch would
 * parse the same broken body again. A browser's upload to a page gets the HTML error page instead.
 */
@Component
class MultipartProblems implements HandlerExceptionResolver, Ordered {

    private final JsonMapper mapper;
    private final org.springframework.core.env.Environment environment;

    MultipartProblems(JsonMapper mapper, org.springframework.core.env.Environment environment) {
        this.mapper = mapper;
        this.environment = environment;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
        if (!(ex instanceof MultipartException) || response.isCommitted()) {
            return null;
        }
        String uri = request.getRequestURI();
        boolean page = !(uri.startsWith("/api/") || uri.startsWith("/actuator"));
        if (page) {
            // a browser's upload (the import page): the web UI's HTML error page, with the reason
            HttpStatus status = ex instanceof MaxUploadSizeExceededException ? HttpStatus.PAYLOAD_TOO_LARGE : HttpStatus.BAD_REQUEST;
            ModelAndView mav = new ModelAndView("error", status);
            mav.addObject("status", status.value());
            mav.addObject("error", status.getReasonPhrase());
            mav.addObject("message", status == HttpStatus.PAYLOAD_TOO_LARGE
                    ? "the upload is larger than " + environment.getProperty("spring.servlet.multipart.max-request-size", "the limit")
                            + " (lvs.importer.max-size); nothing was imported"
                    : "the upload cannot be read (missing boundary, truncated or malformed); nothing was imported");
            return mav;
        }
        ProblemDetail body;
        if (ex instanceof MaxUploadSizeExceededException) {
            String limit = environment.getProperty("spring.servlet.multipart.max-request-size", "the limit");
            String reason = "the multipart body is larger than " + limit + " (lvs.importer.max-size)";
            body = ProblemDetailsAdvice.body(HttpStatus.PAYLOAD_TOO_LARGE, "too-large", "Request too large", "body: " + reason
                    + "; nothing was written", List.of(new FieldError("body", reason)), ProblemErrorController.safeUri(request.getRequestURI()));
        } else {
            String reason = "the multipart body cannot be read (missing boundary, truncated or malformed)";
            body = ProblemDetailsAdvice.body(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "body: " + reason
                    + "; nothing was written", List.of(new FieldError("body", reason)), ProblemErrorController.safeUri(request.getRequestURI()));
        }
        try {
            response.resetBuffer();
            response.setStatus(body.getStatus());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(mapper.writeValueAsString(body));
        } catch (IOException | IllegalStateException e) {
            // the client went away
        }
        return new ModelAndView();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
