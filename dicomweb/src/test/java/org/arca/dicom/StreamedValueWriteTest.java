package org.arca.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A value streamed into its place writes the same file as the value held in memory, in every native syntax. */
class StreamedValueWriteTest {
    private static final TransferSyntax[] NATIVE = {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN};

    static DicomWriter.StreamedValue streamed(byte[] bytes, int chunk) {
        return new DicomWriter.StreamedValue() {
            @Override
            public long length() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                for (int i = 0; i < bytes.length; i += chunk) {
                    out.write(bytes, i, Math.min(chunk, bytes.length - i));
                }
            }
        };
    }

    @Test
    void streamedPixelDataWritesTheSameBytesAsPixelDataInMemory() throws IOException {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int run = 0; run < 200; run++) {
            SyntheticImage image = SyntheticImage.random(r);
            Attributes ds = image.dataset();
            // Elements after the pixel data too, as trailing padding puts there.
            if (r.nextBoolean()) {
                ds.setBytes(0xFFFCFFFC, VR.OB, new byte[r.nextInt(5)]);
            }
            byte[] pixels = r.nextBoolean() ? image.pixels() : java.util.Arrays.copyOf(image.pixels(), image.pixels().length | 1);
            VR vr = r.nextBoolean() ? VR.OB : VR.OW;
            TransferSyntax ts = NATIVE[r.nextInt(NATIVE.length)];
            ds.setBytes(Tag.PixelData, vr, pixels);
            ByteArrayOutputStream held = new ByteArrayOutputStream();
            DicomWriter.write(held, ds, ts);
            ds.remove(Tag.PixelData);
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            DicomWriter.write(streamed, ds, ts, Tag.PixelData, vr, streamed(pixels, 1 + r.nextInt(100)));
            assertThat(streamed.toByteArray()).as("seed " + seed + ", run " + run + ", " + ts.name()).isEqualTo(held.toByteArray());
        }
    }

    @Test
    void aStreamedValueThatWritesOtherThanItsLengthFailsTheWrite() {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3");
        DicomWriter.StreamedValue liar = new DicomWriter.StreamedValue() {
            @Override
            public long length() {
                return 10;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(new byte[9]);
            }
        };
        assertThatThrownBy(() -> DicomWriter.write(new ByteArrayOutputStream(), ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                Tag.PixelData, VR.OW, liar)).isInstanceOf(IOException.class).hasMessageContaining("wrote 9 bytes, not 10");
        assertThatThrownBy(() -> DicomWriter.write(new ByteArrayOutputStream(), ds, TransferSyntax.JPEG_BASELINE,
                Tag.PixelData, VR.OB, liar)).isInstanceOf(IllegalArgumentException.class);
    }
}
