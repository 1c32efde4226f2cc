package io.lvscp.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects field errors while a request is checked, then throws them all at once. */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public void add(String field, String reason, Object rejected) {
        errors.add(new FieldError(field, reason, rejected));
    }

    /** Runs a parser; an IllegalArgumentException becomes an error on the field, and null is returned. */
    public <T> T parse(String field, Object rejected, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            add(field, e.getMessage(), rejected);
            return null;
        }
    }

    public void range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            add(field, "must be between " + min + " and " + max, value);
        }
    }

    public void required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            add(field, "is required", value);
        }
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    /** Throws a 400 listing every error, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }
}
