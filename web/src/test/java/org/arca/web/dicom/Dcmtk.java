package org.arca.web.dicom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** DCMTK's command-line tools as the reference codec in tests; tests that need them are skipped without them. */
final class Dcmtk {
    private Dcmtk() {
    }

    static boolean installed(String... tools) {
        for (String tool : tools) {
            boolean found = false;
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                found |= Files.isExecutable(Path.of(dir, tool));
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    static void assumeInstalled(String... tools) {
        assumeTrue(installed(tools), "DCMTK (Debian package dcmtk) tools " + String.join(", ", tools)
                + " are not installed: this comparison against DCMTK is skipped");
    }

    /** Runs a tool; returns its output (stdout and stderr) and fails on a non-zero exit. */
    static String run(String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", args) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", args) + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    /** {@code tool [options] in out} on bytes, returning the output file's bytes. */
    static byte[] convert(byte[] input, String tool, String... options) throws IOException, InterruptedException {
        Path in = Files.createTempFile("dcmtk-in", ".dcm");
        Path out = Files.createTempFile("dcmtk-out", ".dcm");
        try {
            Files.write(in, input);
            List<String> command = new ArrayList<>(List.of(tool));
            command.addAll(List.of(options));
            command.add(in.toString());
            command.add(out.toString());
            run(command.toArray(String[]::new));
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** dcmdump's view of a file; fails when DCMTK cannot parse it. */
    static String dump(byte[] file) throws IOException, InterruptedException {
        Path in = Files.createTempFile("dcmtk-dump", ".dcm");
        try {
            Files.write(in, file);
            return run("dcmdump", "-q", "+E", in.toString());
        } finally {
            Files.deleteIfExists(in);
        }
    }
}
