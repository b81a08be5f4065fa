package org.arca.core;

import java.util.List;

/** A slice of a longer list, with the length of the whole. */
public record Page<T>(List<T> entries, long total, int limit, int offset) {
    public Page {
        entries = List.copyOf(entries);
    }
}
