package org.arca.ai;

import java.util.List;
import org.arca.ai.worker.OutputKind;

/**
 * A model package's {@code model.json}: what the model is, what it accepts, what it returns and what it may
 * use. Declarative only; nothing in it names code. Read and validated by {@link ManifestParser}.
 *
 * @param graph the graph file's name inside the package
 */
public record ModelManifest(String name, String version, String description, List<String> authors, String licence,
                            String engine, String graph, InputSpec input, OutputSpec output,
                            List<ParameterSpec> parameters, Resources resources) {

    public ModelManifest {
        authors = List.copyOf(authors);
        parameters = List.copyOf(parameters);
    }

    /**
     * How a series becomes tensors: which images qualify, how stored values become floats (modality LUT then a
     * window to [0, 1], or 8-bit rendering for {@code rgb8}), then per-channel mean and std, resizing and layout.
     * Frames are ordered along the slice normal. With {@code dimensions} 2 each frame is a tensor; with 3 the
     * series is one volume tensor, resampled to {@code width} × {@code height} × {@code depth} or to
     * {@code spacing} (x, y, z in mm) when either is given.
     */
    public record InputSpec(List<String> modalities, List<String> sopClasses, String pixels, Double windowCenter,
                            Double windowWidth, List<Double> mean, List<Double> std, int width, int height, int multipleOf,
                            int maxSide, int channels, String layout, int dimensions, int depth, List<Double> spacing) {
        public InputSpec {
            modalities = List.copyOf(modalities);
            sopClasses = List.copyOf(sopClasses);
            mean = List.copyOf(mean);
            std = List.copyOf(std);
            spacing = List.copyOf(spacing);
        }

        /** Per-frame input, as before volumes existed. */
        public InputSpec(List<String> modalities, List<String> sopClasses, String pixels, Double windowCenter,
                         Double windowWidth, List<Double> mean, List<Double> std, int width, int height, int multipleOf,
                         int maxSide, int channels, String layout) {
            this(modalities, sopClasses, pixels, windowCenter, windowWidth, mean, std, width, height, multipleOf, maxSide,
                    channels, layout, 2, 0, List.of());
        }

        /** Whether the series is one volume tensor rather than a tensor per frame. */
        public boolean volume() {
            return dimensions == 3;
        }
    }

    /**
     * What comes back: a label map per frame (stored as DICOM SEG), boxes (stored as JSON), or class scores per
     * frame (stored as JSON and CSV), the raw outputs passed through {@code activation} ({@code none},
     * {@code softmax} or {@code sigmoid}).
     *
     * @param segmentationType for a label map, {@code BINARY} (thresholded, the default) or {@code FRACTIONAL}
     *                         (each label's probability after the activation, kept as 0..255)
     * @param fractionalType   for {@code FRACTIONAL}, what the fraction means: {@code PROBABILITY} or {@code OCCUPANCY}
     */
    public record OutputSpec(OutputKind kind, double threshold, int minArea, List<String> labels, String activation,
                             String segmentationType, String fractionalType) {
        public OutputSpec {
            labels = List.copyOf(labels);
        }

        /** Whether the label map is stored as a fractional SEG of probabilities rather than a thresholded one. */
        public boolean fractional() {
            return kind == OutputKind.LABELMAP && segmentationType.equals("FRACTIONAL");
        }
    }

    /** A typed scalar the user enters when running the model: number, text or choice. */
    public record ParameterSpec(String name, String type, Object defaultValue, Double min, Double max, List<String> choices) {
        public ParameterSpec {
            choices = List.copyOf(choices);
        }
    }

    /** Limits the model asks for; the server caps each with its own settings. */
    /**
     * What a run may use: Java heap, threads, wall time, and {@code memoryMb}, all private memory of the worker
     * (heap plus what ONNX Runtime allocates natively, which the heap limit does not see).
     */
    public record Resources(int heapMb, int threads, int wallSeconds, int memoryMb) {
    }
}
