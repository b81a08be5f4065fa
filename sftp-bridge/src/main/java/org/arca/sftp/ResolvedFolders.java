package org.arca.sftp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folder ids a session found by path, valid for one version of the repository's folders and grants
 * ({@link org.arca.core.access.AccessControl#version}): a lookup under another version finds nothing and forgets them
 * all. Holds the most recently used few, as a client works in a handful of directories at a time.
 */
final class ResolvedFolders {
    static final int CAPACITY = 64;

    private final Map<List<String>, String> ids = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<List<String>, String> eldest) {
            return size() > CAPACITY;
        }
    };
    private long version = -1;

    /** The folder id found for the path under this version, or null. */
    synchronized String get(List<String> path, long currentVersion) {
        if (currentVersion != version) {
            ids.clear();
            version = currentVersion;
            return null;
        }
        return ids.get(path);
    }

    /** Keeps what was found for the path, if the version it was found under is still the one held. */
    synchronized void put(List<String> path, String folderId, long foundUnder) {
        if (foundUnder == version) {
            ids.put(List.copyOf(path), folderId);
        }
    }
}
