package org.arca.ai.worker;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/**
 * What a model returns, as its manifest's {@code output.kind} names it: a label map per frame (stored as DICOM SEG),
 * boxes around the labelled regions of each frame, or class scores per frame. The worker tells only scores from
 * the rest: label maps and boxes both come from a label map.
 */
public enum OutputKind {
    LABELMAP("labelmap"),
    BOXES("boxes"),
    SCORES("scores");

    private final String manifestName;

    OutputKind(String manifestName) {
        this.manifestName = manifestName;
    }

    /** The name in {@code model.json} and in the worker's request; a manifest shown as JSON shows it too. */
    @JsonValue
    public String manifestName() {
        return manifestName;
    }

    /** The kind {@code name} names in a manifest or a request; empty for any other text. */
    public static Optional<OutputKind> named(String name) {
        return Arrays.stream(values()).filter(k -> k.manifestName.equals(name)).findFirst();
    }
}
