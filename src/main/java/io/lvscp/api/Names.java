package io.lvscp.api;

import java.util.regex.Pattern;

/** Shape rules for names, node names and interface names. */
public final class Names {

    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,62}");
    public static final Pattern NODE = Pattern.compile("(?=.*[A-Za-z])[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?");
    public static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private Names() {
    }

    public static void name(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "is required", value);
        } else if (!NAME.matcher(value).matches()) {
            errors.add(field, "must start with a letter and hold at most 63 letters, digits, '.', '_' or '-'", value);
        }
    }

    public static void nodeName(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "is required", value);
        } else if (!NODE.matcher(value).matches()) {
            errors.add(field, "must be a host name (letters, digits, '-' and '.', with at least one letter)", value);
        }
    }

    public static void interfaceName(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "is required", value);
        } else if (!INTERFACE.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            errors.add(field, "must be a Linux interface name of 1 to 15 letters, digits, '_', '.' or '-'", value);
        }
    }
}
