package org.arca.core.accounts;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import org.arca.core.ArcaException;
import org.arca.core.access.Role;

/** An account. The password hash never leaves the core. */
public record User(String id, String login, String displayName, String email, Status status, String siteId,
                   Set<Role> roles, Instant createdAt) {

    public User {
        roles = Set.copyOf(roles);
    }

    /** Registered accounts wait as PENDING until an admin approves them; DISABLED ones cannot sign in. */
    public enum Status {
        PENDING, ACTIVE, DISABLED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status parse(String text) {
            for (Status status : values()) {
                if (status.wireName().equalsIgnoreCase(text)) {
                    return status;
                }
            }
            throw ArcaException.invalid("invalid_status", "A status is pending, active or disabled.");
        }
    }
}
