package org.arca.dicom.image.jpegls;

/**
 * A JPEG-LS scan header (SOS, T.87 C.2.3).
 *
 * @param components the frame-order indexes of the scan's components
 * @param near       the near-lossless bound, 0 for lossless
 * @param interleave {@link #NONE}, {@link #LINE} or {@link #SAMPLE}; a one-component scan is always NONE
 */
record ScanHeader(int[] components, int near, int interleave) {
    static final int NONE = 0;
    static final int LINE = 1;
    static final int SAMPLE = 2;
}
