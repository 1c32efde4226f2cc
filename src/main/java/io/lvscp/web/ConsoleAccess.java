package io.lvscp.web;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the signed-in user may do, for the pages to show only the controls that work for them
 * (the same rules as the API: operators drain, disable, enable and add real servers; admins
 * also change weights and remove them). The security configuration enforces it; this only hides.
 */
@ControllerAdvice(basePackageClasses = ConsoleAccess.class)
class ConsoleAccess {

    private final ObjectProvider<RoleHierarchy> hierarchy;

    ConsoleAccess(ObjectProvider<RoleHierarchy> hierarchy) {
        this.hierarchy = hierarchy;
    }

    @ModelAttribute("canOperate")
    boolean canOperate(Authentication auth) {
        return roles(auth).contains("ROLE_OPERATOR") || roles(auth).contains("ROLE_ADMIN");
    }

    @ModelAttribute("canAdmin")
    boolean canAdmin(Authentication auth) {
        return roles(auth).contains("ROLE_ADMIN");
    }

    private Set<String> roles(Authentication auth) {
        if (auth == null || !auth.isAuthenticated()) {
            return Set.of();
        }
        Collection<? extends GrantedAuthority> granted = auth.getAuthorities();
        RoleHierarchy h = hierarchy.getIfAvailable();
        if (h != null) {
            granted = h.getReachableGrantedAuthorities(granted);
        }
        return granted.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
    }
}
