package io.lvscp.api;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.lvscp.database.DatabaseStatus;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every refusal of the JSON API (the {@code @RestController}s; the web pages have
 * their own HTML errors) into an RFC 9457 problem detail with an
 * "errors" list of {field, reason, rejectedValue}.
 */
@RestControllerAdvice(annotations = RestController.class)
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    static final String TYPE_PREFIX = "urn:lvscp:problem:";

    /** Database unique constraints, by name, mapped to the request field they guard. */
    private static final Map<String, String[]> CONSTRAINTS = Map.of(
            "uk_cluster_name", new String[] {"name", "a cluster with this name already exists"},
            "uk_director_node_name", new String[] {"nodeName", "a director with this node name already exists"},
            "uk_vrrp_instance_name", new String[] {"name", "a VRRP instance with this name already exists in the cluster"},
            "uk_vrrp_instance_vrid", new String[] {"vrid", "this VRID is already used on the interface"},
            "uk_virtual_server_endpoint", new String[] {"vip", "a virtual server with this VIP, port and protocol already exists"},
            "uk_virtual_server_fwmark", new String[] {"fwmark", "a virtual server with this firewall mark already exists"},
            "uk_real_server_endpoint", new String[] {"address", "this real server is already in the virtual server"},
            "uk_app_user_username", new String[] {"username", "a user with this name already exists"});

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest request) {
        return problem(e.status(), e.type(), e.title(), e.getMessage(), e.errors(), request);
    }

    /**
     * The database cannot be reached (or did not answer in time): 503, so the client knows nothing was
     * acknowledged and retries later. Other data access failures keep their usual handling.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class, QueryTimeoutException.class,
            TransientDataAccessResourceException.class, TransactionSystemException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(RuntimeException e, HttpServletRequest request) throws Exception {
        if (e instanceof TransactionSystemException && !DatabaseStatus.isConnectionFailure(e)) {
            return unexpected(e, request);
        }
        log.warn("{} {}: database unavailable: {}", request.getMethod(), request.getRequestURI(), e.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(body(HttpStatus.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                        "the database cannot be reached: nothing was changed; the directors keep their last good state; retry later",
                        List.of(), request.getRequestURI()));
    }

    @ExceptionHandler(OptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> optimisticLock(OptimisticLockingFailureException e, HttpServletRequest request) {
        return problem(HttpStatus.CONFLICT, "stale-version", "Stale version",
                "version: somebody changed this resource at the same time; reload and retry",
                List.of(new FieldError("version", "changed concurrently; reload and retry")), request);
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e, HttpServletRequest request) {
        String message = String.valueOf(e.getMostSpecificCause().getMessage()).toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String[]> c : CONSTRAINTS.entrySet()) {
            if (message.contains(c.getKey())) {
                String[] fieldReason = c.getValue();
                return problem(HttpStatus.CONFLICT, "conflict", "Conflict", fieldReason[0] + ": " + fieldReason[1],
                        List.of(new FieldError(fieldReason[0], fieldReason[1])), request);
            }
        }
        log.warn("Unmapped integrity violation", e);
        return problem(HttpStatus.CONFLICT, "conflict", "Conflict", "the change conflicts with stored data", List.of(), request);
    }

    /** A merge patch whose values do not fit the resource (e.g. a string for a weight). */
    @ExceptionHandler(JacksonException.class)
    ResponseEntity<ProblemDetail> jackson(JacksonException e, HttpServletRequest request) {
        FieldError error = describe(e);
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                error.field() == null ? error.reason() : error.field() + ": " + error.reason(),
                error.field() == null ? List.of() : List.of(error), request);
    }

    @ExceptionHandler(org.springframework.data.core.PropertyReferenceException.class)
    ResponseEntity<ProblemDetail> sort(RuntimeException e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "sort: " + e.getMessage(),
                List.of(new FieldError("sort", e.getMessage())), request);
    }

    /** Anything else is our fault: a problem without internals, and the stack trace in the log. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) throws Exception {
        if (e instanceof org.springframework.web.ErrorResponse || e instanceof org.springframework.security.access.AccessDeniedException) {
            throw e; // handled by Spring MVC / Spring Security with their own status
        }
        if (e instanceof org.springframework.http.InvalidMediaTypeException
                || (e instanceof IllegalArgumentException && String.valueOf(e.getMessage()).startsWith("Content-Type"))) {
            // e.g. "Content-Type: */*": not a type a body can have
            String reason = "is not a media type a body can have: " + e.getMessage();
            return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported Media Type", "Content-Type: " + reason,
                    List.of(new FieldError("Content-Type", reason, request.getContentType())), request);
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "the request failed inside the service; nothing was written (see the service log)", List.of(), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String reason = "'" + e.getValue() + "' is not a valid " + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName());
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getName() + ": " + reason,
                List.of(new FieldError(e.getName(), reason, e.getValue())), request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest webRequest) {
        FieldError error = describe(jacksonCause(e));
        ProblemDetail body = body(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                error.field() == null ? error.reason() : error.field() + ": " + error.reason(),
                error.field() == null ? List.of() : List.of(error), null);
        return ResponseEntity.badRequest().body(body);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = new ArrayList<>();
        e.getBindingResult().getFieldErrors().forEach(f -> errors.add(new FieldError(f.getField(), f.getDefaultMessage(), f.getRejectedValue())));
        ApiException api = ApiException.invalid(errors);
        return ResponseEntity.badRequest().body(body(HttpStatus.BAD_REQUEST, api.type(), api.title(), api.getMessage(), errors, null));
    }

    /** The outermost Jackson exception in the chain: the one that knows the field's path. */
    private static Throwable jacksonCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JacksonException) {
                return t;
            }
        }
        return e.getCause() == null ? e : e.getCause();
    }

    /** Spring MVC's own refusals (406, 415 from a handler, ...) get this service's problem type too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode,
            WebRequest request) {
        if (body == null && ex instanceof org.springframework.web.ErrorResponse er) {
            body = er.updateAndGetBody(getMessageSource(), org.springframework.context.i18n.LocaleContextHolder.getLocale());
        }
        if (body instanceof ProblemDetail pd && (pd.getType() == null || "about:blank".equals(pd.getType().toString()))) {
            HttpStatus status = HttpStatus.resolve(statusCode.value());
            String type = status == null ? "invalid-request" : switch (status) {
                case METHOD_NOT_ALLOWED -> "method-not-allowed";
                case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
                case NOT_ACCEPTABLE -> "not-acceptable";
                case NOT_FOUND -> "not-found";
                case PAYLOAD_TOO_LARGE -> "too-large";
                default -> status.is5xxServerError() ? "internal-error" : "invalid-request";
            };
            pd.setType(URI.create(TYPE_PREFIX + type));
        }
        return super.handleExceptionInternal(ex, body, headers, statusCode, request);
    }

    private static FieldError describe(Throwable cause) {
        if (cause instanceof DatabindException de) {
            String field = path(de);
            if (de instanceof UnrecognizedPropertyException u) {
                return new FieldError(field, "is not a known field" + (u.getKnownPropertyIds() == null ? ""
                        : " (known: " + u.getKnownPropertyIds() + ")"), null);
            }
            if (de instanceof InvalidFormatException f) {
                return new FieldError(field, "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType()), f.getValue());
            }
            if (de instanceof MismatchedInputException m) {
                return new FieldError(field, "must be " + article(simpleType(m.getTargetType())), null);
            }
            return new FieldError(field, "cannot be read: " + de.getOriginalMessage(), null);
        }
        if (cause instanceof JacksonException je) {
            java.util.regex.Matcher dup = DUPLICATE.matcher(String.valueOf(je.getOriginalMessage()));
            if (dup.find()) {
                return new FieldError(duplicatePath(je, dup.group(1)), "is given twice in the same object; give each field once", null);
            }
            String at = contextPath(je);
            if (je instanceof tools.jackson.core.exc.InputCoercionException && at != null) {
                return new FieldError(at, "is out of range: " + je.getOriginalMessage(), null);
            }
            return new FieldError(null, "the body is not valid JSON" + (at == null ? "" : " (at " + at + ")") + ": "
                    + je.getOriginalMessage(), null);
        }
        return new FieldError(null, "the body is missing or cannot be read", null);
    }

    private static final java.util.regex.Pattern DUPLICATE = java.util.regex.Pattern.compile("Duplicate (?:Object property|field) \"(.*?)\"");

    /** "sorryServer.port" for a duplicate "port" inside "sorryServer". */
    private static String duplicatePath(JacksonException e, String name) {
        String parent = contextPath(e);
        if (parent == null) {
            parent = "";
        }
        if (parent.equals(name) || parent.endsWith("." + name)) {
            return parent;
        }
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** Where the parser was when it failed, as "vips[0].label"; null when unknown or at the top. */
    private static String contextPath(JacksonException e) {
        String parent = "";
        if (e.processor() instanceof tools.jackson.core.JsonParser p && p.streamReadContext() != null) {
            tools.jackson.core.TokenStreamContext ctx = p.streamReadContext();
            String pointer = ctx.pathAsPointer().toString();
            StringBuilder sb = new StringBuilder();
            for (String seg : pointer.split("/")) {
                if (seg.isEmpty()) {
                    continue;
                }
                if (seg.chars().allMatch(Character::isDigit) && sb.length() > 0) {
                    sb.append('[').append(seg).append(']');
                } else {
                    if (sb.length() > 0) {
                        sb.append('.');
                    }
                    sb.append(seg.replace("~1", "/").replace("~0", "~"));
                }
            }
            parent = sb.toString();
        }
        return parent.isEmpty() ? null : parent;
    }

    private static String path(DatabindException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "body" : sb.toString();
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "string";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "date-time (an ISO-8601 instant such as 2030-01-31T12:00:00Z)";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "number";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "list";
        }
        return "object";
    }

    private static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail, List<FieldError> errors,
            HttpServletRequest request) {
        return ResponseEntity.status(status).body(body(status, type, title, detail, errors, request.getRequestURI()));
    }

    public static ProblemDetail body(HttpStatus status, String type, String title, String detail, List<FieldError> errors, String instance) {
        ProblemDetail pd = ProblemDetail.forStatusAndDetail(status, detail);
        pd.setType(URI.create(TYPE_PREFIX + type));
        pd.setTitle(title);
        if (instance != null) {
            pd.setInstance(URI.create(instance));
        }
        if (!errors.isEmpty()) {
            pd.setProperty("errors", errors);
        }
        return pd;
    }
}
