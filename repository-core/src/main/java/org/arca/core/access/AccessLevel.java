package org.arca.core.access;

import java.util.Locale;
import org.arca.core.ArcaException;

/** What a principal may do on a folder and everything below it. Ordered: each level includes the ones before. */
public enum AccessLevel {
    NONE(0),
    READ(1),
    WRITE(2),
    ADMIN(3);

    private final int rank;

    AccessLevel(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    public boolean atLeast(AccessLevel other) {
        return rank >= other.rank;
    }

    public static AccessLevel ofRank(int rank) {
        for (AccessLevel level : values()) {
            if (level.rank == rank) {
                return level;
            }
        }
        throw new IllegalArgumentException("no access level of rank " + rank);
    }

    public static AccessLevel max(AccessLevel a, AccessLevel b) {
        return a.rank >= b.rank ? a : b;
    }

    /** Parses a grantable level ({@code READ}, {@code WRITE}, {@code ADMIN}), as the API spells it. */
    public static AccessLevel parseGrantable(String text) {
        if (text != null) {
            switch (text.toUpperCase(Locale.ROOT)) {
                case "READ": return READ;
                case "WRITE": return WRITE;
                case "ADMIN": return ADMIN;
                default: break;
            }
        }
        throw ArcaException.invalid("invalid_level", "An access level is READ, WRITE or ADMIN.");
    }
}
