package org.arca.ai;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removal of a worker's folder once its run ended: what is left behind goes with the next start's cleanup. */
final class WorkFolders {
    private WorkFolders() {
    }

    /** Deletes {@code dir} and everything in it, if it exists; never throws. */
    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // Left for the next start's cleanup of the work folder (AiRuntime#start).
        }
    }
}
