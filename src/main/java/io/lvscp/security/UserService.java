package io.lvscp.security;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldErrors;
import io.lvscp.api.PageResponse;
import io.lvscp.api.PlainText;
import io.lvscp.api.Requests;
import io.lvscp.api.Versions;
import io.lvscp.common.WireNamed;
import io.lvscp.event.EventService;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.data.domain.Pageable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The users who log in. Passwords are only ever stored hashed and never shown; every
 * creation, change of role or state, password change and deletion is an event (without the
 * password). The last enabled admin cannot be demoted, disabled or deleted.
 */
@Service
public class UserService {

    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,63}");

    /** A user as the API shows it: never the password or its hash. */
    public record UserResponse(Long id, String username, String role, boolean enabled, long version, Instant createdAt,
            Instant updatedAt) {
        static UserResponse of(UserAccount u) {
            return new UserResponse(u.getId(), u.getUsername(), u.getRole().wireName(), u.isEnabled(), u.getVersion(), u.getCreatedAt(),
                    u.getUpdatedAt());
        }
    }

    /** A new user. */
    public record UserRequest(@PlainText String username, String password, @PlainText String role, Boolean enabled) {
        @Override
        public String toString() {
            return "UserRequest[" + username + ", " + role + "]";
        }
    }

    /** A change of role or state (absent fields are kept); version or If-Match optional. */
    public record UserPatch(@PlainText String role, Boolean enabled, Long version) {
    }

    /** A password change; currentPassword is needed when changing your own. */
    public record PasswordChange(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "PasswordChange[***]";
        }
    }

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final EventService events;
    private final SecurityProperties properties;

    UserService(UserRepository users, PasswordEncoder encoder, EventService events, SecurityProperties properties) {
        this.users = users;
        this.encoder = encoder;
        this.events = events;
        this.properties = properties;
    }

    @Transactional(readOnly = true)
    public PageResponse<UserResponse> list(Pageable pageable) {
        return PageResponse.of(users.findAll(pageable), UserResponse::of);
    }

    @Transactional(readOnly = true)
    public UserResponse get(String username) {
        return UserResponse.of(require(username));
    }

    @Transactional
    public UserResponse create(UserRequest req) {
        io.lvscp.api.Requests.check(req);
        FieldErrors errors = new FieldErrors();
        errors.required("username", req.username());
        if (req.username() != null && !req.username().isBlank() && !USERNAME.matcher(req.username()).matches()) {
            errors.add("username", "must be 1 to 64 lower-case letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
                    req.username());
        }
        checkPassword(errors, "password", req.password());
        errors.required("role", req.role());
        Role role = req.role() == null ? null : errors.parse("role", req.role(), () -> WireNamed.parse(Role.class, req.role()));
        errors.throwIfAny();
        if (users.findByUsername(req.username()).isPresent()) {
            throw ApiException.conflict("username", "a user with this name already exists", req.username());
        }
        UserAccount u = users.saveAndFlush(new UserAccount(req.username(), encoder.encode(req.password()), role,
                req.enabled() == null || req.enabled()));
        UserResponse after = UserResponse.of(u);
        events.configChange(null, null, "CREATE", "user", u.getId(), "created user " + u.getUsername() + " (" + role.wireName() + ")",
                null, after);
        return after;
    }

    @Transactional
    public UserResponse update(String username, UserPatch patch, String ifMatch) {
        io.lvscp.api.Requests.check(patch);
        UserAccount u = require(username);
        Versions.check(ifMatch, patch.version(), u.getVersion(), false);
        FieldErrors errors = new FieldErrors();
        Role role = patch.role() == null ? u.getRole()
                : errors.parse("role", patch.role(), () -> WireNamed.parse(Role.class, patch.role()));
        errors.throwIfAny();
        boolean enabled = patch.enabled() == null ? u.isEnabled() : patch.enabled();
        if (u.getRole() == Role.ADMIN && u.isEnabled() && (role != Role.ADMIN || !enabled) && lastAdmin()) {
            throw ApiException.conflict(role != Role.ADMIN ? "role" : "enabled", "would leave no enabled admin", role.wireName());
        }
        UserResponse before = UserResponse.of(u);
        u.setRole(role);
        u.setEnabled(enabled);
        users.saveAndFlush(u);
        UserResponse after = UserResponse.of(u);
        if (!before.role().equals(after.role()) || before.enabled() != after.enabled()) {
            events.configChange(null, null, "UPDATE", "user", u.getId(), "changed user " + u.getUsername() + ": " + after.role()
                    + (after.enabled() ? "" : ", disabled"), before, after);
        }
        return after;
    }

    /** Changes a password: yours (with your current one), or, as an admin, anyone's. */
    @Transactional
    public void changePassword(Caller caller, String username, PasswordChange change) {
        boolean self = caller.username().equals(username);
        if (!self && !caller.isAdmin()) {
            throw new AccessDeniedException("only an admin may change another user's password");
        }
        UserAccount u = require(username);
        FieldErrors errors = new FieldErrors();
        if (self) {
            errors.required("currentPassword", change.currentPassword());
            if (change.currentPassword() != null && !change.currentPassword().isEmpty()
                    && !encoder.matches(change.currentPassword(), u.getPasswordHash())) {
                errors.add("currentPassword", "is not your current password", null);
            }
        }
        checkPassword(errors, "newPassword", change.newPassword());
        errors.throwIfAny();
        u.setPasswordHash(encoder.encode(change.newPassword()));
        users.saveAndFlush(u);
        events.configChange(null, null, "PASSWORD_CHANGE", "user", u.getId(), "changed the password of " + u.getUsername(), null, null);
    }

    @Transactional
    public void delete(String username) {
        UserAccount u = require(username);
        if (u.getRole() == Role.ADMIN && u.isEnabled() && lastAdmin()) {
            throw ApiException.conflict("username", "is the last enabled admin", username);
        }
        UserResponse before = UserResponse.of(u);
        users.delete(u); // its tokens go with it (ON DELETE CASCADE)
        users.flush();
        events.configChange(null, null, "DELETE", "user", before.id(), "deleted user " + username + " and its tokens", before, null);
    }

    private boolean lastAdmin() {
        return users.countByRoleAndEnabledTrue(Role.ADMIN) <= 1;
    }

    private UserAccount require(String username) {
        return users.findByUsername(username).orElseThrow(() -> ApiException.notFound("user '" + username + "'"));
    }

    private void checkPassword(FieldErrors errors, String field, String password) {
        errors.required(field, password);
        if (password != null && !password.isEmpty() && password.length() < properties.minPasswordLength()) {
            // the rejected value is never echoed: it is a password
            errors.add(field, "must be at least " + properties.minPasswordLength() + " characters", null);
        }
        if (BoundedPasswordEncoder.tooLong(password)) {
            errors.add(field, "must be at most " + BoundedPasswordEncoder.MAX_BYTES + " bytes in UTF-8 (bcrypt, which stores it,"
                    + " reads no further, so a longer one would not be checked in full)", null);
        }
    }
}
