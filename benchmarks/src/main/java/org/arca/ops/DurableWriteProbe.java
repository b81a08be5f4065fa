package org.arca.ops;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the disk itself allows a store that acknowledges only durable writes: files of a given size written by
 * parallel writers, each fsynced, renamed into place and its folder fsynced (what a blob store must do, without
 * any database). A DICOM server that syncs cannot ingest faster than this; the bench prints it beside the STOW
 * rates so that a rate can be read against the disk it ran on.
 */
final class DurableWriteProbe {
    private DurableWriteProbe() {
    }

    /** Files per second. */
    static double filesPerSecond(Path scratch, int fileBytes, int files, int writers) throws Exception {
        Path dir = Files.createTempDirectory(scratch, "durable-probe");
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            byte[] content = new byte[fileBytes];
            new java.util.Random(7).nextBytes(content);
            List<Future<?>> done = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < files; i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    writeDurably(dir, "f" + n, content);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return files / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
            try (var listing = Files.list(dir)) {
                for (Path p : listing.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void writeDurably(Path dir, String name, byte[] content) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        }
    }
}
