package org.arca.dicom.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.arca.dicom.Attributes;
import org.arca.dicom.BulkData;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Element;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicom.Value;
import org.arca.dicom.image.jpeg.DctJpegDecoder;
import org.arca.dicom.image.jpegls.JpegLsDecoder;

/**
 * The frames of an image object's pixel data, native or encapsulated: each frame in its stored
 * encoding ({@link #encodedFrame}) or decoded to samples ({@link #decode}).
 *
 * <p>Encapsulated frames are found through the Extended Offset Table, else the Basic Offset Table,
 * else one fragment per frame when the counts match, else by scanning fragments for JPEG and
 * JPEG 2000 start markers. Decoders: native (any Bits Allocated, signed or not, either planar
 * configuration), RLE Lossless (Arca's own), JPEG baseline and extended, 8 and 12 bits (Arca's own,
 * {@link DctJpegFrame}), JPEG-LS (Arca's own, {@code jpegls}), other JPEG processes such as lossless (ImageIO
 * with TwelveMonkeys), JPEG 2000 (jai-imageio). HTJ2K, MPEG-2/4 and HEVC have no Java decoder here:
 * {@link #decode} throws {@link NoDecoderException} for them.
 *
 * <p>Not thread-safe; pixel data left in the file as bulk data is read on each call.
 *
 * <p>Longer than most classes here because finding frames in encapsulated data has four strategies that fall back
 * on each other; each decoder is a class of its own and this one only dispatches to them.
 */
public final class Frames {
    /**
     * Most samples one decoded frame may have: 8192 x 8192 single-sample, or about 4730 x 4730 RGB. Samples are
     * held as ints, so this is 256 MiB; Rows and Columns alone could ask for 48 GiB, and a compressed frame of
     * a few bytes may claim them.
     */
    public static final long MAX_DECODED_SAMPLES = 1L << 26;
    /** The largest array a JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Attributes dataset;
    private final TransferSyntax ts;
    private final PixelDescription description;
    private final Element pixelData;

    private Frames(Attributes dataset, TransferSyntax ts) throws DicomFormatException {
        this.dataset = dataset;
        this.ts = ts;
        this.description = PixelDescription.of(dataset);
        this.pixelData = dataset.get(Tag.PixelData)
                .orElseThrow(() -> new DicomFormatException("no pixel data", -1, Tag.PixelData));
        description.check();
        switch (pixelData.value()) {
            case Value.Fragments f -> {
                // Every frame takes at least one fragment (PS3.5 A.4); the first item is the offset table.
                if (f.items().isEmpty() || count() > f.items().size() - 1) {
                    throw new DicomFormatException(count() + " frames declared but " + Math.max(0, f.items().size() - 1)
                            + " fragments stored", -1, Tag.NumberOfFrames);
                }
            }
            case Value.Bytes b -> checkNativeLength(b.bytes().length);
            case Value.Bulk b -> checkNativeLength(b.data().length());
            default -> throw new DicomFormatException("pixel data is not a binary value", -1, Tag.PixelData);
        }
    }

    /** Native pixel data must hold every declared frame, so no frame read runs past it. */
    private void checkNativeLength(long length) throws DicomFormatException {
        long frameBits = description.bitsAllocated() == 1 ? description.samplesPerFrame()
                : description.frameLength() * 8;
        if (count() > length * 8 / frameBits) {
            throw new DicomFormatException("pixel data of " + length + " bytes is shorter than " + count() + " frame(s) of "
                    + description.rows() + " x " + description.columns() + " x " + description.samplesPerPixel() + " at "
                    + description.bitsAllocated() + " bits", -1, Tag.PixelData);
        }
    }

    /**
     * The frames of an object's pixel data.
     *
     * @throws DicomFormatException if there is no pixel data, the Image Pixel attributes are invalid
     *                              ({@link PixelDescription#check}), native pixel data is shorter than its
     *                              frames, or there are fewer fragments than frames
     */
    public static Frames of(DicomFile file) throws DicomFormatException {
        return new Frames(file.dataset(), file.transferSyntax());
    }

    /** As {@link #of(DicomFile)}, for a dataset in hand. */
    public static Frames of(Attributes dataset, TransferSyntax ts) throws DicomFormatException {
        return new Frames(dataset, ts);
    }

    public PixelDescription description() {
        return description;
    }

    public TransferSyntax transferSyntax() {
        return ts;
    }

    public int count() {
        return description.numberOfFrames();
    }

    /** True when the pixel data is compressed into fragments. */
    public boolean encapsulated() {
        return pixelData.value() instanceof Value.Fragments;
    }

    /**
     * One frame in its stored encoding: native bytes (little endian; 1-bit frames shifted to start on a byte) or
     * the frame's fragments concatenated (a complete JPEG, JPEG 2000 or RLE bitstream).
     *
     * @throws IndexOutOfBoundsException if there is no such frame (callers check against {@link #count()})
     */
    public byte[] encodedFrame(int index) throws IOException {
        if (index < 0 || index >= count()) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + count());
        }
        if (pixelData.value() instanceof Value.Fragments f) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Value v : fragmentsOf(f).get(index)) {
                out.write(bytesOf(v, VR.OB));
            }
            return out.toByteArray();
        }
        if (description.bitsAllocated() == 1) {
            return bitFrame(index);
        }
        long len = description.frameLength();
        return nativeBytes(len * index, len);
    }

    /** A 1-bit frame, whose first bit may sit anywhere in a byte (bit 0 is the first pixel, PS3.5 8.1.1). */
    private byte[] bitFrame(int index) throws IOException {
        long bits = description.samplesPerFrame();
        long firstBit = bits * index;
        int shift = (int) (firstBit % 8);
        long len = (bits + 7) / 8;
        long stored = nativeLength();
        byte[] raw = nativeBytes(firstBit / 8, Math.min(len + (shift == 0 ? 0 : 1), stored - firstBit / 8));
        if (shift == 0) {
            return raw;
        }
        byte[] out = new byte[(int) len];
        for (int i = 0; i < len; i++) {
            int high = i + 1 < raw.length ? raw[i + 1] << (8 - shift) : 0;
            out[i] = (byte) ((raw[i] & 0xFF) >>> shift | high);
        }
        return out;
    }

    private long nativeLength() {
        return pixelData.value() instanceof Value.Bulk b ? b.data().length() : ((Value.Bytes) pixelData.value()).bytes().length;
    }

    /** {@code len} bytes of native pixel data from {@code offset}; the constructor checked that they are there. */
    private byte[] nativeBytes(long offset, long len) throws IOException {
        if (len > MAX_ARRAY) {
            throw new DicomFormatException("a frame of " + len + " bytes is too large to load", -1, Tag.PixelData);
        }
        if (pixelData.value() instanceof Value.Bytes b) {
            return Arrays.copyOfRange(b.bytes(), (int) offset, (int) (offset + len));
        }
        BulkData data = ((Value.Bulk) pixelData.value()).data();
        try (InputStream in = new BulkData(data.uri(), data.offset() + offset, len, data.bigEndian()).open()) {
            byte[] frame = in.readNBytes((int) len);
            if (frame.length != len) {
                throw new DicomFormatException("pixel data ends inside frame bytes " + offset + " to " + (offset + len),
                        data.offset() + offset, Tag.PixelData);
            }
            if (data.bigEndian() && pixelData.vr() == VR.OW) {
                swap16(frame);
            }
            return frame;
        }
    }

    /**
     * Decodes one frame to samples.
     *
     * @throws DicomFormatException if the frame is damaged, does not match the Image Pixel attributes, or has
     *                              more than {@link #MAX_DECODED_SAMPLES} samples
     * @throws NoDecoderException   if its transfer syntax has no Java decoder here
     */
    public DecodedFrame decode(int index) throws IOException {
        long samples = description.samplesPerFrame();
        if (samples > MAX_DECODED_SAMPLES) {
            throw new DicomFormatException("a frame of " + samples + " samples is more than the " + MAX_DECODED_SAMPLES
                    + " Arca decodes", -1, Tag.PixelData);
        }
        byte[] frame = encodedFrame(index);
        if (!encapsulated()) {
            return nativeSamples(frame, description);
        }
        String uid = ts.uid();
        if (uid.equals(TransferSyntax.RLE_LOSSLESS.uid())) {
            byte[] raw = RleDecoder.decode(frame, description);
            return nativeSamples(raw, description.withPhotometric(description.photometric(), 1));
        }
        if (uid.equals(TransferSyntax.JPEG_LS_LOSSLESS.uid()) || uid.equals(TransferSyntax.JPEG_LS_NEAR_LOSSLESS.uid())) {
            return JpegLsDecoder.decode(frame, description);
        }
        boolean jpeg = uid.startsWith("1.2.840.10008.1.2.4.5") || uid.startsWith("1.2.840.10008.1.2.4.7");
        if (jpeg && DctJpegDecoder.canDecode(frame)) {
            return DctJpegFrame.decode(frame, description);
        }
        if (uid.equals(TransferSyntax.JPEG_EXTENDED.uid()) && description.bitsStored() > 8) {
            // ImageIO reads no 12-bit JPEG: a frame Arca's decoder cannot follow is damaged, and it says where.
            return DctJpegFrame.decode(frame, description);
        }
        if (uid.startsWith("1.2.840.10008.1.2.4.5") || uid.startsWith("1.2.840.10008.1.2.4.7")
                || uid.equals(TransferSyntax.JPEG_2000.uid()) || uid.equals(TransferSyntax.JPEG_2000_LOSSLESS.uid())) {
            return imageIo(frame, uid.startsWith("1.2.840.10008.1.2.4.9") ? "jpeg2000" : "jpeg");
        }
        throw new NoDecoderException(uid);
    }

    private DecodedFrame imageIo(byte[] frame, String format) throws IOException {
        var readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new NoDecoderException(ts.uid());
        }
        ImageReader reader = readers.next();
        try (ImageInputStream iis = ImageIO.createImageInputStream(new ByteArrayInputStream(frame))) {
            reader.setInput(iis);
            PixelDescription d = description;
            // The bitstream's own size is checked before decoding: a few damaged bytes can claim 65535 x 65535.
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width != d.columns() || height != d.rows()) {
                throw new DicomFormatException(format + " frame is " + width + " x " + height + " but Columns and Rows are "
                        + d.columns() + " x " + d.rows(), -1, Tag.PixelData);
            }
            BufferedImage img = reader.read(0);
            Raster r = img.getRaster();
            int bands = r.getNumBands();
            int[] samples = r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
            if (d.signed() && d.bitsStored() < 32) {
                int shift = 32 - d.bitsStored();
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = samples[i] << shift >> shift;
                }
            }
            // ImageIO converts YCbCr JPEG to RGB, so color output is RGB whatever the stored photometric.
            String photometric = bands == 3 ? "RGB" : d.photometric();
            return new DecodedFrame(new PixelDescription(r.getHeight(), r.getWidth(), bands, d.bitsAllocated(),
                    d.bitsStored(), d.highBit(), d.signed(), 0, photometric, d.numberOfFrames()), samples);
        } catch (DicomFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // The decoders' own failures (IIOException, and runtime exceptions on bitstreams they do not expect)
            // all mean a damaged frame: the input is bytes in memory, so there is no I/O to fail.
            throw new DicomFormatException("cannot decode " + format + " frame: " + e.getMessage(), -1, Tag.PixelData);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error e) {
            // jj2000, the JPEG 2000 decoder, reports some damaged codestreams with Errors of its own (e.g.
            // NotImplementedError for a tile-part length past what it supports): still a damaged frame.
            throw new DicomFormatException("cannot decode " + format + " frame: " + e.getMessage(), -1, Tag.PixelData);
        } finally {
            reader.dispose();
        }
    }

    /** Samples of a native frame: any Bits Allocated, sign extension from Bits Stored, either planar configuration. */
    static DecodedFrame nativeSamples(byte[] frame, PixelDescription d) throws DicomFormatException {
        int pixels = d.rows() * d.columns();
        int spp = d.samplesPerPixel();
        int n = pixels * spp;
        int[] s = new int[n];
        boolean ybr422 = spp == 3 && (d.photometric().equals("YBR_FULL_422") || d.photometric().equals("YBR_PARTIAL_422"));
        if (ybr422 && d.bitsAllocated() == 8 && frame.length >= pixels * 2) {
            // Two pixels share one Cb and Cr: Y0 Y1 Cb Cr (PS3.3 C.7.6.3.1.2).
            for (int p = 0; p + 1 < pixels + 1 && p / 2 * 4 + 3 < frame.length; p += 2) {
                int base = p / 2 * 4;
                int cb = frame[base + 2] & 0xFF;
                int cr = frame[base + 3] & 0xFF;
                for (int k = 0; k < 2 && p + k < pixels; k++) {
                    s[(p + k) * 3] = frame[base + k] & 0xFF;
                    s[(p + k) * 3 + 1] = cb;
                    s[(p + k) * 3 + 2] = cr;
                }
            }
            return new DecodedFrame(d.withPhotometric("YBR_FULL", 0), s);
        }
        int ba = d.bitsAllocated();
        if ((long) n * ba > (long) frame.length * 8) {
            throw new DicomFormatException("frame has " + frame.length + " bytes, " + ((long) n * ba + 7) / 8 + " needed",
                    -1, Tag.PixelData);
        }
        ByteBuffer bb = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        int shiftDown = d.highBit() + 1 - d.bitsStored();
        int stored = d.bitsStored();
        for (int i = 0; i < n; i++) {
            int src = d.planarConfiguration() == 1 && spp > 1 ? (i % spp) * pixels + i / spp : i;
            int v = switch (ba) {
                case 1 -> (frame[src >> 3] >> (src & 7)) & 1;
                case 8 -> frame[src] & 0xFF;
                case 16 -> bb.getShort(src * 2) & 0xFFFF;
                case 32 -> bb.getInt(src * 4);
                default -> throw new DicomFormatException("Bits Allocated " + ba + " not supported", -1, Tag.BitsAllocated);
            };
            if (ba > 1 && stored < 32) {
                v = v >>> shiftDown & ((1 << stored) - 1);
                if (d.signed()) {
                    v = v << (32 - stored) >> (32 - stored);
                }
            }
            s[i] = v;
        }
        return new DecodedFrame(d.withPhotometric(d.photometric(), 0), s);
    }

    private List<List<Value>> fragmentsOf(Value.Fragments f) throws IOException {
        List<Value> items = f.items();
        List<Value> fragments = items.subList(1, items.size());
        int frames = count();
        List<Long> offsets = offsetTable(bytesOf(items.get(0), VR.OB));
        if (offsets.size() == frames) {
            return byOffsets(fragments, offsets);
        }
        if (fragments.size() == frames) {
            List<List<Value>> out = new ArrayList<>();
            for (Value v : fragments) {
                out.add(List.of(v));
            }
            return out;
        }
        if (frames == 1) {
            return List.of(fragments);
        }
        // Scan: a fragment that starts with a JPEG SOI or a JPEG 2000 SOC marker starts a frame.
        List<List<Value>> out = new ArrayList<>();
        for (Value v : fragments) {
            byte[] head = head(v);
            boolean start = head.length >= 2 && (head[0] & 0xFF) == 0xFF
                    && ((head[1] & 0xFF) == 0xD8 || (head[1] & 0xFF) == 0x4F);
            if (start || out.isEmpty()) {
                out.add(new ArrayList<>());
            }
            out.get(out.size() - 1).add(v);
        }
        if (out.size() != frames) {
            throw new DicomFormatException("found " + out.size() + " frames in the fragments, expected " + frames,
                    -1, Tag.PixelData);
        }
        return out;
    }

    /** The Extended Offset Table if present, else the Basic Offset Table's 32-bit offsets. */
    private List<Long> offsetTable(byte[] bot) {
        List<Long> out = new ArrayList<>();
        var eot = dataset.bytes(Tag.ExtendedOffsetTable);
        if (eot.isPresent() && eot.get().length / 8 == count()) {
            ByteBuffer bb = ByteBuffer.wrap(eot.get()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count(); i++) {
                out.add(bb.getLong(i * 8));
            }
            return out;
        }
        ByteBuffer bb = ByteBuffer.wrap(bot).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bot.length; i += 4) {
            out.add(bb.getInt(i) & 0xFFFFFFFFL);
        }
        return out;
    }

    /** Groups fragments by the offset of their item header from the first fragment's. */
    private static List<List<Value>> byOffsets(List<Value> fragments, List<Long> offsets) throws DicomFormatException {
        List<List<Value>> out = new ArrayList<>();
        for (int i = 0; i < offsets.size(); i++) {
            out.add(new ArrayList<>());
        }
        long pos = 0;
        int frame = 0;
        for (Value v : fragments) {
            while (frame + 1 < offsets.size() && pos >= offsets.get(frame + 1)) {
                frame++;
            }
            if (pos < offsets.get(frame)) {
                throw new DicomFormatException("offset table does not match the fragments", -1, Tag.PixelData);
            }
            out.get(frame).add(v);
            pos += 8 + length(v);
        }
        return out;
    }

    private static long length(Value v) {
        return v instanceof Value.Bytes b ? b.bytes().length : ((Value.Bulk) v).data().length();
    }

    private static byte[] head(Value v) throws IOException {
        if (v instanceof Value.Bytes b) {
            return b.bytes();
        }
        try (InputStream in = ((Value.Bulk) v).data().open()) {
            return in.readNBytes(2);
        }
    }

    private static byte[] bytesOf(Value v, VR vr) throws IOException {
        return v instanceof Value.Bytes b ? b.bytes() : ((Value.Bulk) v).data().readAll(vr);
    }

    private static void swap16(byte[] b) {
        for (int i = 0; i + 1 < b.length; i += 2) {
            byte t = b[i];
            b[i] = b[i + 1];
            b[i + 1] = t;
        }
    }
}
