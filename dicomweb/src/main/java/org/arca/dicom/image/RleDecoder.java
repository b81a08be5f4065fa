package org.arca.dicom.image;

import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;

/**
 * Decodes one RLE Lossless frame (PS3.5 Annex G): a 64-byte header of segment offsets, then one
 * PackBits segment per byte plane, most significant byte first for each sample. The result is
 * native little endian bytes with one plane per sample (planar configuration 1).
 */
final class RleDecoder {
    private RleDecoder() {
    }

    static byte[] decode(byte[] frame, PixelDescription d) throws DicomFormatException {
        int bytesPerSample = (d.bitsAllocated() + 7) / 8;
        int pixels = d.rows() * d.columns();
        if (frame.length < 64) {
            throw new DicomFormatException("RLE frame shorter than its header", 0, Tag.PixelData);
        }
        int segments = u32(frame, 0);
        int expected = bytesPerSample * d.samplesPerPixel();
        if (segments != expected || segments > 15) {
            throw new DicomFormatException("RLE frame has " + segments + " segments, expected " + expected, 0, Tag.PixelData);
        }
        // A PackBits run turns 2 bytes into at most 128, so a frame too short for its pixels is damaged, and
        // nothing is allocated for what a few bytes claim.
        if (pixels > 64L * (frame.length - 64)) {
            throw new DicomFormatException("RLE frame of " + frame.length + " bytes cannot hold " + pixels + " pixels", 0,
                    Tag.PixelData);
        }
        byte[] out = new byte[pixels * expected];
        for (int s = 0; s < segments; s++) {
            int start = u32(frame, 4 + 4 * s);
            int end = s + 1 < segments ? u32(frame, 8 + 4 * s) : frame.length;
            if (start < 64 || end > frame.length || start > end) {
                throw new DicomFormatException("RLE segment " + s + " offsets out of range", 4 + 4 * s, Tag.PixelData);
            }
            int sample = s / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - s % bytesPerSample; // MSB segment first
            int base = sample * pixels * bytesPerSample;
            unpack(frame, start, end, out, base + byteInSample, bytesPerSample, pixels);
        }
        return out;
    }

    /** PackBits into every {@code stride}-th byte of out from {@code pos}, up to {@code count} bytes. */
    private static void unpack(byte[] in, int i, int end, byte[] out, int pos, int stride, int count) {
        int written = 0;
        while (i < end && written < count) {
            int n = in[i++];
            if (n >= 0) {
                int len = Math.min(n + 1, Math.min(end - i, count - written));
                for (int k = 0; k < len; k++) {
                    out[pos] = in[i++];
                    pos += stride;
                }
                written += len;
            } else if (n != -128 && i < end) {
                byte b = in[i++];
                int len = Math.min(-n + 1, count - written);
                for (int k = 0; k < len; k++) {
                    out[pos] = b;
                    pos += stride;
                }
                written += len;
            }
        }
    }

    private static int u32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
