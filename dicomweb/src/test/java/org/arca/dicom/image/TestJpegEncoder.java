package org.arca.dicom.image;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * A small sequential DCT JPEG encoder (SOF1, Huffman) for tests: 8- or 12-bit samples, any whole sampling ratio,
 * restart intervals, one interleaved scan or one scan per component. It exists because DCMTK's dcmcjpeg writes
 * neither restart intervals nor sampling factors beyond 2, and no tool here writes 12-bit streams with them; DCMTK
 * still decodes what it makes, and remains the oracle. Its Huffman tables give every symbol a code of one length
 * (5 bits for DC categories 0 to 15, 8 bits for the 226 AC run/size symbols), which is valid if not compact.
 */
final class TestJpegEncoder {
    private final int precision;
    private final int width;
    private final int height;
    private final int[][] sampling;
    private final int[][] quant;
    private final int restartInterval;
    private final boolean interleaved;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long bitBuffer;
    private int bitCount;

    /**
     * @param sampling per component its horizontal and vertical sampling factor
     * @param quant    per component a quantisation table in natural order
     */
    TestJpegEncoder(int precision, int width, int height, int[][] sampling, int[][] quant, int restartInterval,
                    boolean interleaved) {
        this.precision = precision;
        this.width = width;
        this.height = height;
        this.sampling = sampling;
        this.quant = quant;
        this.restartInterval = restartInterval;
        this.interleaved = interleaved;
    }

    /** A random quantisation table: small steps for low frequencies, larger for high ones. */
    static int[] randomQuant(Random r, int precision) {
        int base = 1 + r.nextInt(precision == 12 ? 60 : 30);
        int[] q = new int[64];
        for (int i = 0; i < 64; i++) {
            int u = i % 8;
            int v = i / 8;
            q[i] = Math.min(precision == 12 ? 4095 : 255, Math.max(precision == 12 ? 2 : 1, base * (2 + u + v) / 4
                    + r.nextInt(3)));
        }
        return q;
    }

    /** Encodes full-size samples, interleaved by pixel, one per component. */
    byte[] encode(int[] samples) {
        int n = sampling.length;
        int hMax = 0;
        int vMax = 0;
        for (int[] s : sampling) {
            hMax = Math.max(hMax, s[0]);
            vMax = Math.max(vMax, s[1]);
        }
        int mcusAcross = ceilDiv(width, 8 * hMax);
        int mcusDown = ceilDiv(height, 8 * vMax);
        int[][] planes = new int[n][];
        int[] strides = new int[n];
        for (int c = 0; c < n; c++) {
            strides[c] = mcusAcross * sampling[c][0] * 8;
            planes[c] = downsample(samples, c, n, hMax / sampling[c][0], vMax / sampling[c][1], strides[c],
                    mcusDown * sampling[c][1] * 8, ceilDiv(width * sampling[c][0], hMax),
                    ceilDiv(height * sampling[c][1], vMax));
        }
        marker(0xD8);
        for (int c = 0; c < n; c++) {
            segment(0xDB, 1 + 64 * (precision == 12 ? 2 : 1));
            out.write((precision == 12 ? 0x10 : 0) | c);
            for (int k = 0; k < 64; k++) {
                int q = quant[c][ZIGZAG[k]];
                if (precision == 12) {
                    out.write(q >> 8);
                }
                out.write(q & 0xFF);
            }
        }
        segment(0xC1, 6 + 3 * n);
        out.write(precision);
        u16(height);
        u16(width);
        out.write(n);
        for (int c = 0; c < n; c++) {
            out.write(c + 1);
            out.write(sampling[c][0] << 4 | sampling[c][1]);
            out.write(c);
        }
        segment(0xC4, 1 + 16 + 16 + 1 + 16 + AC_SYMBOLS.length);
        out.write(0x00);
        for (int len = 1; len <= 16; len++) {
            out.write(len == 5 ? 16 : 0);
        }
        for (int s = 0; s < 16; s++) {
            out.write(s);
        }
        out.write(0x10);
        for (int len = 1; len <= 16; len++) {
            out.write(len == 8 ? AC_SYMBOLS.length : 0);
        }
        for (int s : AC_SYMBOLS) {
            out.write(s);
        }
        if (restartInterval > 0) {
            segment(0xDD, 2);
            u16(restartInterval);
        }
        if (interleaved && n > 1) { // a scan of one component is never interleaved (T.81 A.2.2)
            scan(planes, strides, new int[] {0, 1, 2, 3}, n, mcusAcross, mcusDown);
        } else {
            for (int c = 0; c < n; c++) {
                scan(planes, strides, new int[] {c}, 1, ceilDiv(ceilDiv(width * sampling[c][0], hMax), 8),
                        ceilDiv(ceilDiv(height * sampling[c][1], vMax), 8));
            }
        }
        marker(0xD9);
        return out.toByteArray();
    }

    private void scan(int[][] planes, int[] strides, int[] components, int count, int across, int down) {
        segment(0xDA, 1 + 2 * count + 3);
        out.write(count);
        for (int i = 0; i < count; i++) {
            out.write(components[i] + 1);
            out.write(0x00);
        }
        out.write(0);
        out.write(63);
        out.write(0);
        int[] predictions = new int[count];
        int restarts = 0;
        for (int mcu = 0; mcu < across * down; mcu++) {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
                flush();
                marker(0xD0 + (restarts++ & 7));
                java.util.Arrays.fill(predictions, 0);
            }
            int mx = mcu % across;
            int my = mcu / across;
            for (int i = 0; i < count; i++) {
                int c = components[i];
                int h = count == 1 ? 1 : sampling[c][0];
                int v = count == 1 ? 1 : sampling[c][1];
                for (int by = 0; by < v; by++) {
                    for (int bx = 0; bx < h; bx++) {
                        int x0 = (mx * h + bx) * 8;
                        int y0 = (my * v + by) * 8;
                        predictions[i] = block(planes[c], strides[c], x0, y0, quant[c], predictions[i]);
                    }
                }
            }
        }
        flush();
    }

    /** Forward DCT, quantisation and Huffman coding of one block; returns the new DC prediction. */
    private int block(int[] plane, int stride, int x0, int y0, int[] q, int prediction) {
        int shift = 1 << (precision - 1);
        int[] coef = new int[64];
        int limit = (1 << (precision == 12 ? 14 : 10)) - 1;
        for (int v = 0; v < 8; v++) {
            for (int u = 0; u < 8; u++) {
                double sum = 0;
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        sum += (plane[(y0 + y) * stride + x0 + x] - shift) * COS[x * 8 + u] * COS[y * 8 + v];
                    }
                }
                int value = (int) Math.round(sum / q[v * 8 + u]);
                coef[v * 8 + u] = Math.max(-limit, Math.min(limit, value));
            }
        }
        int diff = coef[0] - prediction;
        int size = category(diff);
        bits(size, 5);
        bits(magnitudeBits(diff, size), size);
        int run = 0;
        for (int k = 1; k < 64; k++) {
            int value = coef[ZIGZAG[k]];
            if (value == 0) {
                run++;
                continue;
            }
            while (run > 15) {
                bits(acCode(0xF0), 8);
                run -= 16;
            }
            int s = category(value);
            bits(acCode(run << 4 | s), 8);
            bits(magnitudeBits(value, s), s);
            run = 0;
        }
        if (run > 0) {
            bits(acCode(0x00), 8);
        }
        return coef[0];
    }

    private static int category(int v) {
        int a = Math.abs(v);
        int s = 0;
        while (a > 0) {
            s++;
            a >>= 1;
        }
        return s;
    }

    private static int magnitudeBits(int v, int size) {
        return v >= 0 ? v : v + (1 << size) - 1;
    }

    private static int acCode(int symbol) {
        for (int i = 0; i < AC_SYMBOLS.length; i++) {
            if (AC_SYMBOLS[i] == symbol) {
                return i;
            }
        }
        throw new IllegalArgumentException("no AC symbol " + symbol);
    }

    private void bits(int value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            bitBuffer = bitBuffer << 1 | (value >> i & 1);
            if (++bitCount == 8) {
                int b = (int) bitBuffer & 0xFF;
                out.write(b);
                if (b == 0xFF) {
                    out.write(0); // byte stuffing
                }
                bitCount = 0;
                bitBuffer = 0;
            }
        }
    }

    /** Pads the last byte with one-bits (T.81 F.1.2.3). */
    private void flush() {
        while (bitCount != 0) {
            bits(1, 1);
        }
    }

    private int[] downsample(int[] samples, int c, int n, int fx, int fy, int stride, int rows, int compWidth,
                             int compHeight) {
        int[] plane = new int[stride * rows];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < stride; x++) {
                // Box average over the pixels this sample covers; edges repeated past the component's size.
                int cx = Math.min(x, compWidth - 1);
                int cy = Math.min(y, compHeight - 1);
                long sum = 0;
                int count = 0;
                for (int dy = 0; dy < fy; dy++) {
                    for (int dx = 0; dx < fx; dx++) {
                        int px = Math.min(cx * fx + dx, width - 1);
                        int py = Math.min(cy * fy + dy, height - 1);
                        sum += samples[(py * width + px) * n + c];
                        count++;
                    }
                }
                plane[y * stride + x] = (int) ((sum + count / 2) / count);
            }
        }
        return plane;
    }

    private void marker(int code) {
        out.write(0xFF);
        out.write(code);
    }

    private void segment(int code, int contentLength) {
        marker(code);
        u16(contentLength + 2);
    }

    private void u16(int v) {
        out.write(v >> 8);
        out.write(v & 0xFF);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static final int[] AC_SYMBOLS = acSymbols();

    private static int[] acSymbols() {
        // End of block comes late, so that zero bits (what a decoder reads past a truncation) never decode as
        // one: a stream cut short then runs on into blocks that cannot end, and the cut shows.
        int[] s = new int[2 + 16 * 14];
        int k = 0;
        for (int run = 0; run < 16; run++) {
            for (int size = 1; size <= 14; size++) {
                s[k++] = run << 4 | size;
            }
        }
        s[k++] = 0x00;
        s[k] = 0xF0;
        return s;
    }

    /** COS[x * 8 + u] = C(u) / 2 * cos((2x + 1) u pi / 16). */
    private static final double[] COS = new double[64];

    static {
        for (int x = 0; x < 8; x++) {
            for (int u = 0; u < 8; u++) {
                COS[x * 8 + u] = (u == 0 ? 1 / Math.sqrt(2) : 1) / 2 * Math.cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
    }

    private static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
        21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
        60, 61, 54, 47, 55, 62, 63};
}
