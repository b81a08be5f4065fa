package org.arca.ai;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * ONNX Runtime's native libraries for workers, unpacked from the server's class path once per server run instead
 * of once per job: left to itself, each worker inflated 20 MB out of the jar before it could load a graph. The
 * unpacked copy lives in a folder of the work directory, inside the data folder that every worker's sandbox covers,
 * and each job gets a plain copy of its own in its folder: a worker taken over by a crafted graph can change only
 * its own copy, never what the next job loads. Thread-safe.
 */
final class OrtNativeLibraries {
    /** The libraries ONNX Runtime's Java binding loads, in its order: the runtime, then its JNI glue. */
    private static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");

    private final Path folder;
    private volatile Boolean unpacked;

    /** {@code folder}: where to unpack, a folder no worker can see. */
    OrtNativeLibraries(Path folder) {
        this.folder = folder;
    }

    /**
     * Copies the libraries into {@code jobDir}'s {@code native} folder and returns the worker's JVM options that
     * load them from there; empty where this platform's libraries are not on the class path (the worker then
     * unpacks them itself, as before).
     */
    List<String> copyInto(Path jobDir) throws IOException {
        if (!unpack()) {
            return List.of();
        }
        Path target = Files.createDirectories(jobDir.resolve("native"));
        List<String> options = new ArrayList<>();
        for (String library : LIBRARIES) {
            String file = System.mapLibraryName(library);
            Path copy = Files.copy(folder.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            options.add("-Donnxruntime.native." + library + ".path=" + copy);
        }
        return options;
    }

    private boolean unpack() throws IOException {
        Boolean known = unpacked;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (unpacked == null) {
                unpacked = unpackNow();
            }
            return unpacked;
        }
    }

    private boolean unpackNow() throws IOException {
        Optional<String> platform = platform();
        if (platform.isEmpty()) {
            return false;
        }
        Files.createDirectories(folder);
        for (String library : LIBRARIES) {
            String file = System.mapLibraryName(library);
            try (InputStream in = OrtNativeLibraries.class.getResourceAsStream(
                    "/ai/onnxruntime/native/" + platform.get() + "/" + file)) {
                if (in == null) {
                    return false;
                }
                // Written beside and renamed, so a half-written library is never copied to a job.
                Path part = folder.resolve(file + ".part");
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return true;
    }

    /** ONNX Runtime's name for this platform's folder of libraries (as its loader computes it), if it ships one. */
    static Optional<String> platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.contains("nux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "osx"
                : os.contains("win") ? "win" : null;
        String archPart = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64"
                : arch.startsWith("aarch64") ? "aarch64" : null;
        return osPart == null || archPart == null ? Optional.empty() : Optional.of(osPart + "-" + archPart);
    }
}
