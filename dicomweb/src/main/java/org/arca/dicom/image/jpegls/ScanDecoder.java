package org.arca.dicom.image.jpegls;

import java.util.Arrays;
import org.arca.dicom.DicomFormatException;

/**
 * Decodes one scan's entropy-coded data into the components it holds (T.87 Annex A and B): line by line, each
 * sample in regular or run mode from its neighbours a (left), b (above), c (above left) and d (above right).
 *
 * <p>Each component keeps two lines, with one sample of margin on either side: before a line, the left margin
 * takes the first sample above (so a = b at a line's start, and c is the line above's own left margin), the
 * right margin repeats the last sample above (d = b at the end). The line above the first, and the line above
 * the first after a restart marker, are all zeros.
 */
final class ScanDecoder {
    private final BitReader bits;
    private final CodingParameters parameters;
    private final ScanHeader scan;
    private final int columns;
    private final int rows;
    private final int restartInterval;
    private final RegularMode regular;
    private final RunMode run;
    private int[][] previous;
    private int[][] current;

    ScanDecoder(BitReader bits, CodingParameters parameters, ScanHeader scan, int rows, int columns,
                int restartInterval) {
        this.bits = bits;
        this.parameters = parameters;
        this.scan = scan;
        this.rows = rows;
        this.columns = columns;
        this.restartInterval = restartInterval;
        GolombDecoder golomb = new GolombDecoder(bits, parameters);
        this.regular = new RegularMode(parameters, golomb);
        int components = scan.components().length;
        this.run = new RunMode(parameters, golomb, bits, components);
        this.previous = new int[components][columns + 2];
        this.current = new int[components][columns + 2];
    }

    /**
     * Decodes the scan into {@code samples}, which holds rows × columns pixels of {@code frameComponents} samples
     * each, interleaved by pixel as the frame's components are numbered.
     */
    void decode(int[] samples, int frameComponents) throws DicomFormatException {
        int[] targets = scan.components();
        int restartIndex = 0;
        for (int y = 0; y < rows; y++) {
            if (restartInterval > 0 && y > 0 && y % restartInterval == 0) {
                bits.skipRestartMarker(restartIndex);
                restartIndex = (restartIndex + 1) % 8;
                restart();
            }
            if (scan.interleave() == ScanHeader.SAMPLE) {
                decodeInterleavedLine();
            } else {
                for (int c = 0; c < targets.length; c++) {
                    decodeLine(c);
                }
            }
            for (int c = 0; c < targets.length; c++) {
                int[] line = current[c];
                int at = y * columns * frameComponents + targets[c];
                for (int x = 1; x <= columns; x++, at += frameComponents) {
                    samples[at] = line[x];
                }
            }
            int[][] swap = previous;
            previous = current;
            current = swap;
        }
    }

    /** After a restart marker the statistics start afresh and the line above counts as zeros (T.87 D.3). */
    private void restart() {
        regular.reset();
        run.reset();
        for (int[] line : previous) {
            Arrays.fill(line, 0);
        }
    }

    private void prepareMargins(int c) {
        int[] above = previous[c];
        above[columns + 1] = above[columns];
        current[c][0] = above[1];
    }

    /** One line of one component (no interleaving, or line interleaving). */
    private void decodeLine(int c) throws DicomFormatException {
        prepareMargins(c);
        int[] above = previous[c];
        int[] line = current[c];
        int x = 1;
        while (x <= columns) {
            int ra = line[x - 1];
            int rb = above[x];
            int rc = above[x - 1];
            int context = context(above[x + 1] - rb, rb - rc, rc - ra);
            if (context != 0) {
                line[x] = regular.decode(context, ra, rb, rc);
                x++;
                continue;
            }
            int remaining = columns - x + 1;
            int length = run.runLength(c, remaining);
            Arrays.fill(line, x, x + length, ra);
            x += length;
            if (length < remaining) {
                line[x] = run.interruption(c, ra, above[x]);
                x++;
            }
        }
    }

    /**
     * One line of every component, sample-interleaved: a pixel goes to run mode only when all its components'
     * gradients are flat, and a run continues while the whole pixel repeats.
     */
    private void decodeInterleavedLine() throws DicomFormatException {
        int components = current.length;
        for (int c = 0; c < components; c++) {
            prepareMargins(c);
        }
        int[] contexts = new int[components];
        int x = 1;
        while (x <= columns) {
            boolean flat = true;
            for (int c = 0; c < components; c++) {
                int[] above = previous[c];
                contexts[c] = context(above[x + 1] - above[x], above[x] - above[x - 1], above[x - 1] - current[c][x - 1]);
                flat &= contexts[c] == 0;
            }
            if (!flat) {
                for (int c = 0; c < components; c++) {
                    current[c][x] = regular.decode(contexts[c], current[c][x - 1], previous[c][x], previous[c][x - 1]);
                }
                x++;
                continue;
            }
            int remaining = columns - x + 1;
            int length = run.runLength(0, remaining);
            for (int c = 0; c < components; c++) {
                Arrays.fill(current[c], x, x + length, current[c][x - 1]);
            }
            x += length;
            if (length < remaining) {
                for (int c = 0; c < components; c++) {
                    current[c][x] = run.interruptionOfInterleaved(current[c][x - 1], previous[c][x]);
                }
                run.lowerRunIndex(0);
                x++;
            }
        }
    }

    private int context(int d1, int d2, int d3) {
        return RegularMode.context(parameters.quantizeGradient(d1), parameters.quantizeGradient(d2),
                parameters.quantizeGradient(d3));
    }
}
