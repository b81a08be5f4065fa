package org.arca.dicom.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Times DCMTK's {@code dcm2json} the way a user runs it: one process per file, started from one
 * bash loop, output to {@code /dev/null}. Each run is timed inside the loop with
 * {@code $EPOCHREALTIME}, so the JVM's cost of starting bash is not counted; the cost of starting
 * {@code dcm2json} itself is measured apart with {@code dcm2json --version}.
 */
final class Dcm2json {
    private static final String LOOP = """
            while IFS= read -r f; do
              s=$EPOCHREALTIME
              $CMD "$f" > /dev/null || exit 1
              e=$EPOCHREALTIME
              echo "${s/./} ${e/./}"
            done
            """;

    private Dcm2json() {
    }

    /** True when {@code dcm2json} is on the PATH. */
    static boolean installed() {
        try {
            return new ProcessBuilder("dcm2json", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Microseconds per file of {@code dcm2json -fc FILE} (compact JSON, as Arca writes it). */
    static long[] convert(List<Path> files) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path f : files) {
            lines.add(f.toAbsolutePath().toString());
        }
        return loop("dcm2json -fc", lines);
    }

    /** Microseconds per run of {@code dcm2json --version}: starting the process and nothing else. */
    static long[] start(int runs) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            lines.add("--version");
        }
        return loop("dcm2json", lines);
    }

    private static long[] loop(String command, List<String> args) throws IOException {
        Process p = new ProcessBuilder("bash", "-c", LOOP.replace("$CMD", command))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // Fed from another thread: the loop's output pipe must be drained while arguments go in.
        Thread feeder = Thread.ofPlatform().daemon().start(() -> {
            try (Writer w = p.outputWriter(StandardCharsets.UTF_8)) {
                for (String a : args) {
                    w.write(a);
                    w.write('\n');
                }
            } catch (IOException e) {
                p.destroy();
            }
        });
        long[] micros = new long[args.size()];
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] se = line.split(" ");
                micros[n++] = Long.parseLong(se[1]) - Long.parseLong(se[0]);
            }
        }
        try {
            feeder.join();
            if (p.waitFor() != 0 || n != micros.length) {
                throw new IOException(command + " failed after " + n + " of " + micros.length + " runs");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return micros;
    }
}
