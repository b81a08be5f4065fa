package org.arca.preview;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.arca.core.Sandbox;

/**
 * Converts office documents (DOCX, ODT, RTF, DOC, PPTX, ODP, PPT…) to PDF with LibreOffice in headless mode,
 * when its {@code soffice} is installed. Each conversion is a fresh LibreOffice with its own profile folder
 * in the job's folder ({@code -env:UserInstallation}), so conversions never share or lock a profile, and a
 * wall-clock limit after which the whole process tree is killed (soffice starts oosplash, which starts
 * soffice.bin: killing only the first would leave the converter running). Thread-safe; immutable.
 */
public final class OfficeConverter {
    private static final List<Path> USUAL_PLACES = List.of(Path.of("/usr/bin/soffice"),
            Path.of("/usr/lib/libreoffice/program/soffice"), Path.of("/opt/libreoffice/program/soffice"));
    private static final Pattern SAFE_EXTENSION = Pattern.compile("[a-z0-9]{1,8}");

    private final Path command;
    private final Duration timeout;

    /** {@code command} is the {@code soffice} to run; {@code null} turns conversion off. */
    public OfficeConverter(Path command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    /** LibreOffice found on the PATH or where Debian and the LibreOffice packages put it, else conversion off. */
    public static OfficeConverter detect(Duration timeout) {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, "soffice"));
        Optional<Path> found = Stream.concat(onPath, USUAL_PLACES.stream()).filter(Files::isExecutable).findFirst();
        return new OfficeConverter(found.orElse(null), timeout);
    }

    /** Conversion off: office documents are previewed as sanitised HTML. */
    public static OfficeConverter none() {
        return new OfficeConverter(null, Duration.ZERO);
    }

    /** The same converter with another time limit. */
    public OfficeConverter withTimeout(Duration newTimeout) {
        return new OfficeConverter(command, newTimeout);
    }

    public boolean available() {
        return command != null && Files.isExecutable(command);
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * Converts {@code input} to a PDF inside {@code job} (an empty folder the caller deletes afterwards), in
     * {@code sandbox}, and
     * returns it. {@code fileName} is the document's name: LibreOffice picks its import filter partly by the
     * extension. Throws {@link PreviewException} with a sentence for the user when it fails or takes too long.
     */
    Path toPdf(Path input, String fileName, Path job, Sandbox sandbox) throws IOException, InterruptedException {
        Path out = Files.createDirectories(job.resolve("out"));
        Path profile = job.resolve("profile");
        String document = "document" + extension(fileName);
        // In the sandbox: without the network, as a document can link images and data by URL, and LibreOffice would
        // fetch them, telling an outside server that the file was opened (and from where); without the server's
        // files, the document itself given read-only; without the server's environment, and with $HOME and $TMPDIR
        // in the job's folder, where LibreOffice writes when it can.
        ProcessBuilder builder = sandbox.command(job, java.util.Map.of(document, input),
                List.of(command.toString(), "--headless", "--invisible", "--norestore",
                "--nolockcheck", "--nodefault", "--nologo", "-env:UserInstallation=" + profile.toUri(),
                "--convert-to", "pdf", "--outdir", out.toString(), job.resolve(document).toString()))
                .redirectErrorStream(true).redirectOutput(job.resolve("soffice.log").toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                throw new PreviewException("LibreOffice took longer than " + timeout.toSeconds()
                        + " s to convert the document, so there is no preview.");
            }
        } finally {
            if (process.isAlive()) {
                killTree(process);
            }
        }
        Path pdf = out.resolve("document.pdf");
        if (process.exitValue() != 0 || !Files.isRegularFile(pdf) || Files.size(pdf) == 0) {
            throw new PreviewException("LibreOffice could not read the document, so there is no preview.");
        }
        return pdf;
    }

    /** Children first, from one snapshot, so none is reparented to init and escapes before it is killed. */
    private static void killTree(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle child : tree) {
            child.onExit().completeOnTimeout(child, 5, TimeUnit.SECONDS).join();
        }
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return SAFE_EXTENSION.matcher(ext).matches() ? "." + ext : "";
    }
}
