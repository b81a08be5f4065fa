package org.arca.ai.worker;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The entry point of a worker JVM: runs one job's inference and exits. The server starts it in a fresh process
 * with a folder of its own, which holds nothing of a job yet (it may be a spare started ahead); puts the request
 * ({@code request.properties}) and the graph ({@code model.onnx}) there once it checked the graph, and says so with
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
 * <p>Protocol on standard output, one line each: {@code loaded <ms>}, {@code progress <done> <total>},
 * {@code inference <ms>}, {@code input <ms>} (inference waiting for its next tensor: read, converted and copied on a
 * thread of their own), {@code output <ms>} (inference waiting to hand a result on: labelled and written on another),
 * {@code done}. Errors go to standard error and a non-zero exit status.
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
            out.println("done");
            out.flush();
            System.exit(0);
        } catch (Throwable e) {
            System.err.println("worker failed: " + describe(e));
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
        Properties request = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve("request.properties"))) {
            request.load(in);
        }
        double threshold = Double.parseDouble(request.getProperty("threshold", "0.5"));
        int minArea = Integer.parseInt(request.getProperty("minArea", "1"));
        String threads = request.getProperty("threads", "1");
        boolean scoresOnly = request.getProperty("kind", "").equals("scores");
        boolean fractional = request.getProperty("segmentationType", "BINARY").equals("FRACTIONAL");
        String activation = request.getProperty("activation", "none");
        boolean volume = request.getProperty("dimensions", "2").equals("3");
        long loadStart = System.nanoTime();
        try (Model model = Model.newInstance("model", "OnnxRuntime")) {
            model.load(dir.resolve("model.onnx"), "model", Map.of("intraOpNumThreads", threads, "interOpNumThreads", "1"));
            out.println("loaded " + (System.nanoTime() - loadStart) / 1_000_000);
            out.flush();
            long inferenceNanos = 0;
            long inputNanos = 0;
            long outputNanos = 0;
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                 TensorFile.Reader input = new TensorFile.Reader(frames);
                 DataOutputStream results = new DataOutputStream(new BufferedOutputStream(
                         Files.newOutputStream(dir.resolve("output.bin")), 1 << 16))) {
                int count = input.frames();
                results.writeInt(count);
                // Three stages a frame apart, so memory stays bounded: the next frame is read, converted and copied
                // into a tensor while this one runs, and the last one's result labelled and written meanwhile too.
                ExecutorService reader = Executors.newSingleThreadExecutor(r -> daemon(r, "arca-worker-input"));
                ExecutorService writer = Executors.newSingleThreadExecutor(r -> daemon(r, "arca-worker-output"));
                try {
                    Future<Input> ahead = count > 0 ? reader.submit(() -> Input.of(model, input.next().tensor())) : null;
                    Future<?> written = null;
                    for (int i = 0; i < count; i++) {
                        long read = System.nanoTime();
                        Input next = await(ahead);
                        if (i + 1 < count) {
                            ahead = reader.submit(() -> Input.of(model, input.next().tensor()));
                        }
                        float[] scores;
                        long[] shape;
                        String shown;
                        try (NDManager manager = next.manager()) {
                            long start = System.nanoTime();
                            inputNanos += start - read;
                            NDList output = predictor.predict(new NDList(next.array()));
                            NDArray first = output.get(0);
                            scores = first.toFloatArray();
                            shape = first.getShape().getShape();
                            shown = first.getShape().toString();
                            inferenceNanos += System.nanoTime() - start;
                        }
                        long handing = System.nanoTime();
                        if (written != null) {
                            await(written);
                        }
                        int done = i + 1;
                        written = writer.submit(() -> {
                            write(results, scores, shape, shown, scoresOnly, volume, fractional, activation, threshold, minArea);
                            // On disk before it is announced: the server reads it as soon as it sees the line below.
                            results.flush();
                            out.println("progress " + done + " " + count);
                            out.flush();
                            return null;
                        });
                        outputNanos += System.nanoTime() - handing;
                    }
                    if (written != null) {
                        long handing = System.nanoTime();
                        await(written);
                        outputNanos += System.nanoTime() - handing;
                    }
                } finally {
                    reader.shutdownNow();
                    writer.shutdownNow();
                }
            }
            out.println("inference " + inferenceNanos / 1_000_000);
            out.println("input " + inputNanos / 1_000_000);
            out.println("output " + outputNanos / 1_000_000);
        }
    }

    /** A frame's tensor, made in a manager of its own that the inference loop closes once the frame ran. */
    private record Input(NDManager manager, NDArray array) {
        static Input of(Model model, TensorFile.Tensor tensor) {
            NDManager manager = model.getNDManager().newSubManager();
            try {
                return new Input(manager, manager.create(tensor.values(), new Shape(tensor.shape())));
            } catch (RuntimeException e) {
                manager.close();
                throw e;
            }
        }
    }

    /** A frame's result from the model's first output ({@code shape}, printed {@code shown}), written to {@code results}. */
    private static void write(DataOutputStream results, float[] scores, long[] shape, String shown, boolean scoresOnly,
                              boolean volume, boolean fractional, String activation, double threshold, int minArea)
            throws IOException {
        if (scoresOnly) {
            FrameResult.ofScores(scores).write(results);
        } else if (volume) {
            if (shape.length != 4 && shape.length != 5 || shape[0] != 1) {
                throw new IllegalStateException("the model's first output has shape " + shown
                        + "; a volume's label map needs [1, C, D, H, W] or [1, D, H, W]");
            }
            int d = (int) shape[shape.length - 3];
            int h = (int) shape[shape.length - 2];
            int w = (int) shape[shape.length - 1];
            int channels = shape.length == 5 ? (int) shape[1] : 1;
            (fractional ? FractionalMaps.of(scores, channels, d, h, w, activation)
                    : LabelMaps.volume(scores, channels, d, h, w, threshold)).write(results);
        } else {
            if (shape.length < 2) {
                throw new IllegalStateException("the model's first output has shape " + shown
                        + "; a label map needs [1, C, H, W] or [1, H, W]");
            }
            int h = (int) shape[shape.length - 2];
            int w = (int) shape[shape.length - 1];
            int channels = shape.length == 4 ? (int) shape[1] : 1;
            (fractional ? FractionalMaps.of(scores, channels, 1, h, w, activation)
                    : LabelMaps.label(scores, channels, h, w, threshold, minArea)).write(results);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
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
