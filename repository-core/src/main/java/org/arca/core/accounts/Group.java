package org.arca.core.accounts;

import java.util.List;

/** A named set of users that ACL entries can name. */
public record Group(String id, String name, List<String> memberLogins) {
    public Group {
        memberLogins = List.copyOf(memberLogins);
    }
}
