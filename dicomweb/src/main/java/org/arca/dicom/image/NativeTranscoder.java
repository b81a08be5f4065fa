package org.arca.dicom.image;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.DicomWriter;
import org.arca.dicom.Element;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicom.Value;

/**
 * Writes a stored instance as a Part 10 file in a native transfer syntax (Explicit or Implicit VR Little Endian,
 * or Deflated Explicit VR Little Endian). Native pixel data is re-encoded as it is; compressed pixel data is
 * decoded with {@link Frames#decode} one frame at a time and streamed out, so a multi-frame instance is never
 * whole in memory.
 *
 * <p>Decoding changes the Image Pixel module where the samples change: Photometric Interpretation becomes the
 * decoder's (a JPEG decoder turns YBR_FULL_422 into RGB), Planar Configuration 0, Pixel Data OB for Bits Allocated
 * 8 and OW above, and the offset tables that only describe fragments are dropped. Lossy Image Compression stays
 * as it was: decoding neither adds nor removes a loss.
 */
public final class NativeTranscoder {
    /** The syntaxes this writes; Explicit VR Big Endian is retired and PS3.18 does not use it. */
    public static final Set<String> TARGETS = Set.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid(),
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid(), TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid());
    /** Elements of encapsulated pixel data alone: offset tables and the total fragment length. */
    private static final int[] ENCAPSULATION_ONLY = {0x7FE00001, 0x7FE00002, 0x7FE00003};
    private static final long MAX_VALUE_LENGTH = 0xFFFFFFFEL;

    private final Attributes dataset;
    private final TransferSyntax target;
    /** The frames to decode, or null when the stored pixel data (if any) is native and is copied as it is. */
    private final Frames frames;

    private NativeTranscoder(Attributes dataset, TransferSyntax target, Frames frames) {
        this.dataset = dataset;
        this.target = target;
        this.frames = frames;
    }

    public static boolean writes(String transferSyntaxUid) {
        return TARGETS.contains(transferSyntaxUid);
    }

    /**
     * A transcoder for a file read with its pixel data left as bulk data. Checks what can be checked without
     * decoding: the Image Pixel attributes against the fragments, and that the result fits a native syntax.
     *
     * @throws DicomFormatException if the pixel attributes or fragments are damaged
     * @throws NoDecoderException   if the frames cannot be made native here (1-bit compressed frames, or more
     *                              decoded bytes than a native Pixel Data value can hold)
     */
    public static NativeTranscoder of(DicomFile file, TransferSyntax target) throws IOException {
        if (!writes(target.uid())) {
            throw new IllegalArgumentException(target.uid() + " is not a native syntax Arca writes");
        }
        Attributes ds = file.dataset();
        boolean compressed = ds.get(Tag.PixelData).map(e -> e.value() instanceof Value.Fragments).orElse(false);
        if (!compressed) {
            return new NativeTranscoder(ds, target, null);
        }
        Frames frames = Frames.of(file);
        PixelDescription d = frames.description();
        String stored = file.transferSyntax().uid();
        if (d.bitsAllocated() == 1) {
            throw new NoDecoderException(stored + " with Bits Allocated 1 (Arca writes no bit-packed frames)");
        }
        if (NativePixels.frameLength(d) * frames.count() > MAX_VALUE_LENGTH) {
            throw new NoDecoderException(stored + " whose " + frames.count() + " decoded frames exceed the 4 GiB a native"
                    + " Pixel Data value holds");
        }
        return new NativeTranscoder(ds, target, frames);
    }

    /**
     * Decodes the first frame, so that a missing decoder or a damaged first frame is known before any answer is
     * sent. Later frames are decoded while writing.
     */
    public void checkDecodable() throws IOException {
        if (frames != null) {
            decode(0);
        }
    }

    /** Writes the Part 10 file. A frame that fails to decode here ends the output early with the exception. */
    public void writeTo(OutputStream out) throws IOException {
        if (frames == null) {
            DicomWriter.write(out, dataset, target);
            return;
        }
        PixelDescription stored = frames.description();
        DecodedFrame first = decode(0);
        Attributes ds = new Attributes();
        for (Element e : dataset.elements()) {
            if (e.tag() != Tag.PixelData && !encapsulationOnly(e.tag())) {
                ds.set(e);
            }
        }
        ds.setString(Tag.PhotometricInterpretation, VR.CS, first.description().photometric());
        if (stored.samplesPerPixel() > 1) {
            ds.setInt(Tag.PlanarConfiguration, VR.US, 0);
        }
        long frameLength = NativePixels.frameLength(stored);
        int count = frames.count();
        DicomWriter.write(out, ds, target, Tag.PixelData, stored.bitsAllocated() <= 8 ? VR.OB : VR.OW,
                new DicomWriter.StreamedValue() {
                    @Override
                    public long length() {
                        return frameLength * count;
                    }

                    @Override
                    public void writeTo(OutputStream pixels) throws IOException {
                        for (int i = 0; i < count; i++) {
                            DecodedFrame frame = i == 0 ? first : decode(i);
                            pixels.write(NativePixels.pack(frame, stored.bitsAllocated(), stored.bitsStored(), stored.highBit()));
                        }
                    }
                });
    }

    /** Frame {@code index} decoded, with exactly the samples the Image Pixel attributes promise. */
    private DecodedFrame decode(int index) throws IOException {
        DecodedFrame frame = frames.decode(index);
        long expected = frames.description().samplesPerFrame();
        if (frame.samples().length != expected) {
            throw new DicomFormatException("frame " + (index + 1) + " decodes to " + frame.samples().length
                    + " samples, not the " + expected + " of Rows x Columns x Samples per Pixel", -1, Tag.PixelData);
        }
        return frame;
    }

    private static boolean encapsulationOnly(int tag) {
        for (int t : ENCAPSULATION_ONLY) {
            if (t == tag) {
                return true;
            }
        }
        return false;
    }
}
