package io.lvscp.cluster;

import io.lvscp.api.FieldErrors;
import java.util.regex.Pattern;

/** Shape rules for names, node names and interface names. */
final class Names {

    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,62}");
    static final Pattern NODE = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private Names() {
    }

    static void name(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "is required", value);
        } else if (!NAME.matcher(value).matches()) {
            errors.add(field, "must start with a letter and hold at most 63 letters, digits, '.', '_' or '-'", value);
        }
    }

    static void nodeName(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "is required", value);
        } else if (!NODE.matcher(value).matches()) {
            errors.add(field, "must be a host name (letters, digits, '-' and '.', with at least one letter)", value);
        }
    }

    static void interfaceName(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "is required", value);
        } else if (!INTERFACE.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            errors.add(field, "must be a Linux interface name of 1 to 15 letters, digits, '_', '.' or '-'", value);
        }
    }
}
