package org.arca.ai.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the server asks of a worker besides its graph and frames: how to turn the model's first output into a
 * frame's result, and how many threads inference may use. The server writes it to {@link #FILE} in the worker's
 * folder before it says the graph is ready, the worker reads it from there; a key left out means its value in
 * {@link #DEFAULTS}.
 *
 * @param threshold  a label map's threshold on a label's score
 * @param minArea    the fewest pixels a region needs to become a box
 * @param activation applied to the raw outputs of a fractional label map: {@code none}, {@code softmax} or {@code sigmoid}
 * @param fractional whether a label map keeps each label's probability rather than thresholding it
 * @param dimensions 2 for a tensor per frame, 3 for one volume tensor
 * @param threads    ONNX Runtime's threads within an operator
 */
public record WorkerRequest(OutputKind kind, double threshold, int minArea, String activation, boolean fractional,
                            int dimensions, int threads) {
    /** The request's file in the worker's folder. */
    public static final String FILE = "request.properties";
    /** What each key left out of a request means. */
    public static final WorkerRequest DEFAULTS = new WorkerRequest(OutputKind.LABELMAP, 0.5, 1, "none", false, 2, 1);

    private static final String KIND = "kind";
    private static final String THRESHOLD = "threshold";
    private static final String MIN_AREA = "minArea";
    private static final String ACTIVATION = "activation";
    private static final String SEGMENTATION_TYPE = "segmentationType";
    private static final String DIMENSIONS = "dimensions";
    private static final String THREADS = "threads";
    private static final String FRACTIONAL = "FRACTIONAL";
    private static final String BINARY = "BINARY";

    /** A label map with the default post-processing: what benchmarks and warm-ups run. */
    public static WorkerRequest plain(int dimensions, int threads) {
        return new WorkerRequest(DEFAULTS.kind, DEFAULTS.threshold, DEFAULTS.minArea, DEFAULTS.activation,
                DEFAULTS.fractional, dimensions, threads);
    }

    /** Whether each frame's result is the model's scores as they came, with no label map made of them. */
    public boolean scoresOnly() {
        return kind == OutputKind.SCORES;
    }

    /** Whether the one tensor is a volume and its result a volume's label map. */
    public boolean volume() {
        return dimensions == 3;
    }

    /** Writes this request to {@link #FILE} in {@code dir}. */
    public void writeTo(Path dir) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILE))) {
            properties().store(out, "Arca worker request");
        }
    }

    /** The request in {@link #FILE} in {@code dir}. */
    public static WorkerRequest readFrom(Path dir) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(FILE))) {
            p.load(in);
        }
        return of(p);
    }

    Properties properties() {
        Properties p = new Properties();
        p.setProperty(THRESHOLD, String.valueOf(threshold));
        p.setProperty(MIN_AREA, String.valueOf(minArea));
        p.setProperty(THREADS, String.valueOf(threads));
        p.setProperty(KIND, kind.manifestName());
        p.setProperty(ACTIVATION, activation);
        p.setProperty(SEGMENTATION_TYPE, fractional ? FRACTIONAL : BINARY);
        p.setProperty(DIMENSIONS, String.valueOf(dimensions));
        return p;
    }

    static WorkerRequest of(Properties p) {
        String kind = p.getProperty(KIND);
        String threshold = p.getProperty(THRESHOLD);
        String minArea = p.getProperty(MIN_AREA);
        String segmentationType = p.getProperty(SEGMENTATION_TYPE);
        String dimensions = p.getProperty(DIMENSIONS);
        String threads = p.getProperty(THREADS);
        return new WorkerRequest(
                kind == null ? DEFAULTS.kind : OutputKind.named(kind)
                        .orElseThrow(() -> new IllegalArgumentException("the request names no output kind: " + kind)),
                threshold == null ? DEFAULTS.threshold : Double.parseDouble(threshold),
                minArea == null ? DEFAULTS.minArea : Integer.parseInt(minArea),
                p.getProperty(ACTIVATION, DEFAULTS.activation),
                segmentationType == null ? DEFAULTS.fractional : segmentationType.equals(FRACTIONAL),
                dimensions == null ? DEFAULTS.dimensions : Integer.parseInt(dimensions),
                threads == null ? DEFAULTS.threads : Integer.parseInt(threads));
    }
}
