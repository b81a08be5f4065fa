package org.arca.ai.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a model's output map into labels and boxes, as the manifest declares: one channel is a probability
 * compared with a threshold; several channels are class scores, the label is the best one (0 = background).
 * Boxes are the 4-connected regions of each label with at least {@code minArea} pixels.
 */
final class LabelMaps {
    private LabelMaps() {
    }

    /** {@code scores} holds {@code channels} planes of h × w values (NCHW with N = 1). */
    static FrameResult label(float[] scores, int channels, int h, int w, double threshold, int minArea) {
        byte[] labels = labels(scores, channels, h * w, threshold);
        return new FrameResult(h, w, labels, boxes(labels, scores, channels, h, w, minArea));
    }

    /** A volume's label map, {@code scores} holding {@code channels} maps of d × h × w; no boxes. */
    static FrameResult volume(float[] scores, int channels, int d, int h, int w, double threshold) {
        return FrameResult.ofLabels(d, h, w, labels(scores, channels, d * h * w, threshold));
    }

    private static byte[] labels(float[] scores, int channels, int plane, double threshold) {
        byte[] labels = new byte[plane];
        for (int i = 0; i < plane; i++) {
            if (channels == 1) {
                labels[i] = (byte) (scores[i] > threshold ? 1 : 0);
            } else {
                int best = 0;
                for (int c = 1; c < channels; c++) {
                    if (scores[c * plane + i] > scores[best * plane + i]) {
                        best = c;
                    }
                }
                labels[i] = (byte) best;
            }
        }
        return labels;
    }

    private static List<FrameResult.Box> boxes(byte[] labels, float[] scores, int channels, int h, int w, int minArea) {
        List<FrameResult.Box> boxes = new ArrayList<>();
        boolean[] seen = new boolean[labels.length];
        int[] stack = new int[labels.length];
        for (int start = 0; start < labels.length; start++) {
            int label = labels[start] & 0xFF;
            if (label == 0 || seen[start]) {
                continue;
            }
            int x0 = w;
            int y0 = h;
            int x1 = -1;
            int y1 = -1;
            double sum = 0;
            int area = 0;
            int top = 0;
            stack[top++] = start;
            seen[start] = true;
            while (top > 0) {
                int p = stack[--top];
                int x = p % w;
                int y = p / w;
                x0 = Math.min(x0, x);
                y0 = Math.min(y0, y);
                x1 = Math.max(x1, x);
                y1 = Math.max(y1, y);
                sum += scores[(channels == 1 ? 0 : label) * h * w + p];
                area++;
                int[] neighbours = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1};
                for (int q : neighbours) {
                    if (q >= 0 && !seen[q] && (labels[q] & 0xFF) == label) {
                        seen[q] = true;
                        stack[top++] = q;
                    }
                }
            }
            if (area >= minArea) {
                boxes.add(new FrameResult.Box(label, x0, y0, x1 + 1, y1 + 1, (float) (sum / area)));
            }
        }
        return boxes;
    }
}
