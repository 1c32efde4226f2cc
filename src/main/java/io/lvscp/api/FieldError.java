package io.lvscp.api;

/** One rejected field: its JSON path (e.g. "vips[0].address"), the reason, and what was sent. */
public record FieldError(String field, String reason, Object rejectedValue) {

    public FieldError(String field, String reason) {
        this(field, reason, null);
    }
}
