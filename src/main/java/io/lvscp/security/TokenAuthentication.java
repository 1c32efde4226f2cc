package io.lvscp.security;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by an API token; its name (the request's remote user) is "owner (token name)". */
final class TokenAuthentication extends AbstractAuthenticationToken {

    private final Caller caller;

    TokenAuthentication(Caller caller) {
        super(caller.role().authorities());
        this.caller = caller;
        setAuthenticated(true);
    }

    Caller caller() {
        return caller;
    }

    @Override
    public Object getCredentials() {
        return null; // the token is never kept
    }

    @Override
    public Object getPrincipal() {
        return caller;
    }

    @Override
    public String getName() {
        return caller.displayName();
    }
}
