package org.arca.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A folder holding the parts of interrupted uploads a client may resume (tus, SFTP), each entry directly inside
 * it a file or a folder of files. An entry is kept while anything in it changed within the resume window, so
 * neither a restart nor {@code gc} takes a part its client can still come back for, and removed after it: a part
 * being written changes with every write, so one untouched for the whole window has no request behind it.
 */
public record ResumableParts(Path folder, Duration window) {

    /** Removes the entries untouched for longer than the window; returns how many. */
    public int sweep(Instant now) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        Instant cutoff = now.minus(window);
        int removed = 0;
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (lastChange(entry).isBefore(cutoff)) {
                    delete(entry);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep " + folder, e);
        }
        return removed;
    }

    private static Instant lastChange(Path entry) throws IOException {
        try (Stream<Path> files = Files.walk(entry)) {
            return files.map(ResumableParts::modified).max(Comparator.naturalOrder()).orElse(Instant.MAX);
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return Instant.MAX; // removed meanwhile, by its upload finishing
            }
            throw e;
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (NoSuchFileException e) {
            return Instant.MAX;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path entry) throws IOException {
        try (Stream<Path> files = Files.walk(entry)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException e) {
            // finished meanwhile
        }
    }
}
