package org.arca.core.blob;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.arca.core.ArcaException;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.Maintenance;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.Caller;
import org.arca.core.blob.BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BlobStoreTest {

    TestRepository test;
    Caller alice;
    Folder project;

    @BeforeAll
    void open() {
        test = new TestRepository(TestDatabases.Kind.H2, c -> c.withMaxUploadBytes(1000));
        alice = test.user("alice");
        project = test.repo().folders().createCollection(alice, "Blobs", null);
    }

    @AfterAll
    void close() {
        test.close();
    }

    @Test
    void aShardFolderRemovedFromOutsideIsMadeAgain() throws Exception {
        byte[] bytes = "shard removed by an operator".getBytes(StandardCharsets.UTF_8);
        BlobStore.Blob first = test.repo().blobs().write(new ByteArrayInputStream(bytes), bytes.length, 1000);
        Path shard = test.repo().blobs().path(first.sha256()).getParent();
        try (Stream<Path> files = Files.walk(shard)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThat(shard).doesNotExist();

        BlobStore.Blob again = test.repo().blobs().write(new ByteArrayInputStream(bytes), bytes.length, 1000);

        assertThat(again.sha256()).isEqualTo(first.sha256());
        assertThat(Files.readAllBytes(test.repo().blobs().path(again.sha256()))).isEqualTo(bytes);
    }

    @Test
    void identicalBytesAreStoredOnceUnderTheirSha256() throws Exception {
        Item one = test.upload(alice, project.id(), "one.txt", "identical");
        Item two = test.upload(alice, project.id(), "two.txt", "identical");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("identical".getBytes(StandardCharsets.UTF_8)));
        assertThat(one.primaryFile().sha256()).isEqualTo(sha).isEqualTo(two.primaryFile().sha256());
        assertThat(Files.readString(test.repo().blobs().path(sha))).isEqualTo("identical");
        try (Stream<Path> all = Files.walk(test.dataDir().resolve("blobs"))) {
            assertThat(all.filter(p -> p.getFileName().toString().equals(sha))).hasSize(1);
        }
    }

    @Test
    void aTruncatedUploadLeavesNoItemAndNoTemporaryFile() {
        InputStream cutOff = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 100) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };
        assertArcaError(() -> test.repo().items().upload(alice, project.id(), "cut.bin", null, cutOff, 500, false),
                ArcaException.Kind.INCOMPLETE);
        assertArcaError(() -> test.repo().items().upload(alice, project.id(), "short.bin", null,
                new ByteArrayInputStream(new byte[10]), 500, false), "incomplete_upload");
        assertThat(names(project)).doesNotContain("cut.bin", "short.bin");
        assertThat(test.dataDir().resolve("blobs/.tmp").toFile().list()).isEmpty();
    }

    @Test
    void anUploadOverTheLimitIsRefused() {
        assertArcaError(() -> test.repo().items().upload(alice, project.id(), "big.bin", null,
                new ByteArrayInputStream(new byte[1001]), -1, false), ArcaException.Kind.TOO_LARGE);
        assertThat(names(project)).doesNotContain("big.bin");
        assertThat(test.dataDir().resolve("blobs/.tmp").toFile().list()).isEmpty();
    }

    @Test
    void aFileHashedByItsWriterIsMovedInUnderThatHashAndAShortOneIsRefused() throws Exception {
        BlobStore blobs = test.repo().blobs();
        byte[] bytes = new byte[513];
        new java.util.Random(9).nextBytes(bytes);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Path file = Files.write(test.dataDir().resolve("hashed-by-writer.part"), bytes);

        assertArcaError(() -> blobs.adopt(file, new BlobStore.Blob(sha, 600)), ArcaException.Kind.INCOMPLETE);
        assertThat(file).exists();
        assertThat(blobs.exists(sha)).isFalse();

        BlobStore.Blob blob = blobs.adopt(file, new BlobStore.Blob(sha, 513));
        assertThat(blob).isEqualTo(new BlobStore.Blob(sha, 513));
        assertThat(file).doesNotExist();
        assertThat(Files.readAllBytes(blobs.path(sha))).isEqualTo(bytes);
        assertThat(blobs.verify(sha)).isTrue();
    }

    @Test
    void aPushedBlobIsStoredOnlyWhenFinished() throws Exception {
        BlobStore blobs = test.repo().blobs();
        byte[] bytes = new byte[700];
        new java.util.Random(7).nextBytes(bytes);
        BlobStore.Blob blob;
        try (BlobStore.Writer writer = blobs.writer(1000)) {
            // Pieces of odd sizes, as a multipart parser hands them over.
            for (int at = 0; at < bytes.length; at += 97) {
                writer.write(java.nio.ByteBuffer.wrap(bytes, at, Math.min(97, bytes.length - at)));
            }
            blob = writer.finish();
        }
        assertThat(blob.size()).isEqualTo(700);
        assertThat(blob.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(Files.readAllBytes(blobs.path(blob.sha256()))).isEqualTo(bytes);

        try (BlobStore.Writer abandoned = blobs.writer(1000)) {
            abandoned.write(java.nio.ByteBuffer.wrap(new byte[300]));
        }
        assertThat(blobs.exists(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[300])))).isFalse();
        try (BlobStore.Writer tooMuch = blobs.writer(1000)) {
            tooMuch.write(java.nio.ByteBuffer.wrap(new byte[600]));
            assertArcaError(() -> tooMuch.write(java.nio.ByteBuffer.wrap(new byte[600])), ArcaException.Kind.TOO_LARGE);
        }
        assertThat(test.dataDir().resolve("blobs/.tmp").toFile().list()).isEmpty();
    }

    @Test
    void verifyFindsChangedBytesAndGcFreesOnlyUnreferencedBlobs() throws Exception {
        Item kept = test.upload(alice, project.id(), "kept.txt", "kept bytes");
        Item dropped = test.upload(alice, project.id(), "dropped.txt", "dropped bytes");
        Item damaged = test.upload(alice, project.id(), "damaged.txt", "damaged bytes");
        Path damagedPath = test.repo().blobs().path(damaged.primaryFile().sha256());
        Files.writeString(damagedPath, "tampered");

        Maintenance.BlobReport report = test.repo().maintenance().verify();
        assertThat(report.corrupt()).containsExactly(damaged.primaryFile().sha256());
        assertThat(report.missing()).isEmpty();

        test.repo().items().delete(alice, dropped.id());
        assertThat(test.repo().maintenance().gc(Duration.ofHours(1)).blobsDeleted()).isZero();
        Maintenance.GcReport gc = test.repo().maintenance().gc(Duration.ZERO);
        assertThat(gc.blobsDeleted()).isEqualTo(1);
        assertThat(test.repo().blobs().exists(dropped.primaryFile().sha256())).isFalse();
        assertThat(test.repo().blobs().exists(kept.primaryFile().sha256())).isTrue();
        test.repo().items().delete(alice, damaged.id());
        test.repo().maintenance().gc(Duration.ZERO);
    }

    private java.util.List<String> names(Folder folder) {
        return test.repo().folders().children(alice, folder.id(), 1000, 0).items().stream().map(Item::name).toList();
    }
}
