package org.arca.sftp;

import java.time.Instant;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.access.AccessLevel;

/** What a path names in a session's view: the fixed top levels, a folder, an item, or an unfinished upload. */
sealed interface Node {

    Instant modified();

    boolean directory();

    long size();

    /** Whether the signed-in user may change it; shown as permission bits so clients can tell. */
    boolean writable();

    /** {@code /} and {@code /collections}: listings made by Arca, not folders of the repository. */
    record Top(String name) implements Node {
        @Override
        public Instant modified() {
            return Instant.EPOCH;
        }

        @Override
        public boolean directory() {
            return true;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public boolean writable() {
            return false;
        }
    }

    record FolderNode(Folder folder) implements Node {
        @Override
        public Instant modified() {
            return folder.updatedAt();
        }

        @Override
        public boolean directory() {
            return true;
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public boolean writable() {
            return folder.access().atLeast(AccessLevel.WRITE);
        }
    }

    record ItemNode(Item item) implements Node {
        @Override
        public Instant modified() {
            return item.updatedAt();
        }

        @Override
        public boolean directory() {
            return false;
        }

        @Override
        public long size() {
            return item.size();
        }

        @Override
        public boolean writable() {
            return item.access().atLeast(AccessLevel.WRITE);
        }
    }

    /** The uploader's own unfinished upload, visible to them at its path so clients can resume it. */
    record PartialNode(PartialUploads.Partial partial) implements Node {
        @Override
        public Instant modified() {
            return partial.modified();
        }

        @Override
        public boolean directory() {
            return false;
        }

        @Override
        public long size() {
            return partial.size();
        }

        @Override
        public boolean writable() {
            return true;
        }
    }
}
