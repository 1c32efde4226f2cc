package io.lvscp.security;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Password logins read the users table: the hash, the role (with the roles it includes) and whether the user is enabled. */
@Service
class DatabaseUserDetailsService implements UserDetailsService {

    private final UserRepository users;

    DatabaseUserDetailsService(UserRepository users) {
        this.users = users;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        UserAccount u = users.findByUsername(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
        return User.withUsername(u.getUsername()).password(u.getPasswordHash()).authorities(u.getRole().authorities())
                .disabled(!u.isEnabled()).build();
    }
}
