package io.lvscp.security;

import io.lvscp.event.EventService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes the first admin when the database has no user at all: {@code admin} with
 * {@code lvs.security.initial-admin-password}, or with a generated password that is logged
 * once and written to {@code lvs.security.initial-admin-password-file} (mode 0600).
 *
 * <p>{@link #ensure()} is idempotent and safe to call again (e.g. once the database becomes
 * reachable): with any user present it does nothing. Directors sharing a database may call
 * it at the same moment: the unique user name lets one insert win; the others roll back and
 * leave it alone (and write no file).
 */
@Component
public class InitialAdmin {

    static final String USERNAME = "admin";
    private static final Logger log = LoggerFactory.getLogger(InitialAdmin.class);

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final EventService events;
    private final SecurityProperties properties;
    private final TransactionTemplate transactions;
    private final java.util.concurrent.atomic.AtomicBoolean ignoredLogged = new java.util.concurrent.atomic.AtomicBoolean();

    InitialAdmin(UserRepository users, PasswordEncoder encoder, EventService events, SecurityProperties properties,
            TransactionTemplate transactions) {
        this.users = users;
        this.encoder = encoder;
        this.events = events;
        this.properties = properties;
        this.transactions = transactions;
    }

    /** A director that started while the database was down creates the first admin when the schema is ready. */
    @org.springframework.context.event.EventListener
    void whenTheDatabaseReturns(io.lvscp.database.DatabaseAvailable available) {
        if (available.deferred()) {
            ensure();
        }
    }

    /** Creates the first admin if no user exists; true when this call created it. */
    public boolean ensure() {
        String configured = properties.initialAdminPassword();
        boolean generated = configured == null || configured.isEmpty();
        if (users.count() > 0) {
            if (!generated && ignoredLogged.compareAndSet(false, true)) {
                log.warn("lvs.security.initial-admin-password (LVS_SECURITY_INITIAL_ADMIN_PASSWORD) is set but ignored: the database"
                        + " already has users, so no initial admin is made and no password is changed. Log in with an existing"
                        + " user (a generated first password is in {}), or change a password with PUT /api/v1/users/NAME/password",
                        properties.initialAdminPasswordFile().toAbsolutePath());
            }
            return false;
        }
        if (!generated && BoundedPasswordEncoder.tooLong(configured)) {
            throw new IllegalStateException("lvs.security.initial-admin-password is "
                    + configured.getBytes(StandardCharsets.UTF_8).length + " bytes in UTF-8; bcrypt reads at most "
                    + BoundedPasswordEncoder.MAX_BYTES + ", so a longer password would not be checked in full: choose a shorter one."
                    + " No user was made.");
        }
        String password = generated ? Base64.getUrlEncoder().withoutPadding().encodeToString(TokenService.randomBytes(18)) : configured;
        try {
            transactions.executeWithoutResult(tx -> {
                UserAccount admin = users.saveAndFlush(new UserAccount(USERNAME, encoder.encode(password), Role.ADMIN, true));
                events.configChange(null, null, "CREATE", "user", admin.getId(), "created the initial admin user",
                        null, UserService.UserResponse.of(admin));
            });
        } catch (DataIntegrityViolationException e) {
            log.info("Initial admin: another director created it at the same time; nothing to do");
            return false;
        }
        if (generated) {
            Path file = properties.initialAdminPasswordFile().toAbsolutePath();
            String where = write(file, password) ? "; also written to " + file + " (mode 0600)" : "";
            log.warn("Created user 'admin' with the generated password {} (shown once{}). Log in, make your own users and tokens,"
                    + " and change it: PUT /api/v1/users/admin/password", password, where);
        } else {
            log.info("Created user 'admin' with the password of lvs.security.initial-admin-password");
        }
        return true;
    }

    /** Writes the password readable by this user only; false (logged) when that fails. */
    private static boolean write(Path file, String password) {
        try {
            Path dir = file.getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".initial-admin-password", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, password + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Could not write the initial admin password to {}: {}", file, e.toString());
            return false;
        }
    }
}
