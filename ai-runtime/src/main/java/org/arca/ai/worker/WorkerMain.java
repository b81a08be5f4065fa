package org.arca.ai.worker;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoopTranslator;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The entry point of a worker JVM: runs one job's inference and exits. The server starts it in a fresh process
 * with a folder of its own, which holds nothing of a job yet (it may be a spare started ahead); puts the request
 * ({@link WorkerRequest#FILE}) and the graph ({@code model.onnx}) there once it checked the graph, and says so with
 * {@link #GRAPH_READY} on the worker's standard input; then writes the prepared frames there (a {@link TensorFile}
 * stream) as it prepares them. So the worker's JVM starts while the
 * server extracts the graph, loads the graph while the server still decodes the series, and starts on the first
 * frame while the server prepares the next. The worker never sees the database, the blob store or the network, so a crash, an
 * out-of-memory or a hang here cannot hurt the server, which kills it on time-out.
 *
 * <p>The graph is loaded with DJL's ONNX Runtime engine through the bare {@link Model} API with the
 * {@link NoopTranslator}: no translator, serving configuration, custom operator library or class from the
 * package is ever looked up, so a model stays data, never code.
 *
 * <p>Results go to {@code output.bin} in the folder: the frame count, then one {@link FrameResult} per frame,
 * each complete on disk before its {@code progress} line, so the server reads a frame's result as soon as it is
 * announced and stores it while later frames run.
 *
 * <p>The request is a {@link WorkerRequest}; what the worker says on standard output, one line each, are
 * {@link WorkerReport}s. Errors go to standard error and a non-zero exit status.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    /**
     * The byte the server writes first to a worker's standard input once the graph is in the folder and checked:
     * the worker's JVM starts while the server still extracts and checks it.
     */
    public static final int GRAPH_READY = 'G';

    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            // ONNX Runtime's native library loads before the graph is there: while the server extracts and checks
            // it, or while a spare worker waits for its job. Nothing of a job shapes this step.
            ai.djl.engine.Engine.getEngine("OnnxRuntime");
            if (System.in.read() != GRAPH_READY) {
                throw new IOException("the server gave no graph");
            }
            run(Path.of(args[0]), System.in, out);
            out.println(new WorkerReport.Done().line());
            out.flush();
            System.exit(0);
        } catch (Throwable e) {
            System.err.println(WorkerReport.FAILED + describe(e));
            System.err.flush();
            System.exit(2);
        }
    }

    /** Runs a request folder whose frames are in its {@code input.bin}, in this JVM: benchmarks call it in-process. */
    public static void run(Path dir, PrintStream out) throws Exception {
        run(dir, Files.newInputStream(dir.resolve("input.bin")), out);
    }

    /** Runs a request folder on the frames read from {@code frames} (closed at the end): what the worker process does. */
    public static void run(Path dir, InputStream frames, PrintStream out) throws Exception {
        WorkerRequest request = WorkerRequest.readFrom(dir);
        long loadStart = System.nanoTime();
        try (Model model = Model.newInstance("model", "OnnxRuntime")) {
            model.load(dir.resolve("model.onnx"), "model",
                    Map.of("intraOpNumThreads", String.valueOf(request.threads()), "interOpNumThreads", "1"));
            out.println(new WorkerReport.Took(WorkerReport.Step.LOADED, (System.nanoTime() - loadStart) / 1_000_000).line());
            out.flush();
            List<WorkerReport.Took> took;
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                 TensorFile.Reader input = new TensorFile.Reader(frames);
                 DataOutputStream results = new DataOutputStream(new BufferedOutputStream(
                         Files.newOutputStream(dir.resolve("output.bin")), 1 << 16));
                 FramePipeline pipeline = new FramePipeline(model, predictor, request, out)) {
                took = pipeline.run(input, results);
            }
            took.forEach(t -> out.println(t.line()));
        }
    }

    /** The cause chain's messages: what a user needs to see why a graph would not load or run. */
    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 1500; t = t.getCause()) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
            // Wrapping exceptions repeat their cause's message; say each thing once.
            if (sb.indexOf(message) >= 0) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(": ");
            }
            sb.append(message);
        }
        return sb.toString().replace('\n', ' ');
    }
}
