package org.arca.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flushes while an upload arrives: one per stretch of bytes, never two at once for one upload. */
class WritebackTest {

    @TempDir
    Path dir;

    /** Holds submitted flushes until the test runs them, so when a flush starts is visible. */
    private final Queue<Runnable> queued = new ArrayDeque<>();
    private final Executor held = queued::add;

    @Test
    void flushesOncePerStretchAndNeverTwiceAtOnce() throws Exception {
        try (FileChannel file = FileChannel.open(Files.createFile(dir.resolve("upload.part")), StandardOpenOption.WRITE)) {
            Writeback writeback = new Writeback(file, held);

            writeback.written(Writeback.STRETCH_BYTES - 1);
            assertThat(queued).as("less than a stretch").isEmpty();
            writeback.written(1);
            assertThat(queued).as("a stretch gathered").hasSize(1);

            writeback.written(3 * Writeback.STRETCH_BYTES);
            assertThat(queued).as("the first flush still runs").hasSize(1);

            queued.remove().run();
            writeback.await();
            writeback.written(Writeback.STRETCH_BYTES);
            assertThat(queued).as("the next stretch after the flush ended").hasSize(1);
            queued.remove().run();
        }
    }

    @Test
    void aStoppingServerSkipsTheFlushNotTheWrite() throws Exception {
        try (FileChannel file = FileChannel.open(Files.createFile(dir.resolve("late.part")), StandardOpenOption.WRITE)) {
            Writeback writeback = new Writeback(file, task -> {
                throw new RejectedExecutionException("stopped");
            });
            writeback.written(2 * Writeback.STRETCH_BYTES);
            writeback.await();
        }
    }

    @Test
    void aFlushOfAClosedFileIsDroppedQuietly() throws Exception {
        FileChannel file = FileChannel.open(Files.createFile(dir.resolve("cut.part")), StandardOpenOption.WRITE);
        Writeback writeback = new Writeback(file, held);
        writeback.written(Writeback.STRETCH_BYTES);
        file.close();

        queued.remove().run();
        writeback.await();
    }
}
