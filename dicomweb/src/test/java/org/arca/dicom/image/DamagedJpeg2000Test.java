package org.arca.dicom.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomReader;
import org.arca.dicom.Tag;
import org.arca.dicom.TestDicom;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicom.Value;
import org.junit.jupiter.api.Test;

/**
 * JPEG 2000 frames damaged the way pydicom's JPEG2000-embedded-sequence-delimiter.dcm is (codestream bytes
 * replaced by a Sequence Delimitation Item) or so that jj2000 gives up with an Error of its own: the object
 * still reads, its frame is sent as stored, and decoding or rendering it is a format error (422 on the web),
 * never an Error that escapes as a server failure.
 */
class DamagedJpeg2000Test {
    private static final int ROWS = 16;
    private static final int COLUMNS = 24;

    /** A lossless JPEG 2000 codestream (no JP2 boxes) of a grey ramp. */
    private static byte[] codestream() throws IOException {
        BufferedImage img = new BufferedImage(COLUMNS, ROWS, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < ROWS; y++) {
            for (int x = 0; x < COLUMNS; x++) {
                img.getRaster().setSample(x, y, 0, x * 10 + y);
            }
        }
        var writer = ImageIO.getImageWritersByFormatName("jpeg2000").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            var p = (com.github.jaiimageio.jpeg2000.J2KImageWriteParam) writer.getDefaultWriteParam();
            p.setLossless(true);
            p.setWriteCodeStreamOnly(true);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        byte[] cs = out.toByteArray();
        return cs.length % 2 == 0 ? cs : Arrays.copyOf(cs, cs.length + 1);
    }

    private static int marker(byte[] cs, int code) {
        for (int i = 0; i + 1 < cs.length; i++) {
            if ((cs[i] & 0xFF) == 0xFF && (cs[i + 1] & 0xFF) == code) {
                return i;
            }
        }
        throw new AssertionError("no marker FF" + Integer.toHexString(code));
    }

    /** The frame stored in a JPEG 2000 Lossless object, written and read back as a file would be. */
    private static DicomFile stored(byte[] frame) throws IOException {
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.24.2000");
        TestDicom.pixelModule(ds, 1, "MONOCHROME2", ROWS, COLUMNS, 8, 8);
        ds.set(Tag.PixelData, VR.OB, new Value.Fragments(List.of(Value.Bytes.EMPTY, new Value.Bytes(frame))));
        return DicomReader.read(TestDicom.part10(ds, TransferSyntax.JPEG_2000_LOSSLESS), DicomReader.Options.DEFAULT);
    }

    @Test
    void theUndamagedFrameDecodes() throws IOException {
        DecodedFrame d = Frames.of(stored(codestream())).decode(0);
        assertThat(d.samples()[COLUMNS + 3]).isEqualTo(3 * 10 + 1);
    }

    @Test
    void aSequenceDelimiterInsideTheCodestreamIsAFrameByteLikeAnyOther() throws IOException {
        byte[] cs = codestream();
        // As in pydicom's file: four bytes of the SIZ marker segment become (FFFE,E0DD) in little endian.
        int at = marker(cs, 0x51) + 4;
        byte[] damaged = cs.clone();
        System.arraycopy(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0}, 0, damaged, at, 4);
        DicomFile file = stored(damaged);
        Frames frames = Frames.of(file);
        assertThat(frames.count()).isEqualTo(1);
        assertThat(frames.encodedFrame(0)).isEqualTo(damaged);
        refused(file);
    }

    @Test
    void jj2000sOwnErrorsAreFormatErrors() throws IOException {
        byte[] cs = codestream();
        // A tile-part length (Psot, after SOT's length and tile index) of 2^32 - 1: jj2000 throws NotImplementedError.
        int psot = marker(cs, 0x90) + 6;
        byte[] damaged = cs.clone();
        Arrays.fill(damaged, psot, psot + 4, (byte) 0xFF);
        refused(stored(damaged));
    }

    private static void refused(DicomFile file) {
        assertThatThrownBy(() -> Frames.of(file).decode(0)).isInstanceOf(DicomFormatException.class)
                .hasMessageContaining("cannot decode jpeg2000 frame");
        assertThatThrownBy(() -> FrameRenderer.render(file, 0, Optional.empty())).isInstanceOf(DicomFormatException.class);
    }
}
