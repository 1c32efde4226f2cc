package io.lvscp.api;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text a person reads back (names, descriptions, labels, user names, paths): no control
 * characters (C0 including NUL and ESC, DEL, C1) and no bidirectional overrides or isolates
 * (U+202A-U+202E, U+2066-U+2069), which would make a name print as something it is not in a
 * terminal, a log or a page. {@code null} is valid (required-ness is checked elsewhere).
 */
@Documented
@Constraint(validatedBy = PlainText.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainText {

    String message() default "must not hold control characters (such as NUL or ESC) or bidirectional override characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PlainText, CharSequence> {

        /** The first offending character as "U+XXXX", or null when the text is plain. */
        public static String offending(CharSequence text) {
            if (text == null) {
                return null;
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
                    return String.format("U+%04X", (int) c);
                }
            }
            return null;
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            String bad = offending(value);
            if (bad == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must not hold control characters (such as NUL or ESC) or bidirectional"
                    + " override characters (found " + bad + " at position " + position(value) + ")").addConstraintViolation();
            return false;
        }

        private static int position(CharSequence value) {
            for (int i = 0; i < value.length(); i++) {
                if (offending(value.subSequence(i, i + 1)) != null) {
                    return i;
                }
            }
            return -1;
        }
    }
}
