package org.arca.preview;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.arca.core.ArcaException;
import org.arca.core.Repository;
import org.arca.core.access.Caller;

/**
 * Unpacks a ZIP into a folder, keeping its hierarchy: every entry becomes an item through the repository's
 * normal upload path (so names are validated, access is checked and DICOM gets indexed). Before anything is
 * written the whole central directory is checked, and the archive refused with a clear message for zip slip
 * (a {@code ..} that climbs out of the target, absolute paths), too many entries, encrypted entries, or a
 * declared size or compression ratio beyond the limits; while unpacking, the bytes actually read are counted
 * too, because declared sizes can lie.
 */
public final class ZipUnpack {

    /** Limits of one archive. */
    public record Limits(int maxEntries, long maxTotalBytes, long maxRatio) {
        public static final int DEFAULT_MAX_ENTRIES = 10_000;
        public static final long DEFAULT_MAX_TOTAL_BYTES = 20L << 30;
        public static final long DEFAULT_MAX_RATIO = 100;

        public Limits {
            if (maxEntries < 1 || maxTotalBytes < 1 || maxRatio < 1) {
                throw new IllegalArgumentException("unpack limits must all be above zero");
            }
        }

        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_RATIO);
        }
    }

    /** One file entry to unpack: its folder path and its name. */
    record Entry(ZipArchiveEntry zip, List<String> folders, String name) {
    }

    private final Repository repo;
    private final Limits limits;

    public ZipUnpack(Repository repo, Limits limits) {
        this.repo = repo;
        this.limits = limits;
    }

    /** Checks the archive and returns its file entries in order; refuses it whole if any entry is unsafe. */
    List<Entry> plan(ZipFile zip) {
        List<ZipArchiveEntry> all = Collections.list(zip.getEntries());
        if (all.size() > limits.maxEntries()) {
            throw ArcaException.invalid("too_many_entries", "The archive has " + all.size() + " entries; at most "
                    + limits.maxEntries() + " are unpacked.");
        }
        long total = 0;
        List<Entry> files = new ArrayList<>();
        for (ZipArchiveEntry e : all) {
            List<String> parts = safePath(e.getName());
            if (e.getGeneralPurposeBit().usesEncryption()) {
                throw ArcaException.invalid("encrypted_entry", "The entry '" + e.getName() + "' is encrypted; Arca cannot unpack it.");
            }
            if (e.isDirectory()) {
                continue;
            }
            if (parts.isEmpty()) {
                throw ArcaException.invalid("invalid_entry", "An entry of the archive has no name.");
            }
            long size = e.getSize();
            long packed = Math.max(1, e.getCompressedSize());
            if (size < 0 || size / packed > limits.maxRatio()) {
                throw ArcaException.invalid("zip_bomb", "The entry '" + e.getName() + "' expands more than "
                        + limits.maxRatio() + " times; the archive looks like a zip bomb.");
            }
            total += size;
            if (total > limits.maxTotalBytes()) {
                throw ArcaException.invalid("zip_bomb", "The archive unpacks to more than " + (limits.maxTotalBytes() >> 20)
                        + " MB.");
            }
            files.add(new Entry(e, parts.subList(0, parts.size() - 1), parts.get(parts.size() - 1)));
        }
        return files;
    }

    /**
     * Splits an entry name into folder names, resolving {@code .} and {@code ..} segments lexically: an entry
     * such as {@code a/./b/../c.txt} stays inside and is {@code a/c.txt}. Refuses absolute paths (a leading
     * slash or backslash, a drive letter) and any {@code ..} that climbs above the target. Backslashes count as
     * separators, as Windows tools write them. The result is empty for a name that is the target itself
     * (such as {@code ./} or {@code a/..}).
     */
    static List<String> safePath(String name) {
        String unified = name.replace('\\', '/');
        if (unified.startsWith("/") || unified.matches("^[A-Za-z]:.*")) {
            throw ArcaException.invalid("zip_slip", "The entry '" + name + "' has an absolute path; the archive is refused.");
        }
        List<String> parts = new ArrayList<>();
        for (String part : unified.split("/")) {
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw ArcaException.invalid("zip_slip", "The entry '" + name
                            + "' points outside the archive ('..'); the archive is refused.");
                }
                parts.removeLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    /**
     * Unpacks planned entries under {@code targetFolderId}, telling {@code progress} after each file.
     * Returns the number of items made.
     */
    int unpack(Caller caller, ZipFile zip, List<Entry> entries, String targetFolderId, Progress progress) throws IOException {
        Map<String, String> folderIds = new HashMap<>();
        AtomicLong read = new AtomicLong();
        int done = 0;
        for (Entry entry : entries) {
            String parent = targetFolderId;
            StringBuilder key = new StringBuilder();
            for (String name : entry.folders()) {
                key.append('/').append(name);
                String at = parent;
                parent = folderIds.computeIfAbsent(key.toString(), k -> repo.folders().child(caller, at, name).id());
            }
            try (InputStream in = new Bounded(zip.getInputStream(entry.zip()), entry.zip().getSize(), read, limits.maxTotalBytes())) {
                repo.items().upload(caller, parent, entry.name(), null, in, entry.zip().getSize(), false);
            }
            progress.entryDone(++done, entries.size());
        }
        return done;
    }

    /** Told after each unpacked file. */
    @FunctionalInterface
    interface Progress {
        void entryDone(int done, int total);
    }

    /** Stops an entry that inflates past its declared size, or the archive past its total. */
    private static final class Bounded extends FilterInputStream {
        private final long declared;
        private final AtomicLong total;
        private final long maxTotal;
        private long count;

        Bounded(InputStream in, long declared, AtomicLong total, long maxTotal) {
            super(in);
            this.declared = declared;
            this.total = total;
            this.maxTotal = maxTotal;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
                if (count > declared || total.addAndGet(n) > maxTotal) {
                    throw ArcaException.invalid("zip_bomb", "An entry holds more than its declared size; unpacking stopped.");
                }
            }
            return n;
        }
    }

    static ZipFile open(Path archive) throws IOException {
        return ZipFile.builder().setPath(archive).get();
    }

    /** Checks the target folder for WRITE before the job starts. */
    void requireTarget(Caller caller, String folderId) {
        repo.access().require(caller, folderId, org.arca.core.access.AccessLevel.WRITE, "The target folder");
    }
}
