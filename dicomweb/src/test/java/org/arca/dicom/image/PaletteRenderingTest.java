package org.arca.dicom.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicom.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PALETTE COLOR images built here with random tables (8-bit entries packed two to a word, 16-bit entries, a
 * first mapped value other than 0, segmented data), written to a file and read the way the web reads them:
 * tables longer than a few bytes left in the file as bulk data. Every pixel must show its table entry.
 */
class PaletteRenderingTest {
    private static final int SEGMENTED_RED = 0x00281221;
    private static final int SEGMENTED_GREEN = 0x00281222;
    private static final int SEGMENTED_BLUE = 0x00281223;
    private static final TransferSyntax[] SYNTAXES = {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN};

    @TempDir
    Path dir;

    /** A rows x columns image of random stored values below 2^bitsStored, without its palette. */
    private static Attributes image(Random r, int rows, int columns, int bitsAllocated, int bitsStored) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.24." + r.nextInt(1_000_000));
        TestDicom.pixelModule(ds, 1, "PALETTE COLOR", rows, columns, bitsAllocated, bitsStored);
        ByteBuffer pixels = ByteBuffer.allocate(rows * columns * bitsAllocated / 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * columns; i++) {
            int v = r.nextInt(1 << bitsStored);
            if (bitsAllocated == 8) {
                pixels.put((byte) v);
            } else {
                pixels.putShort((short) v);
            }
        }
        ds.set(Tag.PixelData, bitsAllocated == 8 ? VR.OB : VR.OW, new Value.Bytes(pixels.array()));
        return ds;
    }

    private DicomFile writtenAndReadWithBulkTables(Attributes ds, TransferSyntax ts) throws IOException {
        Path f = Files.createTempFile(dir, "palette", ".dcm");
        try (OutputStream out = Files.newOutputStream(f)) {
            DicomWriter.write(out, ds, ts);
        }
        return DicomReader.read(f, DicomReader.Options.DEFAULT.withBulkThreshold(16));
    }

    private static int stored(Attributes ds, int i) {
        byte[] p = ds.bytes(Tag.PixelData).orElseThrow();
        return ds.getInt(Tag.BitsAllocated, 8) == 8 ? p[i] & 0xFF : ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).getShort(i * 2) & 0xFFFF;
    }

    @Test
    void everyPixelShowsItsEntryWhateverTheEntrySizeFirstValueAndEncoding() throws IOException {
        Random r = new Random(1201);
        for (int run = 0; run < 24; run++) {
            boolean sixteenBitPixels = r.nextBoolean();
            int bitsStored = sixteenBitPixels ? 9 + r.nextInt(4) : 8;
            Attributes ds = image(r, 1 + r.nextInt(20), 1 + r.nextInt(20), sixteenBitPixels ? 16 : 8, bitsStored);
            int entryBits = r.nextBoolean() ? 8 : 16;
            int entries = 1 + r.nextInt(1 << bitsStored);
            int first = r.nextInt(1 << bitsStored);
            int[][] tables = new int[3][entries];
            int[] data = {Tag.RedPaletteColorLookupTableData, Tag.GreenPaletteColorLookupTableData,
                    Tag.BluePaletteColorLookupTableData};
            int[] descriptors = {Tag.RedPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableDescriptor,
                    Tag.BluePaletteColorLookupTableDescriptor};
            for (int c = 0; c < 3; c++) {
                ByteBuffer bytes = ByteBuffer.allocate(entryBits == 8 ? entries + (entries & 1) : entries * 2)
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < entries; i++) {
                    tables[c][i] = r.nextInt(1 << entryBits);
                    if (entryBits == 8) {
                        bytes.put((byte) tables[c][i]);
                    } else {
                        bytes.putShort((short) tables[c][i]);
                    }
                }
                ds.setInt(descriptors[c], VR.US, entries == 65536 ? 0 : entries, first, entryBits);
                ds.set(data[c], VR.OW, new Value.Bytes(bytes.array()));
            }
            TransferSyntax ts = SYNTAXES[r.nextInt(SYNTAXES.length)];
            DicomFile file = writtenAndReadWithBulkTables(ds, ts);
            assertThat(file.dataset().get(Tag.RedPaletteColorLookupTableData).orElseThrow().value())
                    .as("the table is left in the file, as the web reads it").isInstanceOf(Value.Bulk.class);
            BufferedImage img = FrameRenderer.render(file, 0, Optional.empty());
            int columns = ds.getInt(Tag.Columns, 0);
            for (int i = 0; i < columns * ds.getInt(Tag.Rows, 0); i++) {
                int index = Math.max(0, Math.min(entries - 1, stored(ds, i) - first));
                int expected = 0;
                for (int c = 0; c < 3; c++) {
                    int v = tables[c][index];
                    expected = expected << 8 | (entryBits == 16 ? v >> 8 : v);
                }
                assertThat(img.getRGB(i % columns, i / columns) & 0xFFFFFF).as("run %d (%s, %d-bit entries) pixel %d",
                        run, ts.name(), entryBits, i).isEqualTo(expected);
            }
        }
    }

    /** Words of segmented data, little endian. */
    private static byte[] words(int... w) {
        ByteBuffer b = ByteBuffer.allocate(w.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : w) {
            b.putShort((short) v);
        }
        return b.array();
    }

    @Test
    void segmentedTablesExpandDiscreteLinearAndIndirectSegments() throws IOException {
        Attributes ds = image(new Random(1221), 1, 256, 8, 8);
        byte[] pixels = new byte[256];
        for (int i = 0; i < 256; i++) {
            pixels[i] = (byte) i;
        }
        ds.set(Tag.PixelData, VR.OB, new Value.Bytes(pixels));
        for (int tag : new int[] {Tag.RedPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableDescriptor,
                Tag.BluePaletteColorLookupTableDescriptor}) {
            ds.setInt(tag, VR.US, 256, 0, 16);
        }
        // Red: 0x1000, then a ramp of 100 entries up to 0x6400 (entry 100), then one of 155 entries up to 0xFF00.
        ds.set(SEGMENTED_RED, VR.OW, new Value.Bytes(words(0, 1, 0x1000, 1, 100, 0x6400, 1, 155, 0xFF00)));
        // Green: two discrete entries, then an indirect segment copying one segment, that first one (byte offset 0),
        // then a linear ramp of 252 entries from 0x0200 to 0xFC00.
        ds.set(SEGMENTED_GREEN, VR.OW, new Value.Bytes(words(0, 2, 0x0100, 0x0200, 2, 1, 0, 0, 1, 252, 0xFC00)));
        // Blue: one discrete entry only: every entry repeats it.
        ds.set(SEGMENTED_BLUE, VR.OW, new Value.Bytes(words(0, 1, 0x8000)));
        BufferedImage img = FrameRenderer.render(writtenAndReadWithBulkTables(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                0, Optional.empty());
        int[] red = new int[256];
        int[] green = new int[256];
        red[0] = 0x10;
        for (int i = 1; i <= 100; i++) {
            red[i] = (int) Math.round(0x1000 + (0x6400 - 0x1000) * i / 100.0) >> 8;
        }
        for (int i = 1; i <= 155; i++) {
            red[100 + i] = (int) Math.round(0x6400 + (0xFF00 - 0x6400) * i / 155.0) >> 8;
        }
        int[] start = {1, 2, 1, 2};
        System.arraycopy(start, 0, green, 0, 4);
        for (int i = 1; i <= 252; i++) {
            green[3 + i] = (int) Math.round(0x0200 + (0xFC00 - 0x0200) * i / 252.0) >> 8;
        }
        for (int x = 0; x < 256; x++) {
            assertThat(img.getRGB(x, 0) & 0xFFFFFF).as("entry %d", x).isEqualTo(red[x] << 16 | green[x] << 8 | 0x80);
        }
    }

    @Test
    void eightBitSegmentsAreBytes() throws IOException {
        Attributes ds = image(new Random(8), 1, 256, 8, 8);
        byte[] pixels = new byte[256];
        for (int i = 0; i < 256; i++) {
            pixels[i] = (byte) i;
        }
        ds.set(Tag.PixelData, VR.OB, new Value.Bytes(pixels));
        for (int tag : new int[] {Tag.RedPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableDescriptor,
                Tag.BluePaletteColorLookupTableDescriptor}) {
            ds.setInt(tag, VR.US, 256, 0, 8);
        }
        // Bytes: discrete 1 entry of 0, linear 255 entries up to 255; the last byte pads to an even length.
        byte[] ramp = {0, 1, 0, 1, (byte) 255, (byte) 255, 0, 0};
        byte[] constant = {0, 1, 77, 0};
        ds.set(SEGMENTED_RED, VR.OW, new Value.Bytes(ramp));
        ds.set(SEGMENTED_GREEN, VR.OW, new Value.Bytes(constant));
        ds.set(SEGMENTED_BLUE, VR.OW, new Value.Bytes(ramp));
        BufferedImage img = FrameRenderer.render(writtenAndReadWithBulkTables(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN),
                0, Optional.empty());
        for (int x = 0; x < 256; x++) {
            assertThat(img.getRGB(x, 0) & 0xFFFFFF).as("entry %d", x).isEqualTo(x << 16 | 77 << 8 | x);
        }
    }

    @Test
    void damagedSegmentedTablesAreFormatErrors() {
        int[][] damaged = {
                {1, 10, 0xFF00}, // a linear segment first: no value to start from
                {0, 5, 1, 2}, // a discrete segment longer than the data
                {0, 1, 7, 2, 1, 8, 0}, // an indirect segment pointing past itself
                {0, 1, 7, 9, 1}, // an unknown opcode
                {0, 300, 1}, // more entries than the descriptor's 256 (and cut off)
        };
        for (int[] w : damaged) {
            Attributes ds = image(new Random(3), 2, 2, 8, 8);
            for (int tag : new int[] {Tag.RedPaletteColorLookupTableDescriptor, Tag.GreenPaletteColorLookupTableDescriptor,
                    Tag.BluePaletteColorLookupTableDescriptor}) {
                ds.setInt(tag, VR.US, 256, 0, 16);
            }
            for (int tag : new int[] {SEGMENTED_RED, SEGMENTED_GREEN, SEGMENTED_BLUE}) {
                ds.set(tag, VR.OW, new Value.Bytes(words(w)));
            }
            assertThatThrownBy(() -> FrameRenderer.render(writtenAndReadWithBulkTables(ds,
                    TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN), 0, Optional.empty()))
                    .as(java.util.Arrays.toString(w)).isInstanceOf(DicomFormatException.class)
                    .hasMessageContaining("segmented palette data");
        }
    }
}
