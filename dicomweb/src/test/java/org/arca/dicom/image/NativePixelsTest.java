package org.arca.dicom.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Packing decoded samples is the inverse of reading native ones, whatever the bits, sign and High Bit. */
class NativePixelsTest {

    @Test
    void packedSamplesReadBackAsTheSameSamples() throws Exception {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int run = 0; run < 500; run++) {
            int allocated = new int[] {8, 16, 32}[r.nextInt(3)];
            int stored = 1 + r.nextInt(allocated);
            int highBit = stored - 1 + r.nextInt(allocated - stored + 1);
            boolean signed = r.nextBoolean();
            int spp = r.nextInt(3) == 0 ? 3 : 1;
            PixelDescription d = new PixelDescription(1 + r.nextInt(9), 1 + r.nextInt(9), spp, allocated, stored, highBit,
                    signed, 0, spp == 3 ? "RGB" : "MONOCHROME2", 1);
            int[] samples = new int[(int) d.samplesPerFrame()];
            for (int i = 0; i < samples.length; i++) {
                int v = (int) (r.nextLong() & ((1L << stored) - 1));
                samples[i] = signed && stored < 32 ? v << (32 - stored) >> (32 - stored) : v;
            }
            byte[] packed = NativePixels.pack(new DecodedFrame(d, samples), allocated, stored, highBit);
            assertThat((long) packed.length).isEqualTo(NativePixels.frameLength(d));
            assertThat(Frames.nativeSamples(packed, d).samples())
                    .as("seed " + seed + ", run " + run + ": " + allocated + "/" + stored + "/" + highBit + (signed ? " signed" : ""))
                    .isEqualTo(samples);
        }
    }
}
