package io.lvscp.security;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is making the current request: the user, the token used (null for a password or a
 * session) and the role in force (a token's, capped by its owner's).
 */
public record Caller(String username, String tokenName, Role role) {

    /** The name events record as the actor: "alice", or "alice (token ci-deploy)". */
    public String displayName() {
        return tokenName == null ? username : username + " (token " + tokenName + ")";
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** The caller of the current request, or null when nobody is authenticated. */
    public static Caller current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
            return null;
        }
        if (auth instanceof TokenAuthentication t) {
            return t.caller();
        }
        Role role = Role.of(auth.getAuthorities());
        return new Caller(auth.getName(), null, role == null ? Role.VIEWER : role);
    }
}
