package io.lvscp.security;

import io.lvscp.common.WireNamed;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who may do what; each role includes the ones before it. Which requests need which
 * role is written down in one place: {@link SecurityConfiguration}.
 */
public enum Role implements WireNamed {
    /** Reads everything (except the keepalived.conf export, which holds the VRRP passwords). */
    VIEWER("viewer"),
    /** Viewer, plus enabling, disabling, draining and adding real servers. */
    OPERATOR("operator"),
    /** Everything: clusters, directors, VRRP instances, virtual servers, deletes, import, users and tokens. */
    ADMIN("admin");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    @Override
    public String wireName() {
        return wireName;
    }

    /** Spring Security's name for the role's authority, e.g. "ROLE_OPERATOR". */
    public String authority() {
        return "ROLE_" + name();
    }

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The lower of two roles (a token never has more than its owner has now). */
    public static Role min(Role a, Role b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** This role's authority and those of every role it includes. */
    public List<GrantedAuthority> authorities() {
        List<GrantedAuthority> out = new ArrayList<>();
        for (Role r : values()) {
            if (includes(r)) {
                out.add(new SimpleGrantedAuthority(r.authority()));
            }
        }
        return out;
    }

    /** The highest role among authorities, or null. */
    public static Role of(java.util.Collection<? extends GrantedAuthority> authorities) {
        Role best = null;
        for (GrantedAuthority a : authorities) {
            for (Role r : values()) {
                if (r.authority().equals(a.getAuthority()) && (best == null || r.includes(best))) {
                    best = r;
                }
            }
        }
        return best;
    }
}
