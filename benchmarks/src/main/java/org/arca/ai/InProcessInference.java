package org.arca.ai;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.arca.ai.worker.WorkerMain;
import org.arca.ai.worker.WorkerReport;
import org.arca.ai.worker.WorkerRequest;
import org.arca.core.Repository;
import org.arca.core.access.Caller;
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
            WorkerRequest.plain(model.manifest().input().dimensions(), model.manifest().resources().threads()).writeTo(dir);
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            WorkerMain.run(dir, new PrintStream(said, true, StandardCharsets.UTF_8));
            Map<WorkerReport.Step, Long> took = new EnumMap<>(WorkerReport.Step.class);
            for (String line : said.toString(StandardCharsets.UTF_8).split("\n")) {
                if (WorkerReport.parse(line).orElse(null) instanceof WorkerReport.Took step) {
                    took.put(step.step(), step.millis());
                }
            }
            return new Timing(frames.size(), prepare, took.getOrDefault(WorkerReport.Step.LOADED, -1L),
                    took.getOrDefault(WorkerReport.Step.INFERENCE, -1L));
        } finally {
            WorkFolders.delete(dir);
        }
    }
}
