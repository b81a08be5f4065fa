package org.arca.ai;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A class data sharing archive of the worker JVM's classes (DJL, ONNX Runtime's binding, the worker's own), so a
 * worker maps them instead of loading and verifying them from the jars again: about 0.2 s of every start. Its
 * name holds a hash of the Java runtime and the worker's class path (each jar's size and time), so another build
 * never meets it.
 *
 * <p>It is made once per server run, when the queue is idle, by a worker run on Arca's own graph and frame
 * ({@link WorkerLauncher#warmUp}),
 * never by a job's worker: a worker taken over by a crafted graph could otherwise write an archive that every
 * later worker would run. It lives in a folder of the work directory that no worker sees, and each job gets a plain
 * copy, as with the native libraries. A worker handed no archive, or one the JVM finds stale or damaged, starts
 * without it (the JVM checks and falls back by itself; its complaints are silenced). Thread-safe.
 */
final class WorkerClassArchive {
    private static final String COPY = "classes.jsa";

    private final Path file;
    private final AtomicBoolean tried = new AtomicBoolean();

    /** {@code folder}: where the archive is kept, a folder no worker can see; {@code classPath}: the workers'. */
    WorkerClassArchive(Path folder, String classPath) {
        this.file = folder.resolve("worker-" + hash(classPath) + ".jsa");
    }

    /** The worker JVM's options for {@code jobDir}: a copy of the archive in it, or none while there is no archive. */
    List<String> copyInto(Path jobDir) throws IOException {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Path copy = Files.copy(file, jobDir.resolve(COPY), StandardCopyOption.REPLACE_EXISTING);
        return List.of("-XX:SharedArchiveFile=" + copy, "-Xlog:cds*=off");
    }

    /** Whether to make the archive now: there is none, and no earlier attempt in this run failed. Once true. */
    boolean claim() {
        return !Files.isRegularFile(file) && tried.compareAndSet(false, true);
    }

    /** Undoes a {@link #claim} whose attempt was stopped from outside rather than failed: another may follow. */
    void release() {
        tried.set(false);
    }

    /** The options that make a (trusted) worker in {@code dir} write the archive as it exits. */
    List<String> makingIn(Path dir) {
        return List.of("-XX:ArchiveClassesAtExit=" + dir.resolve(COPY), "-Xlog:cds*=off");
    }

    /** Takes the archive a worker made in {@code dir} as the one later workers get. */
    void adopt(Path dir) throws IOException {
        Path made = dir.resolve(COPY);
        if (Files.isRegularFile(made) && Files.size(made) > 0) {
            Files.createDirectories(file.getParent());
            Path part = Files.createTempFile(file.getParent(), "worker-", ".part");
            Files.copy(made, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String hash(String classPath) {
        StringBuilder identity = new StringBuilder(Runtime.version().toString()).append('\n')
                .append(System.getProperty("java.home")).append('\n');
        for (String entry : classPath.split(File.pathSeparator)) {
            File f = new File(entry);
            identity.append(entry).append(' ').append(f.length()).append(' ').append(f.lastModified()).append('\n');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
