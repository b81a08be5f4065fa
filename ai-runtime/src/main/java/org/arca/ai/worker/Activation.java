package org.arca.ai.worker;

/**
 * A manifest's {@code activation}, applied to one pixel's or one frame's raw outputs in place: {@code softmax}
 * over them, {@code sigmoid} of each, or {@code none}. Shared by class scores (in the server) and fractional
 * label maps (in the worker), so both read a manifest the same way.
 */
public final class Activation {
    private Activation() {
    }

    public static void apply(double[] v, String activation) {
        switch (activation) {
            case "softmax" -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double x : v) {
                    max = Math.max(max, x);
                }
                double sum = 0;
                for (int i = 0; i < v.length; i++) {
                    v[i] = Math.exp(v[i] - max);
                    sum += v[i];
                }
                for (int i = 0; i < v.length; i++) {
                    v[i] /= sum;
                }
            }
            case "sigmoid" -> {
                for (int i = 0; i < v.length; i++) {
                    v[i] = 1 / (1 + Math.exp(-v[i]));
                }
            }
            case "none" -> {
            }
            default -> throw new IllegalArgumentException("unknown activation " + activation);
        }
    }
}
