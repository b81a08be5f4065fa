package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.arca.core.blob.BlobStore;
import org.arca.core.blob.FileBlobStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Temporary files of uploads that no request owns any more (the server crashed or was killed mid-upload) go at the
 * next start and with {@code gc}; those of a write under way stay, whoever runs the sweep; parts of resumable
 * uploads stay for their resume window.
 */
class UnfinishedUploadFilesTest {

    @TempDir
    Path scratch;
    TestRepository test;
    Path tmp;

    @BeforeEach
    void open() {
        test = new TestRepository(TestDatabases.Kind.H2);
        tmp = test.dataDir().resolve("blobs").resolve(".tmp");
    }

    @AfterEach
    void close() {
        test.close();
    }

    @Test
    void aTemporaryLeftByACrashIsGoneAfterARestart() throws IOException {
        Path left = Files.writeString(tmp.resolve("upload-crashed.part"), "half an upload");
        new FileBlobStore(test.dataDir().resolve("blobs"));
        assertThat(left).doesNotExist();
    }

    @Test
    void gcRemovesTemporariesOlderThanTheGracePeriod() throws IOException {
        Path left = Files.writeString(tmp.resolve("upload-crashed.part"), "half an upload");
        assertThat(test.repo().maintenance().gc(Duration.ofHours(1)).temporariesDeleted()).isZero();
        assertThat(left).exists();
        assertThat(test.repo().maintenance().gc(Duration.ZERO).temporariesDeleted()).isEqualTo(1);
        assertThat(left).doesNotExist();
    }

    @Test
    void aWriteUnderWayKeepsItsTemporaryThroughGcAndARestartBesideIt() throws IOException {
        byte[] first = "the first half, ".getBytes(StandardCharsets.UTF_8);
        byte[] second = "and the second".getBytes(StandardCharsets.UTF_8);
        try (BlobStore.Writer writer = test.repo().blobs().writer(1000)) {
            writer.write(ByteBuffer.wrap(first));
            List<Path> live = temporaries();
            assertThat(live).hasSize(1);
            test.repo().maintenance().gc(Duration.ZERO);
            new FileBlobStore(test.dataDir().resolve("blobs"));
            assertThat(temporaries()).isEqualTo(live);
            writer.write(ByteBuffer.wrap(second));
            BlobStore.Blob blob = writer.finish();
            try (var in = test.repo().blobs().open(blob.sha256())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("the first half, and the second");
            }
        }
        assertThat(temporaries()).isEmpty();
    }

    @Test
    void aTemporaryLockedByAnotherProcessStaysUntilThatProcessLetsGo() throws Exception {
        Path held = Files.writeString(tmp.resolve("upload-other-process.part"), "written elsewhere");
        Process other = holdLock(held);
        try {
            test.repo().maintenance().gc(Duration.ZERO);
            assertThat(held).exists();
        } finally {
            other.getOutputStream().close();
            other.waitFor();
        }
        test.repo().maintenance().gc(Duration.ZERO);
        assertThat(held).doesNotExist();
    }

    @Test
    void resumablePartsStayForTheirWindowAndGoAfter() throws IOException {
        Path folder = Files.createDirectories(scratch.resolve("partial"));
        Instant now = Instant.now();
        Path expired = aged(Files.writeString(folder.resolve("expired.part"), "x"), now.minus(Duration.ofHours(25)));
        Path fresh = Files.writeString(folder.resolve("fresh.part"), "x");
        Path upload = Files.createDirectories(folder.resolve("upload-1"));
        aged(Files.writeString(upload.resolve("data"), "x"), now.minus(Duration.ofHours(30)));
        Files.writeString(upload.resolve("info"), "written a moment ago");
        Path abandoned = Files.createDirectories(folder.resolve("upload-2"));
        aged(Files.writeString(abandoned.resolve("data"), "x"), now.minus(Duration.ofHours(30)));
        aged(abandoned, now.minus(Duration.ofHours(30)));
        test.repo().maintenance().sweepResumable(new ResumableParts(folder, Duration.ofHours(24)));

        assertThat(test.repo().maintenance().gc(Duration.ZERO).temporariesDeleted()).isEqualTo(2);
        assertThat(expired).doesNotExist();
        assertThat(abandoned).doesNotExist();
        assertThat(fresh).exists();
        assertThat(upload.resolve("data")).exists();
    }

    private List<Path> temporaries() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.sorted().toList();
        }
    }

    private static Path aged(Path path, Instant when) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(when));
        return path;
    }

    /** Another JVM that locks the file as a writer does, says so, and lets go when its input closes. */
    private Process holdLock(Path file) throws IOException {
        Path source = Files.writeString(scratch.resolve("HoldLock.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;

                public class HoldLock {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                            channel.lock();
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read();
                        }
                    }
                }
                """);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(java, source.toString(), file.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return process;
    }
}
