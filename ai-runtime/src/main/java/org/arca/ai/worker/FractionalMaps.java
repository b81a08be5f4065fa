package org.arca.ai.worker;

/**
 * Turns a label-map model's raw output into what a fractional segmentation stores: each label's probability per
 * pixel, after the manifest's activation, as 0..255. The channels mean what they mean for a binary map: one
 * channel is the probability of the one label; several are class scores with channel 0 the background, so
 * label {@code k} is channel {@code k} and the background is not stored.
 */
final class FractionalMaps {
    private FractionalMaps() {
    }

    /**
     * {@code scores} holds {@code channels} maps of d × h × w values (NCHW or NCDHW with N = 1); {@code activation} is
     * {@code none} (values taken as probabilities, clamped to [0, 1]), {@code sigmoid} of each value, or
     * {@code softmax} over the channels of each pixel.
     */
    static FrameResult of(float[] scores, int channels, int d, int h, int w, String activation) {
        int plane = d * h * w;
        int first = channels == 1 ? 0 : 1;
        int planes = channels - first;
        byte[] out = new byte[planes * plane];
        double[] pixel = new double[channels];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < channels; c++) {
                pixel[c] = scores[c * plane + i];
            }
            Activation.apply(pixel, activation);
            for (int c = first; c < channels; c++) {
                out[(c - first) * plane + i] = (byte) quantise(pixel[c]);
            }
        }
        return FrameResult.ofFractions(d, h, w, out);
    }

    /** A probability as the SEG stores it with MaximumFractionalValue 255: rounded, so 0.5 is 128 and 1 is 255. */
    static int quantise(double p) {
        double clamped = Double.isNaN(p) ? 0 : Math.max(0, Math.min(1, p));
        return (int) Math.round(clamped * 255);
    }
}
