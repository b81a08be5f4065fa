package org.arca.ai;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.ai.worker.Activation;
import org.arca.core.ArcaException;

/**
 * A scores model's answer for a series: per frame, the raw outputs passed through the manifest's activation
 * ({@code none}, {@code softmax} over the frame's scores, or {@code sigmoid} of each), named by the manifest's
 * labels, with the best label. Written as the JSON document's {@code instances} and as a CSV table with one row
 * per frame.
 */
final class ClassScores {
    private final List<String> labels;
    private final List<Row> rows = new ArrayList<>();

    /** One frame's scores, in label order. */
    record Row(SourceFrame frame, double[] scores) {
        String best(List<String> labels) {
            int best = 0;
            for (int i = 1; i < scores.length; i++) {
                if (scores[i] > scores[best]) {
                    best = i;
                }
            }
            return labels.get(best);
        }
    }

    ClassScores(List<String> labels) {
        this.labels = List.copyOf(labels);
    }

    /** Adds a frame; a model that gives another number of scores than there are labels ends the job clearly. */
    void add(SourceFrame frame, float[] raw, String activation) {
        if (raw.length != labels.size()) {
            throw ArcaException.invalid("scores_mismatch", "The model gave " + raw.length + " score(s) per frame; its manifest"
                    + " names " + labels.size() + " label(s).");
        }
        rows.add(new Row(frame, activate(raw, activation)));
    }

    static double[] activate(float[] raw, String activation) {
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = raw[i];
        }
        Activation.apply(out, activation);
        for (double v : out) {
            if (!Double.isFinite(v)) {
                throw ArcaException.invalid("scores_not_finite", "The model gave a score that is not a finite number.");
            }
        }
        return out;
    }

    /** The JSON document's {@code instances}: {@code sopInstanceUid}, {@code frame}, {@code scores} by label, {@code best}. */
    List<Map<String, Object>> instances() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("sopInstanceUid", r.frame().sopInstanceUid());
            entry.put("frame", r.frame().frameNumber());
            Map<String, Double> byLabel = new LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                byLabel.put(labels.get(i), r.scores()[i]);
            }
            entry.put("scores", byLabel);
            entry.put("best", r.best(labels));
            list.add(entry);
        }
        return list;
    }

    /** RFC 4180 CSV, UTF-8: a header {@code sopInstanceUid,frame,<labels>...}, then one row per frame. */
    byte[] csv() {
        StringBuilder sb = new StringBuilder();
        sb.append("sopInstanceUid,frame");
        for (String label : labels) {
            sb.append(',').append(field(label));
        }
        sb.append("\r\n");
        for (Row r : rows) {
            sb.append(field(r.frame().sopInstanceUid())).append(',').append(r.frame().frameNumber());
            for (double v : r.scores()) {
                sb.append(',').append(v);
            }
            sb.append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
