package org.arca.dicom.image.jpegls;

import java.io.IOException;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Tag;
import org.arca.dicom.image.DecodedFrame;
import org.arca.dicom.image.NoDecoderException;
import org.arca.dicom.image.PixelDescription;

/**
 * Decodes one JPEG-LS frame (ITU-T T.87 | ISO/IEC 14495-1; DICOM transfer syntaxes 1.2.840.10008.1.2.4.80 and
 * .81): lossless and near-lossless, 2 to 16 bits, any number of components in any interleave mode, preset
 * coding parameters and restart markers. Not supported (they end in {@link NoDecoderException}): mapping tables,
 * subsampled components, a point transform, HP's colour transform. DICOM forbids all but the third, which no
 * encoder writes.
 *
 * <p>The frame must match the Image Pixel attributes: Rows, Columns, Samples per Pixel, a precision no larger
 * than Bits Allocated. Samples come back interleaved by pixel, as stored values: the low Bits Stored bits,
 * sign-extended when Pixel Representation is signed (JPEG-LS itself codes unsigned values only).
 */
public final class JpegLsDecoder {
    private JpegLsDecoder() {
    }

    /**
     * @throws DicomFormatException if the stream is damaged or does not match the description
     * @throws NoDecoderException   if it uses a JPEG-LS feature this decoder does not have
     */
    public static DecodedFrame decode(byte[] stream, PixelDescription description) throws IOException {
        SegmentReader segments = new SegmentReader(stream);
        if (segments.nextMarker() != SegmentReader.SOI) {
            throw segments.error("JPEG-LS stream does not start with a start-of-image marker");
        }
        FrameHeader frame = null;
        int[] samples = null;
        boolean[] decoded = null;
        PresetParameters preset = PresetParameters.DEFAULTS;
        int restartInterval = 0;
        while (true) {
            int marker = segments.nextMarker();
            if (marker == SegmentReader.EOI) {
                break;
            }
            switch (marker) {
                case SegmentReader.SOF55 -> {
                    if (frame != null) {
                        throw segments.error("JPEG-LS stream has a second frame header");
                    }
                    frame = segments.frameHeader();
                    check(frame, description);
                    samples = new int[frame.rows() * frame.columns() * frame.components()];
                    decoded = new boolean[frame.components()];
                }
                case SegmentReader.LSE -> preset = segments.presetParameters(preset, frame);
                case SegmentReader.DRI -> restartInterval = segments.restartInterval();
                case SegmentReader.SOS -> {
                    if (frame == null) {
                        throw segments.error("JPEG-LS scan before the frame header");
                    }
                    ScanHeader scan = segments.scanHeader(frame);
                    CodingParameters parameters = parameters(frame, scan, preset, segments);
                    BitReader bits = new BitReader(stream, segments.position(), stream.length);
                    new ScanDecoder(bits, parameters, scan, frame.rows(), frame.columns(), restartInterval)
                            .decode(samples, frame.components());
                    for (int c : scan.components()) {
                        decoded[c] = true;
                    }
                    segments.seek(bits.markerPosition());
                }
                default -> {
                    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                        throw segments.error("not a JPEG-LS stream: it has a JPEG start-of-frame marker (FF"
                                + Integer.toHexString(marker).toUpperCase() + ")");
                    }
                    if (marker >= 0xE0 && marker <= 0xEF) {
                        segments.skipApplicationSegment(marker);
                    } else if (marker == SegmentReader.COM) {
                        segments.skipSegment();
                    } else {
                        throw segments.error("unexpected marker FF" + Integer.toHexString(marker).toUpperCase()
                                + " in JPEG-LS stream");
                    }
                }
            }
        }
        if (frame == null) {
            throw segments.error("JPEG-LS stream has no frame header");
        }
        for (int c = 0; c < decoded.length; c++) {
            if (!decoded[c]) {
                throw segments.error("JPEG-LS stream has no scan for component " + (c + 1));
            }
        }
        return new DecodedFrame(new PixelDescription(description.rows(), description.columns(),
                description.samplesPerPixel(), description.bitsAllocated(), description.bitsStored(),
                description.highBit(), description.signed(), 0, description.photometric(),
                description.numberOfFrames()), toStoredValues(samples, description));
    }

    private static void check(FrameHeader frame, PixelDescription d) throws DicomFormatException {
        if (frame.rows() != d.rows() || frame.columns() != d.columns()) {
            throw new DicomFormatException("JPEG-LS frame is " + frame.columns() + " x " + frame.rows()
                    + " but Columns and Rows are " + d.columns() + " x " + d.rows(), -1, Tag.PixelData);
        }
        if (frame.components() != d.samplesPerPixel()) {
            throw new DicomFormatException("JPEG-LS frame has " + frame.components() + " components but Samples per Pixel is "
                    + d.samplesPerPixel(), -1, Tag.PixelData);
        }
        if (frame.precision() > d.bitsAllocated()) {
            throw new DicomFormatException("JPEG-LS precision " + frame.precision() + " is more than Bits Allocated "
                    + d.bitsAllocated(), -1, Tag.PixelData);
        }
    }

    /** The scan's coding parameters, refused when a preset segment gave values T.87 C.2.4.1.1 does not allow. */
    private static CodingParameters parameters(FrameHeader frame, ScanHeader scan, PresetParameters preset,
                                               SegmentReader segments) throws DicomFormatException {
        int largest = (1 << frame.precision()) - 1;
        if (preset.maxVal() > largest) {
            throw segments.error("JPEG-LS MAXVAL " + preset.maxVal() + " does not fit " + frame.precision() + " bits");
        }
        int maxVal = preset.maxVal() != 0 ? preset.maxVal() : largest;
        if (scan.near() > Math.min(255, maxVal / 2)) {
            throw segments.error("JPEG-LS NEAR " + scan.near() + " is more than MAXVAL / 2");
        }
        CodingParameters p = CodingParameters.of(frame.precision(), scan.near(), preset);
        if (p.t1() < p.near() + 1 || p.t2() < p.t1() || p.t3() < p.t2() || p.t3() > maxVal) {
            throw segments.error("JPEG-LS thresholds " + p.t1() + ", " + p.t2() + ", " + p.t3() + " are out of order");
        }
        if (p.reset() < 3 || p.reset() > Math.max(255, maxVal)) {
            throw segments.error("JPEG-LS RESET " + p.reset() + " is out of range");
        }
        return p;
    }

    /**
     * The decoded samples as stored values, in place: each kept to Bits Stored, and sign-extended when signed
     * (a signed image is coded as its two's complement bit patterns).
     */
    private static int[] toStoredValues(int[] samples, PixelDescription d) {
        int stored = d.bitsStored();
        if (stored >= 32) {
            return samples;
        }
        int mask = (1 << stored) - 1;
        int shift = 32 - stored;
        for (int i = 0; i < samples.length; i++) {
            int v = samples[i] & mask;
            samples[i] = d.signed() ? v << shift >> shift : v;
        }
        return samples;
    }
}
