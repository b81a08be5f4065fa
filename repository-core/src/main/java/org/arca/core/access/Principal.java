package org.arca.core.access;

/**
 * Who an ACL entry grants to. The wire form is {@code user:<login>}, {@code group:<name>},
 * {@code everyone} (anyone signed in) or {@code public} (anyone at all).
 */
public sealed interface Principal {

    String type();

    /** The stored id: a user or group id, or empty for everyone and public. */
    String id();

    record UserPrincipal(String id) implements Principal {
        public String type() {
            return "user";
        }
    }

    record GroupPrincipal(String id) implements Principal {
        public String type() {
            return "group";
        }
    }

    record Everyone() implements Principal {
        public String type() {
            return "everyone";
        }

        public String id() {
            return "";
        }
    }

    record Public() implements Principal {
        public String type() {
            return "public";
        }

        public String id() {
            return "";
        }
    }

    static Principal of(String type, String id) {
        return switch (type) {
            case "user" -> new UserPrincipal(id);
            case "group" -> new GroupPrincipal(id);
            case "everyone" -> new Everyone();
            case "public" -> new Public();
            default -> throw new IllegalStateException("unknown principal type " + type);
        };
    }
}
