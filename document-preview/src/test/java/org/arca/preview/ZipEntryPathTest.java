package org.arca.preview;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.arca.core.ArcaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Entry names of unpacked ZIPs: {@link ZipUnpack#safePath} against java.nio's lexical normalisation on a fake
 * root, over random sequences of segments. A name is refused exactly when it is absolute or its normalised
 * path leaves the root; otherwise its folders and name are the normalised path's.
 */
class ZipEntryPathTest {
    private static final long SEED = Long.getLong("arca.zip.seed", 11L);
    /** No segment is named like the root, so a path that leaves it cannot come back in by name. */
    private static final Path ROOT = Path.of("/unpack-root");
    private static final String[] SEGMENTS = {"a", "b", "c.txt", "d e", ".", "..", "", "...", ".hidden"};

    @Test
    void randomNamesAgreeWithNormalisationOnAFakeRoot() {
        Random random = new Random(SEED);
        for (int i = 0; i < 20_000; i++) {
            String name = randomName(random);
            String unified = name.replace('\\', '/');
            ArcaException refused = catchThrowableOfType(ArcaException.class, () -> ZipUnpack.safePath(name));
            // Absolute on Unix or Windows: java.nio on Linux reads "C:a" as a relative name, so this is checked apart.
            if (unified.startsWith("/") || unified.matches("^[A-Za-z]:.*")) {
                assertThat(refused).as("'%s' (seed %d)", name, SEED).isNotNull();
                assertThat(refused.code()).isEqualTo("zip_slip");
                continue;
            }
            Path resolved = ROOT.resolve(unified).normalize();
            if (!resolved.startsWith(ROOT)) {
                assertThat(refused).as("'%s' leaves the root (seed %d)", name, SEED).isNotNull();
                assertThat(refused.code()).isEqualTo("zip_slip");
                continue;
            }
            assertThat(refused).as("'%s' stays inside (seed %d)", name, SEED).isNull();
            List<String> expected = new ArrayList<>();
            ROOT.relativize(resolved).forEach(p -> expected.add(p.toString()));
            expected.remove("");
            assertThat(ZipUnpack.safePath(name)).as("'%s' (seed %d)", name, SEED).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/x", "\\x", "a/../../x", "..\\x", "a\\..\\..\\x", "C:/x", "c:x", "C:\\Windows\\x",
            "./../x", "a/b/../../../x"})
    void namesThatLeaveTheRootOrAreAbsoluteAreRefused(String name) {
        assertArcaError(() -> ZipUnpack.safePath(name), "zip_slip");
    }

    @Test
    void dotSegmentsThatStayInsideResolve() {
        assertThat(ZipUnpack.safePath("a/./b/../c.txt")).containsExactly("a", "c.txt");
        assertThat(ZipUnpack.safePath("a\\b\\..\\c.txt")).containsExactly("a", "c.txt");
        assertThat(ZipUnpack.safePath("./a//b/./c.txt")).containsExactly("a", "b", "c.txt");
        assertThat(ZipUnpack.safePath("a/../b.txt")).containsExactly("b.txt");
        assertThat(ZipUnpack.safePath("a/..")).isEmpty();
    }

    /** Segments joined by slashes or backslashes, now and then behind a leading separator or a drive letter. */
    private static String randomName(Random random) {
        StringBuilder b = new StringBuilder();
        switch (random.nextInt(10)) {
            case 0 -> b.append('/');
            case 1 -> b.append('\\');
            case 2 -> b.append("C:");
            default -> {
            }
        }
        int n = 1 + random.nextInt(7);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(random.nextInt(4) == 0 ? '\\' : '/');
            }
            b.append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
        }
        return b.toString();
    }
}
