package io.lvscp.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * Checks a request's Bean Validation constraints (e.g. {@link PlainText}) where the services
 * take it, so every way in (the JSON API with POST, PUT and merge PATCH, the web forms, the
 * importer through the services) is held to the same rules. Violations are a 400 naming the fields.
 */
public final class Requests {

    private static final Validator VALIDATOR;

    static {
        ValidatorFactory factory = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory();
        VALIDATOR = factory.getValidator();
    }

    private Requests() {
    }

    /** Throws a 400 listing every violated constraint of the request (and its nested parts), if any. */
    public static <T> T check(T request) {
        if (request == null) {
            return null;
        }
        List<FieldError> errors = new ArrayList<>();
        VALIDATOR.validate(request).stream()
                .sorted(Comparator.comparing((ConstraintViolation<T> v) -> v.getPropertyPath().toString()))
                .forEach(v -> errors.add(new FieldError(field(v), v.getMessage(), printable(v.getInvalidValue()))));
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return request;
    }

    private static String field(ConstraintViolation<?> v) {
        // "unicastPeers[0].<list element>" -> "unicastPeers[0]"
        return v.getPropertyPath().toString().replace(".<list element>", "").replace("<list element>", "");
    }

    /** The rejected text with its offending characters escaped, so the answer itself stays plain. */
    private static Object printable(Object value) {
        if (!(value instanceof CharSequence text)) {
            return value;
        }
        StringBuilder sb = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (PlainText.Validator.offending(new String(Character.toChars(cp))) != null) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
