package io.lvscp.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The credentials test applications start with (src/test/resources/config/application.properties). */
public final class TestUsers {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private TestUsers() {
    }

    /** An Authorization header value for HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Makes the user (if it does not exist yet) with the password {@link #passwordOf}; returns its password. */
    public static String ensure(io.lvscp.security.UserService users, String username, String role) {
        try {
            users.create(new io.lvscp.security.UserService.UserRequest(username, passwordOf(username), role, true));
        } catch (io.lvscp.api.ApiException e) {
            if (e.status() != org.springframework.http.HttpStatus.CONFLICT) {
                throw e;
            }
        }
        return passwordOf(username);
    }

    public static String passwordOf(String username) {
        return username + "-password-42";
    }

    public static String adminBasic() {
        return basic(ADMIN, ADMIN_PASSWORD);
    }
}
