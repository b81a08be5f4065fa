package org.arca.ai;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.arca.ai.worker.WorkerMain;
import org.arca.core.Caller;
import org.arca.core.Repository;
import org.arca.dicomweb.DicomQueries;

/**
 * The benchmark's peer: the same input preparation and the same DJL inference as a job, but inside this JVM, with
 * no worker process, no job row and no result storage. Not for serving: a model running here could take the
 * server down with it, which is why jobs never do this.
 */
public final class InProcessInference {
    private InProcessInference() {
    }

    /** Milliseconds spent preparing the tensors, loading the graph and running it; frames processed. */
    public record Timing(int frames, long prepareMillis, long loadMillis, long inferenceMillis) {
    }

    public static Timing run(Repository repo, Caller caller, ModelVersion model, String study, String series, Path scratch)
            throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "inprocess-");
        try {
            long t = System.nanoTime();
            var frames = new InputPreparer(repo, new DicomQueries(repo)).prepare(caller, model.manifest().input(), study, series,
                    dir.resolve("input.bin"), (long) model.manifest().resources().heapMb() << 20);
            long prepare = (System.nanoTime() - t) / 1_000_000;
            new ModelRegistry(repo, scratch).extractGraph(model, dir.resolve("model.onnx"));
            Files.writeString(dir.resolve("request.properties"), "threads=" + model.manifest().resources().threads()
                    + "\ndimensions=" + model.manifest().input().dimensions() + "\n");
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            WorkerMain.run(dir, new PrintStream(said, true, StandardCharsets.UTF_8));
            Map<String, Long> reported = new java.util.HashMap<>();
            for (String line : said.toString(StandardCharsets.UTF_8).split("\n")) {
                String[] parts = line.split(" ");
                if (parts.length == 2 && (parts[0].equals("loaded") || parts[0].equals("inference"))) {
                    reported.put(parts[0], Long.parseLong(parts[1]));
                }
            }
            return new Timing(frames.size(), prepare, reported.getOrDefault("loaded", -1L), reported.getOrDefault("inference", -1L));
        } finally {
            WorkFolders.delete(dir);
        }
    }
}
