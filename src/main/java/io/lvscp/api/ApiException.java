package io.lvscp.api;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, rendered as an RFC 9457 problem: the status, a
 * short problem type and the fields at fault. Nothing has been written when it is thrown.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;

    public ApiException(HttpStatus status, String type, String title, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** 400: one or more fields are invalid. */
    public static ApiException invalid(List<FieldError> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", summary(errors), errors);
    }

    public static ApiException invalid(String field, String reason, Object rejected) {
        return invalid(List.of(new FieldError(field, reason, rejected)));
    }

    /** 409: the request clashes with what is stored (a duplicate, a resource still in use). */
    public static ApiException conflict(String field, String reason, Object rejected) {
        List<FieldError> errors = List.of(new FieldError(field, reason, rejected));
        return new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict", summary(errors), errors);
    }

    /** 409: the version sent is not the stored one: somebody else changed it first. */
    public static ApiException staleVersion(long sent, long current) {
        List<FieldError> errors = List.of(new FieldError("version",
                "is " + sent + " but the stored version is " + current + ": somebody changed it; reload and retry", sent));
        return new ApiException(HttpStatus.CONFLICT, "stale-version", "Stale version", summary(errors), errors);
    }

    /** 412: an If-Match header named another version. */
    public static ApiException preconditionFailed(String ifMatch, long current) {
        List<FieldError> errors = List.of(new FieldError("If-Match",
                "is " + ifMatch + " but the stored version is \"" + current + "\": somebody changed it; reload and retry", ifMatch));
        return new ApiException(HttpStatus.PRECONDITION_FAILED, "stale-version", "Precondition failed", summary(errors), errors);
    }

    /** 404: the named resource does not exist. */
    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " not found", List.of());
    }

    /** 404 with a hint, e.g. "node 'x' not found: no director has this node name". */
    public static ApiException notFound(String what, String hint) {
        return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", what + " not found: " + hint, List.of());
    }

    private static String summary(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder();
        for (FieldError e : errors) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(e.field()).append(": ").append(e.reason());
        }
        return sb.toString();
    }

    public HttpStatus status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
