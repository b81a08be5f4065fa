package org.arca.dicom.image;

/**
 * Decoded samples written back as native pixel data (PS3.5 8.1.1, 8.2): little endian words of Bits Allocated,
 * each sample's Bits Stored placed so that its top bit is High Bit, interleaved per pixel (Planar Configuration 0).
 */
public final class NativePixels {
    private NativePixels() {
    }

    /** Bytes one native frame of {@code d} takes: rows × columns × samples per pixel words of Bits Allocated. */
    public static long frameLength(PixelDescription d) {
        return d.samplesPerFrame() * (d.bitsAllocated() / 8);
    }

    /**
     * One decoded frame as native bytes for Bits Allocated 8, 16 or 32. Signed samples keep their sign in the bits
     * above Bits Stored when High Bit is the top stored bit, as decoders such as DCMTK's write them.
     *
     * @throws IllegalArgumentException for Bits Allocated 1 (bit-packed frames share bytes, so they are not
     *                                  packed one at a time)
     */
    public static byte[] pack(DecodedFrame frame, int bitsAllocated, int bitsStored, int highBit) {
        if (bitsAllocated != 8 && bitsAllocated != 16 && bitsAllocated != 32) {
            throw new IllegalArgumentException("native frames are packed at 8, 16 or 32 bits, not " + bitsAllocated);
        }
        int[] samples = frame.samples();
        int bytesPer = bitsAllocated / 8;
        int lowBit = highBit + 1 - bitsStored;
        int storedMask = bitsStored >= 32 ? -1 : (1 << bitsStored) - 1;
        byte[] out = new byte[samples.length * bytesPer];
        for (int i = 0; i < samples.length; i++) {
            int v = lowBit == 0 ? samples[i] : (samples[i] & storedMask) << lowBit;
            for (int b = 0; b < bytesPer; b++) {
                out[i * bytesPer + b] = (byte) (v >>> (8 * b));
            }
        }
        return out;
    }
}
