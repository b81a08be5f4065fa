package org.arca.dicom.image.jpeg;

import java.util.Arrays;
import java.util.List;

/**
 * Decodes one sequential DCT scan with Huffman coding (T.81 F.2): MCU by MCU, each block's DC difference and AC
 * run-lengths, dequantised and inverse-transformed into its component's sample plane. A scan holds one component
 * (its blocks in raster order) or several interleaved (each MCU holds h x v blocks of each, T.81 A.2.3), and may
 * be divided into restart intervals that reset the DC predictions.
 */
final class ScanDecoder {
    /** ZIGZAG[k] is the natural (row-major) index of the k-th coefficient in coding order (T.81 Figure A.6). */
    static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14,
        21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53,
        60, 61, 54, 47, 55, 62, 63};

    /**
     * One component of the scan with the tables it uses.
     *
     * @param plane the component's samples, {@code stride} per line, sized to whole MCUs
     * @param quant the quantisation table in natural order
     */
    record ScanComponent(FrameHeader.Component component, short[] plane, int stride, int[] quant, HuffmanTable dc,
                         HuffmanTable ac) {
    }

    private final FrameHeader frame;
    private final List<ScanComponent> components;
    private final int restartInterval;
    private final InverseDct idct;
    private final double[] block = new double[64];
    private final int[] predictions;

    ScanDecoder(FrameHeader frame, List<ScanComponent> components, int restartInterval) {
        this.frame = frame;
        this.components = components;
        this.restartInterval = restartInterval;
        this.idct = new InverseDct(frame.precision());
        this.predictions = new int[components.size()];
    }

    void decode(EntropyReader in) throws JpegFormatException {
        boolean single = components.size() == 1;
        int across;
        int down;
        if (single) {
            // A non-interleaved scan covers only the blocks that hold samples of the image (T.81 A.2.2).
            FrameHeader.Component c = components.get(0).component();
            across = FrameHeader.ceilDiv(frame.componentWidth(c), 8);
            down = FrameHeader.ceilDiv(frame.componentHeight(c), 8);
        } else {
            across = frame.mcusAcross();
            down = frame.mcusDown();
        }
        int total = across * down;
        int nextRestart = 0;
        for (int mcu = 0; mcu < total; mcu++) {
            if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
                in.restart(nextRestart);
                nextRestart = (nextRestart + 1) & 7;
                Arrays.fill(predictions, 0);
            }
            int mx = mcu % across;
            int my = mcu / across;
            if (single) {
                decodeBlock(in, 0, mx, my);
                continue;
            }
            for (int i = 0; i < components.size(); i++) {
                FrameHeader.Component c = components.get(i).component();
                for (int by = 0; by < c.vertical(); by++) {
                    for (int bx = 0; bx < c.horizontal(); bx++) {
                        decodeBlock(in, i, mx * c.horizontal() + bx, my * c.vertical() + by);
                    }
                }
            }
        }
    }

    /** Decodes the block at block column {@code bx}, block row {@code by} of scan component {@code i}. */
    private void decodeBlock(EntropyReader in, int i, int bx, int by) throws JpegFormatException {
        ScanComponent sc = components.get(i);
        Arrays.fill(block, 0);
        int category = sc.dc().decode(in);
        if (category > 15) {
            throw new JpegFormatException("DC difference category " + category + " is more than 15", in.position());
        }
        predictions[i] += in.receiveExtend(category);
        int[] q = sc.quant();
        block[0] = (double) predictions[i] * q[0];
        for (int k = 1; k < 64; ) {
            int rs = sc.ac().decode(in);
            int run = rs >>> 4;
            int size = rs & 15;
            if (size == 0) {
                if (run != 15) {
                    break; // end of block
                }
                k += 16;
                continue;
            }
            k += run;
            if (k > 63) {
                throw new JpegFormatException("AC coefficients run past the end of a block", in.position());
            }
            int z = ZIGZAG[k];
            block[z] = (double) in.receiveExtend(size) * q[z];
            k++;
        }
        idct.transform(block, sc.plane(), by * 8 * sc.stride() + bx * 8, sc.stride());
    }
}
