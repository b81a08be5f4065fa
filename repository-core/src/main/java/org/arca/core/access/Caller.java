package org.arca.core.access;

import java.util.Set;

/**
 * Who is asking: the input of every access decision. Surfaces build one per request from a
 * session, a token or a password; anonymous callers hold only the {@code public} principal.
 */
public record Caller(String userId, String login, Set<String> groupIds, Set<Role> roles) {

    /** Someone who did not sign in. */
    public static final Caller ANONYMOUS = new Caller(null, "anonymous", Set.of(), Set.of());

    /** Arca itself (start-up, command line maintenance): allowed everything, audited as "system". */
    public static final Caller SYSTEM = new Caller(null, "system", Set.of(), Set.of(Role.ADMIN));

    public Caller {
        groupIds = Set.copyOf(groupIds);
        roles = Set.copyOf(roles);
    }

    public boolean signedIn() {
        return userId != null;
    }

    public boolean isAdmin() {
        return roles.contains(Role.ADMIN);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
