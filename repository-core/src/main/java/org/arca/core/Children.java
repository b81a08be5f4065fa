package org.arca.core;

import java.util.List;

/** One page of a folder's children: folders first, then items, each by name. {@code total} counts both. */
public record Children(List<Folder> folders, List<Item> items, long total, int limit, int offset) {
    public Children {
        folders = List.copyOf(folders);
        items = List.copyOf(items);
    }
}
