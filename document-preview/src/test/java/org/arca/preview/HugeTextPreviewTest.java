package org.arca.preview;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.arca.core.FileKind;
import org.arca.core.StoredFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 GB text file, made sparse so the test costs no disk: its preview reads the first 256 KB only. (The whole
 * path, a real gigabyte uploaded through the REST API while the server keeps answering, is web's BadInputApiTest.)
 */
class HugeTextPreviewTest {
    @TempDir
    Path dir;

    @Test
    void aGigabyteTextFileIsShownByItsBeginning() throws Exception {
        Path blob = dir.resolve("a".repeat(64));
        try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
            // Text at the front (a real log would have it all the way), then a gigabyte of holes.
            file.write("Line one of a very long log\n".repeat(3000).getBytes(StandardCharsets.UTF_8));
            file.setLength(1L << 30);
        }
        StoredFile stored = new StoredFile("f", "i", "huge.log", Files.size(blob), "text/plain", "a".repeat(64), Instant.now());
        Previews previews = new Previews(dir.resolve("cache"), dir.resolve("work"), new PreviewLimits(Duration.ofSeconds(60), 512, 1L << 30),
                OfficeConverter.none(), org.arca.core.Sandbox.hiding(java.util.List.of(dir)));
        Previews.Result result = previews.describe(stored, FileKind.TEXT, blob);
        assertThat(result).isInstanceOf(Previews.Result.Json.class);
        String json = new String(((Previews.Result.Json) result).body(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"kind\":\"text\"").contains("Line one of a very long log").contains("\"truncated\":true");
        assertThat(json.length()).isLessThan(2_000_000);
        assertThat(stored.size()).isGreaterThan(ExtractionLimits.defaults().maxFileBytes()); // so extraction skips it
    }
}
