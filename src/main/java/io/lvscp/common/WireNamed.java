package io.lvscp.common;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** An enum whose constants have the spelling operators use (ipvsadm, keepalived). */
public interface WireNamed {

    /** The spelling used in the API and in keepalived.conf, e.g. "rr" or "HTTP_GET". */
    String wireName();

    /**
     * Looks a constant up by its wire name, ignoring case.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    static <E extends Enum<E> & WireNamed> E parse(Class<E> type, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("must be one of " + allowed(type));
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.wireName().toLowerCase(Locale.ROOT).equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + allowed(type));
    }

    static <E extends Enum<E> & WireNamed> List<String> names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireNamed::wireName).toList();
    }

    static <E extends Enum<E> & WireNamed> String allowed(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireNamed::wireName).collect(Collectors.joining(", "));
    }
}
