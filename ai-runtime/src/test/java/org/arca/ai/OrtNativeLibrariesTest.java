package org.arca.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's libraries reach each job as a copy of its own, the bytes the runtime ships, however the last job left its copy. */
class OrtNativeLibrariesTest {

    @TempDir
    Path tmp;

    @Test
    void eachJobGetsItsOwnCopyOfTheShippedLibraries() throws IOException {
        OrtNativeLibraries natives = new OrtNativeLibraries(tmp.resolve("server-only"));
        Path first = Files.createDirectories(tmp.resolve("job-1"));
        List<String> options = natives.copyInto(first);

        String runtime = System.mapLibraryName("onnxruntime");
        String glue = System.mapLibraryName("onnxruntime4j_jni");
        assertThat(options).containsExactly("-Donnxruntime.native.onnxruntime.path=" + first.resolve("native").resolve(runtime),
                "-Donnxruntime.native.onnxruntime4j_jni.path=" + first.resolve("native").resolve(glue));
        assertThat(Files.readAllBytes(first.resolve("native").resolve(runtime))).isEqualTo(shipped(runtime));
        assertThat(Files.readAllBytes(first.resolve("native").resolve(glue))).isEqualTo(shipped(glue));

        // A worker taken over by its graph may overwrite its copy; the next job must not load that.
        Files.write(first.resolve("native").resolve(runtime), new byte[] {1, 2, 3});
        Path second = Files.createDirectories(tmp.resolve("job-2"));
        natives.copyInto(second);
        assertThat(Files.readAllBytes(second.resolve("native").resolve(runtime))).isEqualTo(shipped(runtime));
    }

    private static byte[] shipped(String file) throws IOException {
        try (InputStream in = OrtNativeLibraries.class.getResourceAsStream(
                "/ai/onnxruntime/native/" + OrtNativeLibraries.platform().orElseThrow() + "/" + file)) {
            return in.readAllBytes();
        }
    }
}
