package org.arca.dicom.image;

import java.io.IOException;
import java.util.Set;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;
import org.arca.dicom.image.jpeg.DctJpegDecoder;
import org.arca.dicom.image.jpeg.DecodedJpeg;
import org.arca.dicom.image.jpeg.FrameHeader;
import org.arca.dicom.image.jpeg.JpegFormatException;
import org.arca.dicom.image.jpeg.YCbCr;

/**
 * A JPEG Baseline or Extended frame (sequential DCT, 8 or 12 bits) decoded with Arca's own decoder and read the
 * way its DICOM attributes say. Photometric Interpretation, not the JPEG stream, decides the colour space (PS3.5
 * 8.2.1): RGB means the components are R, G and B as they stand, whatever markers the stream has or lacks;
 * YBR_FULL and YBR_FULL_422 mean full-range YCbCr, converted here to RGB (so the frame is then described as RGB).
 * So is the retired YBR_PARTIAL_422, with the same equations, as DCMTK's dcmdjpeg does: its frames come out of the
 * decoder at full resolution, which a 422 description would misstate.
 */
final class DctJpegFrame {
    private static final Set<String> YCBCR = Set.of("YBR_FULL", "YBR_FULL_422", "YBR_PARTIAL_422");

    private DctJpegFrame() {
    }

    static DecodedFrame decode(byte[] frame, PixelDescription d) throws IOException {
        DecodedJpeg jpeg;
        try {
            jpeg = DctJpegDecoder.decode(frame, header -> check(header, d));
        } catch (JpegFormatException e) {
            throw new DicomFormatException("cannot decode JPEG frame: " + e.getMessage(), -1, Tag.PixelData);
        }
        int[] samples = jpeg.samples();
        String photometric = d.photometric();
        if (d.samplesPerPixel() == 3 && YCBCR.contains(photometric)) {
            YCbCr.toRgb(samples, jpeg.header().precision());
            photometric = "RGB";
        }
        if (d.signed() && d.bitsStored() < 32) {
            int shift = 32 - d.bitsStored();
            for (int i = 0; i < samples.length; i++) {
                samples[i] = samples[i] << shift >> shift;
            }
        }
        return new DecodedFrame(d.withPhotometric(photometric, 0), samples);
    }

    /** The stream's size, components and precision must fit the attributes before anything is allocated. */
    private static void check(FrameHeader h, PixelDescription d) throws DicomFormatException {
        if (h.width() != d.columns() || h.height() != d.rows()) {
            throw new DicomFormatException("JPEG frame is " + h.width() + " x " + h.height()
                    + " but Columns and Rows are " + d.columns() + " x " + d.rows(), -1, Tag.PixelData);
        }
        if (h.components().size() != d.samplesPerPixel()) {
            throw new DicomFormatException("JPEG frame has " + h.components().size()
                    + " components but Samples per Pixel is " + d.samplesPerPixel(), -1, Tag.SamplesPerPixel);
        }
        if (h.precision() > d.bitsAllocated()) {
            throw new DicomFormatException("JPEG frame has " + h.precision() + "-bit samples but Bits Allocated is "
                    + d.bitsAllocated(), -1, Tag.BitsAllocated);
        }
    }
}
