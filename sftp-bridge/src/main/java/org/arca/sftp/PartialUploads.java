package org.arca.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads that have not been closed complete yet, kept on disk under the data folder and keyed by user,
 * folder and name, so a client that lost its connection can resume from the offset it reads back
 * ({@code reput}, FileZilla, WinSCP). A partial file is never an item; it is adopted into the blob store
 * only when the client closes the handle, and removed when it is older than the expiry. Thread-safe.
 */
final class PartialUploads {

    /** One unfinished upload: whose, where, and its bytes so far. */
    record Partial(String key, String userId, String folderId, String name, Path file, long size, Instant modified) {
    }

    private final Path dir;
    private final Duration expiry;
    private final Clock clock;
    /** Keys with an open write handle: one writer per partial, or two clients would interleave bytes. */
    private final Set<String> writing = ConcurrentHashMap.newKeySet();

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
        return read(key(userId, folderId, name));
    }

    /** The user's unfinished uploads in one folder, for listings. */
    List<Partial> in(String userId, String folderId) throws IOException {
        List<Partial> result = new ArrayList<>();
        try (DirectoryStream<Path> metas = Files.newDirectoryStream(dir, "*.meta")) {
            for (Path meta : metas) {
                String key = meta.getFileName().toString().replace(".meta", "");
                read(key).filter(p -> p.userId().equals(userId) && p.folderId().equals(folderId)).ifPresent(result::add);
            }
        }
        return result;
    }

    /**
     * Claims the partial for writing, creating it if needed. With {@code truncate} any earlier bytes go.
     * Throws if another handle writes to it now.
     */
    Partial begin(String userId, String folderId, String name, boolean truncate) throws IOException {
        String key = key(userId, folderId, name);
        if (!writing.add(key)) {
            throw new java.nio.file.FileSystemException(name, null, "another upload to this file is in progress");
        }
        try {
            Path part = dir.resolve(key + ".part");
            Files.writeString(dir.resolve(key + ".meta"), userId + "\n" + folderId + "\n" + name, StandardCharsets.UTF_8);
            if (truncate || !Files.exists(part)) {
                Files.write(part, new byte[0]);
            }
            return read(key).orElseThrow(() -> new NoSuchFileException(name));
        } catch (IOException | RuntimeException e) {
            writing.remove(key);
            throw e;
        }
    }

    /** Ends a write handle; the bytes stay for a resume until {@link #finish} or expiry. */
    void release(Partial partial) {
        writing.remove(partial.key());
    }

    /** Forgets a partial whose bytes became an item (the blob store moved the file) or were discarded. */
    void finish(Partial partial) throws IOException {
        Files.deleteIfExists(partial.file());
        Files.deleteIfExists(dir.resolve(partial.key() + ".meta"));
        writing.remove(partial.key());
    }

    /** Removes partial uploads untouched for longer than the expiry. */
    void sweep() throws IOException {
        Instant oldest = clock.instant().minus(expiry);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String key = file.getFileName().toString().replaceAll("\\.(part|meta)$", "");
                if (!writing.contains(key) && Files.getLastModifiedTime(file).toInstant().isBefore(oldest)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private Optional<Partial> read(String key) {
        Path meta = dir.resolve(key + ".meta");
        Path part = dir.resolve(key + ".part");
        try {
            String[] lines = Files.readString(meta, StandardCharsets.UTF_8).split("\n", 3);
            if (lines.length < 3) {
                return Optional.empty();
            }
            return Optional.of(new Partial(key, lines[0], lines[1], lines[2], part, Files.size(part),
                    Files.getLastModifiedTime(part).toInstant()));
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
