package io.lvscp.web;

import io.lvscp.api.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The refusals of a form, by input: the API's field names ("weight",
 * "healthCheck.path") become input names ("weight", "path"). Errors on fields the form
 * has no input for are listed in the summary only.
 */
final class FormErrors {

    /** Input name to label, in the order of the form. */
    static final Map<String, String> LABELS;

    static {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("address", "Address");
        labels.put("port", "Port");
        labels.put("weight", "Weight");
        labels.put("state", "State");
        labels.put("type", "Health check");
        labels.put("path", "Path");
        labels.put("statusCodes", "Status codes");
        labels.put("command", "Command");
        labels.put("connectTimeout", "Connect timeout");
        labels.put("retry", "Retry");
        labels.put("delayBeforeRetry", "Delay before retry");
        labels.put("delayLoop", "Delay loop");
        LABELS = Map.copyOf(labels);
    }

    private static final String HEALTH_CHECK = "healthCheck.";

    private final Map<String, List<String>> byInput = new LinkedHashMap<>();
    private final List<SummaryItem> summary = new ArrayList<>();

    /** One line of the error summary; {@code input} is null for a field without an input. */
    record SummaryItem(String input, String label, String reason) {
    }

    void add(String input, String reason) {
        byInput.computeIfAbsent(input, k -> new ArrayList<>()).add(reason);
        summary.add(new SummaryItem(input, LABELS.getOrDefault(input, input), reason));
    }

    /** Adds an error of the service, by its API field name. */
    void add(FieldError error) {
        String field = error.field() == null ? "" : error.field();
        String input = field.startsWith(HEALTH_CHECK) ? field.substring(HEALTH_CHECK.length()) : field;
        if (LABELS.containsKey(input)) {
            add(input, error.reason());
        } else {
            summary.add(new SummaryItem(null, field.isEmpty() ? "Request" : field, error.reason()));
        }
    }

    /** Adds a refusal that names no field. */
    void addGeneral(String reason) {
        summary.add(new SummaryItem(null, "Request", reason));
    }

    boolean isEmpty() {
        return summary.isEmpty();
    }

    /** Input name to its reasons, for the inline messages. */
    Map<String, List<String>> byInput() {
        return byInput;
    }

    List<SummaryItem> summary() {
        return summary;
    }
}
