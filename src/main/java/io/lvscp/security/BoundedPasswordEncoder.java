package io.lvscp.security;

import java.nio.charset.StandardCharsets;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * bcrypt reads only the first 72 bytes of a password: two passwords that share them would both
 * work. So a password longer than that is never hashed (the API refuses it with a 400 first) and
 * never matches at a login (Basic, the form, the current-password check), whatever it starts with.
 */
final class BoundedPasswordEncoder implements PasswordEncoder {

    /** bcrypt's limit, in bytes of UTF-8. */
    static final int MAX_BYTES = 72;

    private final PasswordEncoder delegate;

    BoundedPasswordEncoder(PasswordEncoder delegate) {
        this.delegate = delegate;
    }

    static boolean tooLong(CharSequence password) {
        return password != null && password.toString().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        if (tooLong(rawPassword)) {
            throw new IllegalArgumentException("a password must be at most " + MAX_BYTES + " bytes in UTF-8");
        }
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (tooLong(rawPassword)) {
            return false;
        }
        return delegate.matches(rawPassword, encodedPassword);
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }
}
