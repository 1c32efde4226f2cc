package io.lvscp.security;

import io.lvscp.api.ApiException;
import io.lvscp.api.FieldErrors;
import io.lvscp.api.PageResponse;
import io.lvscp.api.PlainText;
import io.lvscp.api.Requests;
import io.lvscp.event.EventService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * API tokens: made for their caller (never with a higher role), shown once, stored as a
 * SHA-256 hash, revoked by DELETE. A token also stops working when it expires or its owner is
 * disabled or deleted, and never does more than its owner's current role allows.
 */
@Service
public class TokenService {

    /** Every token starts with this, so one pasted into a chat or a repository is recognisable (and greppable). */
    public static final String PREFIX = "lvscp_";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** last_used_at is written at most this often per token, so a busy script does not write on every request. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token as listed: never the token or its hash. */
    public record TokenResponse(Long id, String name, String owner, String role, Instant createdAt, Instant expiresAt,
            Instant lastUsedAt, Instant revokedAt) {
        static TokenResponse of(ApiToken t) {
            return new TokenResponse(t.getId(), t.getName(), t.getOwner().getUsername(), t.getRole().wireName(), t.getCreatedAt(),
                    t.getExpiresAt(), t.getLastUsedAt(), t.getRevokedAt());
        }
    }

    /** The answer to a creation: the only time the token itself is shown. */
    public record CreatedToken(Long id, String name, String owner, String role, Instant createdAt, Instant expiresAt, String token) {
    }

    /**
     * @param name      a label, e.g. "ci-deploy" (shown in events as "alice (token ci-deploy)")
     * @param role      viewer, operator or admin; at most the caller's; default: the caller's
     * @param expiresAt when it stops working; default: never
     */
    public record TokenRequest(@PlainText String name, @PlainText String role, Instant expiresAt) {
    }

    private final ApiTokenRepository tokens;
    private final UserRepository users;
    private final EventService events;
    private final Clock clock;
    private final org.springframework.transaction.support.TransactionTemplate transactions;

    TokenService(ApiTokenRepository tokens, UserRepository users, EventService events, Clock clock,
            org.springframework.transaction.support.TransactionTemplate transactions) {
        this.transactions = transactions;
        this.tokens = tokens;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    /**
     * The caller a presented token stands for, if it is usable now. When the database cannot be
     * reached, a token this director has verified since its start (and not seen refused since) still
     * stands for the caller it stood for then, until its own expiry: during an outage nothing can be
     * revoked, and operators keep reading plans and health. Any other token then fails with the
     * database's exception (a 503, not a 401).
     */
    public Optional<Caller> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String hash = hash(token);
        Instant now = clock.instant();
        try {
            Optional<ApiToken> found = transactions.execute(status -> {
                Optional<ApiToken> t = tokens.findByTokenHash(hash).filter(x -> x.usableAt(now));
                t.ifPresent(x -> tokens.touch(x.getId(), now, now.minus(TOUCH_INTERVAL)));
                return t;
            });
            if (found.isEmpty()) {
                verified.remove(hash);
                return Optional.empty();
            }
            ApiToken t = found.get();
            Caller caller = new Caller(t.getOwner().getUsername(), t.getName(), t.effectiveRole());
            if (verified.size() < VERIFIED_MAX || verified.containsKey(hash)) {
                verified.put(hash, new Verified(caller, t.getExpiresAt()));
            }
            return Optional.of(caller);
        } catch (RuntimeException e) {
            Verified v = verified.get(hash);
            if (v != null && io.lvscp.database.DatabaseStatus.isConnectionFailure(e)
                    && (v.expiresAt() == null || v.expiresAt().isAfter(now))) {
                return Optional.of(v.caller());
            }
            throw e;
        }
    }

    /** Tokens verified against the database since start, for authentication during an outage. */
    private record Verified(Caller caller, Instant expiresAt) {
    }

    private static final int VERIFIED_MAX = 10_000;
    private final java.util.Map<String, Verified> verified = new java.util.concurrent.ConcurrentHashMap<>();

    @Transactional
    public CreatedToken create(Caller caller, TokenRequest req) {
        io.lvscp.api.Requests.check(req);
        FieldErrors errors = new FieldErrors();
        errors.required("name", req.name());
        if (req.name() != null && !req.name().isBlank() && !NAME.matcher(req.name()).matches()) {
            errors.add("name", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", req.name());
        }
        Role role = req.role() == null ? caller.role()
                : errors.parse("role", req.role(), () -> io.lvscp.common.WireNamed.parse(Role.class, req.role()));
        if (role != null && !caller.role().includes(role)) {
            errors.add("role", "must not exceed your own role (" + caller.role().wireName() + ")", req.role());
        }
        Instant now = clock.instant();
        if (req.expiresAt() != null && !req.expiresAt().isAfter(now)) {
            errors.add("expiresAt", "must be in the future", req.expiresAt());
        }
        errors.throwIfAny();
        UserAccount owner = users.findByUsername(caller.username()).orElseThrow(() -> ApiException.notFound("user " + caller.username()));
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiToken t = tokens.save(new ApiToken(req.name(), owner, role, hash(token), now, req.expiresAt()));
        TokenResponse after = TokenResponse.of(t);
        events.configChange(null, null, "CREATE", "token", t.getId(),
                "created token " + t.getName() + " (" + role.wireName() + ") for " + owner.getUsername(), null, after);
        return new CreatedToken(t.getId(), t.getName(), owner.getUsername(), role.wireName(), t.getCreatedAt(), t.getExpiresAt(), token);
    }

    /** The caller's tokens; an admin sees everyone's (or one owner's). */
    @Transactional(readOnly = true)
    public PageResponse<TokenResponse> list(Caller caller, String owner, Pageable pageable) {
        Page<ApiToken> page;
        if (caller.isAdmin()) {
            page = owner == null ? tokens.findAll(pageable) : tokens.findByOwnerUsername(owner, pageable);
        } else {
            page = tokens.findByOwnerUsername(caller.username(), pageable);
        }
        return PageResponse.of(page, TokenResponse::of);
    }

    /** Revokes one of the caller's tokens (an admin: anyone's). Revoking a revoked token changes nothing. */
    @Transactional
    public void revoke(Caller caller, long id) {
        ApiToken t = tokens.findById(id).filter(x -> caller.isAdmin() || x.getOwner().getUsername().equals(caller.username()))
                .orElseThrow(() -> ApiException.notFound("token " + id));
        if (t.getRevokedAt() != null) {
            return;
        }
        TokenResponse before = TokenResponse.of(t);
        t.revoke(clock.instant());
        verified.remove(t.getTokenHash());
        events.configChange(null, null, "REVOKE", "token", t.getId(),
                "revoked token " + t.getName() + " of " + t.getOwner().getUsername(), before, TokenResponse.of(t));
    }

    /** Hex SHA-256 of the token: what the table holds. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
