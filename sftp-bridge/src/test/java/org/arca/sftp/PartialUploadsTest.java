package org.arca.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unfinished uploads: one writer at a time, kept for a resume, gone after the expiry. */
class PartialUploadsTest {

    @TempDir
    Path dir;

    @Test
    void aCompletedUploadLeavesNothingBehind() throws Exception {
        PartialUploads uploads = new PartialUploads(dir, Duration.ofHours(24), Clock.systemUTC());
        PartialUploads.Writing writing = uploads.begin("u1", "f1", "report.pdf", true);
        writing.channel().write(ByteBuffer.wrap(new byte[10]));
        writing.channel().close();
        uploads.finish(writing.partial());

        assertThat(uploads.find("u1", "f1", "report.pdf")).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void aPartialWaitsForItsResumeAndGoesAfterTheExpiry() throws Exception {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        PartialUploads uploads = new PartialUploads(dir, Duration.ofHours(24), Clock.fixed(now, ZoneOffset.UTC));
        PartialUploads.Writing writing = uploads.begin("u1", "f1", "scan.bin", true);
        writing.channel().write(ByteBuffer.wrap(new byte[100]));
        assertThatThrownBy(() -> uploads.begin("u1", "f1", "scan.bin", false)).isInstanceOf(FileSystemException.class);
        assertThat(uploads.in("u1", "f1")).as("listed while it is written").extracting(PartialUploads.Partial::size)
                .containsExactly(100L);
        writing.channel().close();
        uploads.release(writing.partial());

        assertThat(uploads.find("u1", "f1", "scan.bin")).hasValueSatisfying(p -> assertThat(p.size()).isEqualTo(100));
        assertThat(uploads.find("u2", "f1", "scan.bin")).as("another user's").isEmpty();
        assertThat(uploads.in("u1", "f1")).extracting(PartialUploads.Partial::name).containsExactly("scan.bin");
        PartialUploads.Writing resumed = uploads.begin("u1", "f1", "scan.bin", false);
        assertThat(resumed.partial().size()).as("kept its bytes").isEqualTo(100);
        resumed.channel().close();
        uploads.release(resumed.partial());

        uploads.sweep();
        assertThat(uploads.find("u1", "f1", "scan.bin")).as("still young").isPresent();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.setLastModifiedTime(file, FileTime.from(now.minus(Duration.ofHours(25))));
            }
        }
        uploads.sweep();
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
