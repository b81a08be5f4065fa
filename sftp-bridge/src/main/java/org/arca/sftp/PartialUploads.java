package org.arca.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads that have not been closed complete yet, kept on disk under the data folder and keyed by user,
 * folder and name, so a client that lost its connection can resume from the offset it reads back
 * ({@code reput}, FileZilla, WinSCP). A partial file is never an item; it is adopted into the blob store
 * only when the client closes the handle, and removed when it is older than the expiry. Thread-safe.
 */
final class PartialUploads {
    private static final Logger LOG = LoggerFactory.getLogger(PartialUploads.class);

    /** One unfinished upload: whose, where, and its bytes so far. */
    record Partial(String key, String userId, String folderId, String name, Path file, long size, Instant modified) {
    }

    /** A partial claimed for writing and the channel onto its file. */
    record Writing(Partial partial, FileChannel channel) {
    }

    private final Path dir;
    private final Duration expiry;
    private final Clock clock;
    /**
     * Partials with an open write handle, by key: one writer per partial, or two clients would interleave bytes.
     * These have no description on disk yet ({@link #begin}).
     */
    private final Map<String, Partial> writing = new ConcurrentHashMap<>();

    PartialUploads(Path dir, Duration expiry, Clock clock) {
        this.dir = dir;
        this.expiry = expiry;
        this.clock = clock;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    Optional<Partial> find(String userId, String folderId, String name) {
        String key = key(userId, folderId, name);
        Partial open = writing.get(key);
        return open != null ? current(open) : read(key);
    }

    /** The user's unfinished uploads in one folder, for listings. */
    List<Partial> in(String userId, String folderId) throws IOException {
        Map<String, Partial> result = new LinkedHashMap<>();
        for (Partial open : writing.values()) {
            if (open.userId().equals(userId) && open.folderId().equals(folderId)) {
                current(open).ifPresent(p -> result.put(p.key(), p));
            }
        }
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*.meta")) {
            for (Path meta : metas) {
                String key = meta.getFileName().toString().replace(".meta", "");
                if (!result.containsKey(key)) {
                    read(key).filter(p -> p.userId().equals(userId) && p.folderId().equals(folderId))
                            .ifPresent(p -> result.put(key, p));
                }
            }
        }
        return new ArrayList<>(result.values());
    }

    /**
     * Claims the partial for writing, creating its file if needed, and opens it. With {@code truncate} any
     * earlier bytes go. Throws if another handle writes to it now. Its description is written only when the
     * handle is {@linkplain #release released} unfinished: an upload that completes (nearly all of them) then
     * costs one file, not two, and a server that crashes mid-upload leaves bytes the sweep removes.
     */
    Writing begin(String userId, String folderId, String name, boolean truncate) throws IOException {
        String key = key(userId, folderId, name);
        Path part = dir.resolve(key + ".part");
        Partial claimed = new Partial(key, userId, folderId, name, part, 0, clock.instant());
        if (writing.putIfAbsent(key, claimed) != null) {
            throw new java.nio.file.FileSystemException(name, null, "another upload to this file is in progress");
        }
        try {
            FileChannel channel = truncate
                    ? FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    : FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new Writing(new Partial(key, userId, folderId, name, part, channel.size(), claimed.modified()), channel);
        } catch (IOException | RuntimeException e) {
            writing.remove(key);
            throw e;
        }
    }

    /**
     * Ends a write handle whose upload did not complete; the bytes stay for a resume until {@link #finish} or
     * expiry. A description that cannot be written only costs the resume: the sweep removes the bytes.
     */
    void release(Partial partial) {
        try {
            Files.writeString(dir.resolve(partial.key() + ".meta"),
                    partial.userId() + "\n" + partial.folderId() + "\n" + partial.name(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            // The key, not the name: names may carry patient identifiers.
            LOG.warn("cannot describe unfinished upload {}; it cannot be resumed: {}", partial.key(), e.getMessage());
        } finally {
            writing.remove(partial.key());
        }
    }

    /** Forgets a partial whose bytes became an item (the blob store moved the file) or were discarded. */
    void finish(Partial partial) throws IOException {
        try {
            Files.deleteIfExists(partial.file());
            Files.deleteIfExists(dir.resolve(partial.key() + ".meta"));
        } finally {
            // Even so the name is free for a new upload; a file left behind goes with the sweep.
            writing.remove(partial.key());
        }
    }

    /** Removes an unfinished upload nobody writes to now; one being written stays, and is told so on its own. */
    void discard(String userId, String folderId, String name) throws IOException {
        String key = key(userId, folderId, name);
        if (!writing.containsKey(key)) {
            Files.deleteIfExists(dir.resolve(key + ".part"));
            Files.deleteIfExists(dir.resolve(key + ".meta"));
        }
    }

    /**
     * Removes every user's unfinished uploads into a folder that was deleted; one being written now fails when
     * it closes, its folder gone, and goes then.
     */
    void discardIn(String folderId) throws IOException {
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*.meta")) {
            for (Path meta : metas) {
                String key = meta.getFileName().toString().replace(".meta", "");
                Optional<Partial> partial = writing.containsKey(key) ? Optional.empty() : read(key);
                if (partial.isPresent() && partial.get().folderId().equals(folderId)) {
                    Files.deleteIfExists(partial.get().file());
                    Files.deleteIfExists(meta);
                }
            }
        }
    }

    /** Removes partial uploads untouched for longer than the expiry. */
    void sweep() throws IOException {
        Instant oldest = clock.instant().minus(expiry);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String key = file.getFileName().toString().replaceAll("\\.(part|meta)$", "");
                if (!writing.containsKey(key) && Files.getLastModifiedTime(file).toInstant().isBefore(oldest)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The partial with the size and time its file has now; empty once the file is gone. */
    private static Optional<Partial> current(Partial open) {
        try {
            return Optional.of(new Partial(open.key(), open.userId(), open.folderId(), open.name(), open.file(),
                    Files.size(open.file()), Files.getLastModifiedTime(open.file()).toInstant()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<Partial> read(String key) {
        Path meta = dir.resolve(key + ".meta");
        Path part = dir.resolve(key + ".part");
        if (!Files.exists(meta)) {
            // Nearly every upload is of a name with no partial: a failed read would cost an exception each time.
            return Optional.empty();
        }
        try {
            String[] lines = Files.readString(meta, StandardCharsets.UTF_8).split("\n", 3);
            if (lines.length < 3) {
                return Optional.empty();
            }
            return current(new Partial(key, lines[0], lines[1], lines[2], part, 0, Instant.EPOCH));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String key(String userId, String folderId, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((userId + "\u0000" + folderId + "\u0000" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
