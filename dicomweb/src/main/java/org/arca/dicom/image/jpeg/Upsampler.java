package org.arca.dicom.image.jpeg;

/**
 * Brings a subsampled component to the full image size. Components subsampled 2:1 horizontally, or 2:1 both
 * ways, are interpolated with the triangle filter libjpeg calls "fancy upsampling" (each output sample is 3/4 of
 * the nearest input sample and 1/4 of the next nearest, edges repeated), because that is what libjpeg-based
 * decoders (DCMTK, Pillow, the JDK) show and what JFIF's centred chroma siting means; any other ratio repeats
 * samples, as libjpeg does.
 */
final class Upsampler {
    private Upsampler() {
    }

    /**
     * Writes the component's samples at full image size into {@code out}, interleaved: pixel {@code p}'s sample goes
     * to {@code out[p * step + first]}.
     *
     * @param plane   the component's decoded samples, {@code stride} per line
     * @param inWidth columns of the component that hold image samples (T.81 A.1.1)
     * @param h       the component's horizontal sampling factor; {@code hMax} the frame's largest
     */
    static void upsample(short[] plane, int stride, int inWidth, int inHeight, int h, int hMax, int v, int vMax,
                         int width, int height, int[] out, int first, int step) {
        int[] line = new int[Math.max(width, inWidth * 2)];
        int[] sums = new int[inWidth];
        for (int y = 0; y < height; y++) {
            if (h == hMax && v == vMax) {
                for (int x = 0; x < width; x++) {
                    line[x] = plane[y * stride + x];
                }
            } else if (2 * h == hMax && v == vMax && inWidth > 2) {
                for (int x = 0; x < inWidth; x++) {
                    sums[x] = plane[y * stride + x];
                }
                horizontalTriangle(sums, inWidth, line);
            } else if (2 * h == hMax && 2 * v == vMax && inWidth > 2) {
                int row = y / 2;
                // The upper output line of each pair leans on the input line above, the lower on the one below.
                int neighbour = Math.min(Math.max(y % 2 == 0 ? row - 1 : row + 1, 0), inHeight - 1);
                for (int x = 0; x < inWidth; x++) {
                    sums[x] = 3 * plane[row * stride + x] + plane[neighbour * stride + x];
                }
                bothTriangle(sums, inWidth, line);
            } else {
                // Other ratios repeat the nearest sample to the left and above (whole ratios repeat each sample).
                int in = y * v / vMax * stride;
                for (int x = 0; x < width; x++) {
                    line[x] = plane[in + x * h / hMax];
                }
            }
            for (int x = 0, o = y * width * step + first; x < width; x++, o += step) {
                out[o] = line[x];
            }
        }
    }

    /** 2:1 across one line; the rounding biases alternate (1 then 2) so that no direction is favoured. */
    private static void horizontalTriangle(int[] in, int n, int[] out) {
        out[0] = in[0];
        out[1] = (3 * in[0] + in[1] + 2) >> 2;
        for (int x = 1; x < n - 1; x++) {
            int near = 3 * in[x];
            out[2 * x] = (near + in[x - 1] + 1) >> 2;
            out[2 * x + 1] = (near + in[x + 1] + 2) >> 2;
        }
        int last = in[n - 1];
        out[2 * n - 2] = (3 * last + in[n - 2] + 1) >> 2;
        out[2 * n - 1] = last;
    }

    /** 2:1 across column sums that are already 3:1 blends of two lines, so each output is a sum over 16. */
    private static void bothTriangle(int[] sums, int n, int[] out) {
        out[0] = (4 * sums[0] + 8) >> 4;
        out[1] = (3 * sums[0] + sums[1] + 7) >> 4;
        for (int x = 1; x < n - 1; x++) {
            int near = 3 * sums[x];
            out[2 * x] = (near + sums[x - 1] + 8) >> 4;
            out[2 * x + 1] = (near + sums[x + 1] + 7) >> 4;
        }
        int last = sums[n - 1];
        out[2 * n - 2] = (3 * last + sums[n - 2] + 8) >> 4;
        out[2 * n - 1] = (4 * last + 7) >> 4;
    }
}
