package org.arca.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Seeded random bodies split by {@link MultipartParts} and, independently, by Angus Mail's {@code MimeMultipart}:
 * random RFC 2046 boundaries, parts from empty to MiBs holding near-delimiter bytes, preamble, epilogue and
 * transport padding or not, delivered in random read sizes around the parser's buffer. Rerun one case with
 * {@code -Dmultipart.seed=N}.
 */
class MultipartPartsPropertyTest {
    private static final String BCHARS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ";
    private static final int ITERATIONS = 400;

    /** One generated body and where each part's closing delimiter ends in it. */
    private record Body(String boundary, byte[] bytes, List<String> types, List<byte[]> contents, int[] delimiterEnds) {
    }

    /** What the parser reported, in order. */
    private static final class Recorded implements MultipartParts.Listener {
        final List<String> types = new ArrayList<>();
        final List<byte[]> contents = new ArrayList<>();
        ByteArrayOutputStream current;
        int broken;

        @Override
        public void partBegins(String contentType) {
            types.add(contentType);
            current = new ByteArrayOutputStream();
        }

        @Override
        public void partBytes(ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.get(copy);
            current.writeBytes(copy);
        }

        @Override
        public void partEnds() {
            contents.add(current.toByteArray());
            current = null;
        }

        @Override
        public void partBroken() {
            broken++;
        }
    }

    @Test
    void splitsEveryBodyAsAReferenceMimeParserDoes() throws Exception {
        long first = Long.getLong("multipart.seed", new Random().nextLong());
        int iterations = System.getProperty("multipart.seed") != null ? 1 : ITERATIONS;
        for (int i = 0; i < iterations; i++) {
            long seed = first + i;
            Random random = new Random(seed);
            Body body = body(random);
            int readSize = readSize(random);
            Recorded ours = new Recorded();
            try {
                new MultipartParts(body.boundary(), readSize).read(new Trickle(body.bytes(), chunkSize(random, readSize), random), ours);
            } catch (IOException e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
            MimeMultipart reference = new MimeMultipart(new ByteArrayDataSource(body.bytes(),
                    "multipart/related; boundary=\"" + body.boundary() + "\""));
            assertThat(ours.contents).as("seed %d: parts", seed).hasSize(reference.getCount()).hasSize(body.contents().size());
            assertThat(ours.broken).as("seed %d: broken", seed).isZero();
            for (int p = 0; p < reference.getCount(); p++) {
                MimeBodyPart part = (MimeBodyPart) reference.getBodyPart(p);
                byte[] expected = part.getRawInputStream().readAllBytes();
                assertThat(Arrays.equals(ours.contents.get(p), expected)).as("seed %d: part %d of %d, %d bytes vs %d",
                        seed, p, reference.getCount(), ours.contents.get(p).length, expected.length).isTrue();
                assertThat(Arrays.equals(expected, body.contents().get(p))).as("seed %d: the reference agrees with the generator", seed).isTrue();
                assertThat(ours.types.get(p)).as("seed %d: part %d type", seed, p).isEqualTo(part.getHeader("Content-Type", null));
            }
        }
    }

    @Test
    void aBodyCutAnywhereEndsOnlyTheWholePartsAndReportsTheBrokenOne() {
        long first = Long.getLong("multipart.seed", new Random().nextLong());
        int iterations = System.getProperty("multipart.seed") != null ? 1 : ITERATIONS;
        for (int i = 0; i < iterations; i++) {
            long seed = first + i;
            Random random = new Random(seed);
            Body body = body(random);
            int closeEnd = body.delimiterEnds()[body.delimiterEnds().length - 1] + 2;
            int cut = random.nextInt(closeEnd);
            int whole = (int) Arrays.stream(body.delimiterEnds()).limit(body.contents().size()).filter(end -> end <= cut).count();
            int readSize = readSize(random);
            Recorded ours = new Recorded();
            byte[] truncated = Arrays.copyOf(body.bytes(), cut);
            assertThatThrownBy(() -> new MultipartParts(body.boundary(), readSize).read(new Trickle(truncated, chunkSize(random, readSize), random), ours))
                    .as("seed %d", seed).isInstanceOf(IOException.class);
            assertThat(ours.broken).as("seed %d", seed).isEqualTo(1);
            assertThat(ours.contents).as("seed %d: whole parts before the cut at %d", seed, cut).hasSize(whole);
            for (int p = 0; p < whole; p++) {
                assertThat(Arrays.equals(ours.contents.get(p), body.contents().get(p))).as("seed %d: part %d", seed, p).isTrue();
            }
        }
    }

    @Test
    void aPartStreamsThroughOneReadBufferWhateverItsSize() throws IOException {
        String boundary = UUID.randomUUID().toString();
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long partSize = 512L << 20;
        Endless body = new Endless(head, partSize, tail);
        long[] given = new long[1];
        long[] mostHeldBack = new long[1];
        new MultipartParts(boundary, MultipartParts.READ_SIZE).read(body, new MultipartParts.Listener() {
            @Override
            public void partBegins(String contentType) {
            }

            @Override
            public void partBytes(ByteBuffer bytes) {
                given[0] += bytes.remaining();
                mostHeldBack[0] = Math.max(mostHeldBack[0], body.served - head.length - given[0]);
            }

            @Override
            public void partEnds() {
            }

            @Override
            public void partBroken() {
                throw new AssertionError("the body is whole");
            }
        });
        assertThat(given[0]).isEqualTo(partSize);
        assertThat(mostHeldBack[0]).as("bytes read but not yet handed on").isLessThanOrEqualTo(MultipartParts.READ_SIZE + tail.length);
    }

    private static Body body(Random random) {
        String boundary = boundary(random);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextBoolean()) {
            byte[] preamble = text(random, random.nextInt(300));
            if (indexOf(preamble, ("--" + boundary).getBytes(StandardCharsets.US_ASCII)) < 0) {
                out.writeBytes(preamble);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        out.writeBytes(("--" + boundary).getBytes(StandardCharsets.US_ASCII));
        int parts = random.nextInt(8) == 0 ? 1 + random.nextInt(40) : 1 + random.nextInt(4);
        List<String> types = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        int[] delimiterEnds = new int[parts + 1];
        for (int p = 0; p < parts; p++) {
            out.writeBytes((padding(random) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            String type = random.nextInt(4) == 0 ? "text/plain; charset=utf-8" : "application/dicom";
            out.writeBytes(("Content-Type: " + type + "\r\n" + (random.nextBoolean() ? "Content-ID: <" + p + "@arca>\r\n" : "") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] content = content(random, boundary, delimiter);
            types.add(type);
            contents.add(content);
            out.writeBytes(content);
            out.writeBytes(delimiter);
            delimiterEnds[p] = out.size();
        }
        out.writeBytes("--".getBytes(StandardCharsets.US_ASCII));
        delimiterEnds[parts] = out.size() - 2;
        if (random.nextBoolean()) {
            out.writeBytes((padding(random) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(text(random, random.nextInt(200)));
        }
        return new Body(boundary, out.toByteArray(), types, contents, delimiterEnds);
    }

    /** 1 to 70 characters of RFC 2046's bchars, not ending in a space. */
    private static String boundary(Random random) {
        int length = random.nextInt(4) == 0 ? 70 - random.nextInt(4) : 1 + random.nextInt(70);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(BCHARS.charAt(random.nextInt(i == length - 1 ? BCHARS.length() - 1 : BCHARS.length())));
        }
        return b.toString();
    }

    /** Random bytes sprinkled with CRs, LFs and prefixes of the delimiter, which must not end the part. */
    private static byte[] content(Random random, String boundary, byte[] delimiter) {
        int size = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1, 2, 3 -> random.nextInt(100);
            case 4, 5, 6, 7 -> random.nextInt(200_000);
            case 8 -> 512 * 1024;
            default -> random.nextInt(4) == 0 ? 1 + random.nextInt(4 << 20) : random.nextInt(300_000);
        };
        byte[] content = new byte[size];
        random.nextBytes(content);
        int traps = size == 0 ? 0 : random.nextInt(1 + Math.min(50, size / 8));
        for (int t = 0; t < traps; t++) {
            int length = Math.min(size, 1 + random.nextInt(delimiter.length - 1));
            int at = random.nextInt(size - length + 1);
            System.arraycopy(delimiter, random.nextInt(3) == 0 ? 1 : 0, content, at, Math.min(length, delimiter.length - 1));
        }
        // The full delimiter may not appear inside a part (RFC 2046 5.1.1); break any the dice made.
        byte[] lf = ("\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] withNext = concat(content, delimiter);
        for (int at = indexOf(withNext, lf); at >= 0 && at < content.length; at = indexOf(withNext, lf)) {
            content[at] = 'x';
            withNext[at] = 'x';
        }
        byte[] opening = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        if (content.length >= opening.length && Arrays.equals(content, 0, opening.length, opening, 0, opening.length)) {
            content[0] = 'x';
        }
        return content;
    }

    private static String padding(Random random) {
        return random.nextInt(3) == 0 ? " \t ".substring(0, 1 + random.nextInt(3)) : "";
    }

    private static byte[] text(Random random, int length) {
        byte[] text = new byte[length];
        String alphabet = "abc -\r\n" + BCHARS;
        for (int i = 0; i < length; i++) {
            text[i] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
        }
        return text;
    }

    private static int readSize(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> MultipartParts.READ_SIZE;
            case 1 -> 1 + random.nextInt(80);
            default -> 64 + random.nextInt(8192);
        };
    }

    /** How many bytes each read returns at most: 1, around the read size and its multiples, or random. */
    private static int chunkSize(Random random, int readSize) {
        return switch (random.nextInt(5)) {
            case 0 -> 1;
            case 1, 2 -> Math.max(1, readSize * (1 + random.nextInt(3)) + random.nextInt(7) - 3);
            case 3 -> 0;
            default -> 1 + random.nextInt(3 * readSize);
        };
    }

    /** A body delivered in reads of at most {@code chunk} bytes (0: a random size each time), as a network does. */
    private static final class Trickle extends InputStream {
        private final byte[] bytes;
        private final int chunk;
        private final Random random;
        private int position;

        Trickle(byte[] bytes, int chunk, Random random) {
            this.bytes = bytes;
            this.chunk = chunk;
            this.random = random;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - position), chunk > 0 ? chunk : 1 + random.nextInt(len));
            System.arraycopy(bytes, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** A head, {@code size} bytes made up as they are read, and a tail: a body too large to hold. */
    private static final class Endless extends InputStream {
        private final byte[] head;
        private final long size;
        private final byte[] tail;
        long served;

        Endless(byte[] head, long size, byte[] tail) {
            this.head = head;
            this.size = size;
            this.tail = tail;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long total = head.length + size + tail.length;
            if (served >= total) {
                return -1;
            }
            int n = (int) Math.min(len, total - served);
            for (int i = 0; i < n; i++) {
                long at = served + i;
                b[off + i] = at < head.length ? head[(int) at]
                        : at < head.length + size ? (byte) (at * 31 >>> 3) : tail[(int) (at - head.length - size)];
            }
            served += n;
            return n;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
