package org.arca.ai.worker;

/**
 * The last steps that make a model's input tensor from one frame's planes: per-channel {@code (v - mean) / std},
 * a bilinear resize to the tensor size, and the channel layout. The server runs it on frames it hands over as
 * float planes; the worker runs it on frames handed over as 8-bit RGB, so a rendered frame crosses the process
 * boundary at a quarter of the float size and still becomes the same tensor, bit for bit: both sides run this code.
 *
 * <p>Immutable and thread-safe.
 */
public record TensorRecipe(int channels, double[] mean, double[] std, int height, int width, boolean nchw) {

    public TensorRecipe {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3");
        }
        if (mean.length != 0 && mean.length != channels || std.length != 0 && std.length != channels) {
            throw new IllegalArgumentException("mean and std need one value per channel");
        }
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad tensor size " + width + "x" + height);
        }
    }

    /** The tensor of {@code planes} (one per channel, each {@code rows × columns}); the planes are changed. */
    public TensorFile.Tensor tensor(float[][] planes, int rows, int columns) {
        for (int c = 0; c < planes.length; c++) {
            double m = mean.length == 0 ? 0 : mean[c];
            double s = std.length == 0 ? 1 : std[c];
            float[] p = planes[c];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) ((p[i] - m) / s);
            }
        }
        int h = height;
        int w = width;
        float[] values = new float[planes.length * h * w];
        for (int c = 0; c < planes.length; c++) {
            float[] resized = h == rows && w == columns ? planes[c] : resize(planes[c], rows, columns, h, w);
            if (nchw) {
                System.arraycopy(resized, 0, values, c * h * w, h * w);
            } else {
                for (int i = 0; i < h * w; i++) {
                    values[i * planes.length + c] = resized[i];
                }
            }
        }
        long[] shape = nchw ? new long[] {1, planes.length, h, w} : new long[] {1, h, w, planes.length};
        return new TensorFile.Tensor(shape, values);
    }

    /**
     * The tensor of an 8-bit frame: {@code rgb} holds {@code samples} bytes per pixel (3: R, G, B; 1: a grey
     * level standing for R = G = B), scaled to [0, 1]; one channel is the luma of R, G and B.
     */
    public TensorFile.Tensor tensor(byte[] rgb, int samples, int rows, int columns) {
        int n = rows * columns;
        if (samples != 1 && samples != 3 || rgb.length != n * samples) {
            throw new IllegalArgumentException("8-bit frame of " + rgb.length + " bytes is not " + columns + "x" + rows
                    + "x" + samples);
        }
        float[][] planes = new float[channels][n];
        for (int i = 0; i < n; i++) {
            int r = rgb[i * samples] & 0xFF;
            int g = rgb[i * samples + (samples - 1) / 2] & 0xFF;
            int b = rgb[i * samples + samples - 1] & 0xFF;
            if (channels == 1) {
                planes[0][i] = (r * 0.299f + g * 0.587f + b * 0.114f) / 255f;
            } else {
                planes[0][i] = r / 255f;
                planes[1][i] = g / 255f;
                planes[2][i] = b / 255f;
            }
        }
        return tensor(planes, rows, columns);
    }

    /** Bilinear resampling with pixel centres aligned, as image libraries do. */
    public static float[] resize(float[] src, int rows, int cols, int h, int w) {
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            double sy = Math.max(0, Math.min(rows - 1, (y + 0.5) * rows / h - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(rows - 1, y0 + 1);
            double fy = sy - y0;
            for (int x = 0; x < w; x++) {
                double sx = Math.max(0, Math.min(cols - 1, (x + 0.5) * cols / w - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(cols - 1, x0 + 1);
                double fx = sx - x0;
                double top = src[y0 * cols + x0] * (1 - fx) + src[y0 * cols + x1] * fx;
                double bottom = src[y1 * cols + x0] * (1 - fx) + src[y1 * cols + x1] * fx;
                out[y * w + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }
}
