package org.arca.ai.worker;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a loaded graph on each frame in three stages a frame apart, so memory stays bounded: the next frame is
 * read, converted and copied into a tensor while this one runs, and the last one's result labelled and written
 * meanwhile too. Each result is on disk before its {@link WorkerReport.Progress} line. Times how long inference
 * ran and how long it waited on either side.
 */
final class FramePipeline implements AutoCloseable {
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final WorkerRequest request;
    private final PrintStream out;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> daemon(r, "arca-worker-input"));
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> daemon(r, "arca-worker-output"));
    private long inferenceNanos;
    private long inputNanos;
    private long outputNanos;

    /** {@code out}: where each frame's progress line goes. */
    FramePipeline(Model model, Predictor<NDList, NDList> predictor, WorkerRequest request, PrintStream out) {
        this.model = model;
        this.predictor = predictor;
        this.request = request;
        this.out = out;
    }

    /**
     * Runs every frame of {@code input}, writing the frame count and then each frame's result to {@code results};
     * returns how long inference ran, waited for its input and waited to hand its output on.
     */
    List<WorkerReport.Took> run(TensorFile.Reader input, DataOutputStream results) throws Exception {
        int count = input.frames();
        results.writeInt(count);
        Future<Input> ahead = count > 0 ? read(input) : null;
        Future<?> written = null;
        for (int i = 0; i < count; i++) {
            long reading = System.nanoTime();
            Input next = await(ahead);
            if (i + 1 < count) {
                ahead = read(input);
            }
            ModelOutput output = infer(next, reading);
            written = handOn(written, output, results, new WorkerReport.Progress(i + 1, count));
        }
        if (written != null) {
            long handing = System.nanoTime();
            await(written);
            outputNanos += System.nanoTime() - handing;
        }
        return List.of(new WorkerReport.Took(WorkerReport.Step.INFERENCE, inferenceNanos / 1_000_000),
                new WorkerReport.Took(WorkerReport.Step.INPUT, inputNanos / 1_000_000),
                new WorkerReport.Took(WorkerReport.Step.OUTPUT, outputNanos / 1_000_000));
    }

    @Override
    public void close() {
        reader.shutdownNow();
        writer.shutdownNow();
    }

    private Future<Input> read(TensorFile.Reader input) {
        return reader.submit(() -> Input.of(model, input.next().tensor()));
    }

    /** Runs {@code next}, whose reading began at {@code readingNanos}, and frees its tensor. */
    private ModelOutput infer(Input next, long readingNanos) throws Exception {
        try (NDManager manager = next.manager()) {
            long start = System.nanoTime();
            inputNanos += start - readingNanos;
            NDList output = predictor.predict(new NDList(next.array()));
            ModelOutput first = ModelOutput.of(output.get(0));
            inferenceNanos += System.nanoTime() - start;
            return first;
        }
    }

    /** Hands {@code output} to the writer once it wrote the previous frame's result ({@code previous}). */
    private Future<?> handOn(Future<?> previous, ModelOutput output, DataOutputStream results,
                             WorkerReport.Progress progress) throws Exception {
        long handing = System.nanoTime();
        if (previous != null) {
            await(previous);
        }
        Future<?> written = writer.submit(() -> {
            output.result(request).write(results);
            // On disk before it is announced: the server reads it as soon as it sees the line below.
            results.flush();
            out.println(progress.line());
            out.flush();
            return null;
        });
        outputNanos += System.nanoTime() - handing;
        return written;
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
}
