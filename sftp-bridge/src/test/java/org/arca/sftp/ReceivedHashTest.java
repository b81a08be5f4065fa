package org.arca.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The on-the-way-in hash against an independent SHA-256 of the whole content. */
class ReceivedHashTest {

    private final SplittableRandom random = new SplittableRandom();

    @RepeatedTest(20)
    void inOrderWritesOfAnySizeGiveTheContentsSha256() throws Exception {
        byte[] content = new byte[random.nextInt(0, 300_000)];
        random.nextBytes(content);
        ReceivedHash hash = new ReceivedHash();
        int at = 0;
        while (at < content.length) {
            int n = random.nextInt(1, 70_000);
            n = Math.min(n, content.length - at);
            hash.written(at, ByteBuffer.wrap(content, at, n));
            at += n;
        }
        String expected = sha256(content);
        assertThat(hash.blob(content.length)).hasValueSatisfying(blob -> {
            assertThat(blob.sha256()).isEqualTo(expected);
            assertThat(blob.size()).isEqualTo(content.length);
        });
    }

    @Test
    void aWriteAnywhereElseGivesUpForGood() {
        ReceivedHash gap = new ReceivedHash();
        gap.written(0, ByteBuffer.allocate(10));
        gap.written(20, ByteBuffer.allocate(10));
        gap.written(10, ByteBuffer.allocate(10));
        assertThat(gap.blob(30)).isEmpty();

        ReceivedHash rewrite = new ReceivedHash();
        rewrite.written(0, ByteBuffer.allocate(10));
        rewrite.written(5, ByteBuffer.allocate(5));
        assertThat(rewrite.blob(10)).isEmpty();

        ReceivedHash resumed = new ReceivedHash();
        resumed.written(1 << 20, ByteBuffer.allocate(10));
        assertThat(resumed.blob((1 << 20) + 10)).isEmpty();
    }

    @Test
    void bytesOnDiskThatWereNotHashedMeanNoHash() {
        ReceivedHash hash = new ReceivedHash();
        hash.written(0, ByteBuffer.allocate(10));
        assertThat(hash.blob(11)).as("the file holds more than was written through the handle").isEmpty();
        ReceivedHash truncated = new ReceivedHash();
        truncated.written(0, ByteBuffer.allocate(10));
        truncated.giveUp();
        assertThat(truncated.blob(10)).isEmpty();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
