package org.arca.core.access;

import java.util.Locale;
import org.arca.core.ArcaException;

/** Global roles. Admins may do everything; curators approve AI models; reviewers accept or reject incoming data. */
public enum Role {
    ADMIN,
    CURATOR,
    REVIEWER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.wireName().equalsIgnoreCase(text)) {
                return role;
            }
        }
        throw ArcaException.invalid("invalid_role", "A role is admin, curator or reviewer.");
    }
}
