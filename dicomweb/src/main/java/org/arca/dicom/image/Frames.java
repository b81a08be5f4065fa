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
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.arca.dicom.Attributes;
import org.arca.dicom.DicomFile;
import org.arca.dicom.DicomFormatException;
import org.arca.dicom.Element;
import org.arca.dicom.Tag;
import org.arca.dicom.TransferSyntax;
import org.arca.dicom.VR;
import org.arca.dicom.Value;

/**
 * The frames of an image object's pixel data, native or encapsulated: each frame in its stored
 * encoding ({@link #encodedFrame}) or decoded to samples ({@link #decode}).
 *
 * <p>Encapsulated frames are found through the Extended Offset Table, else the Basic Offset Table,
 * else one fragment per frame when the counts match, else by scanning fragments for JPEG and
 * JPEG 2000 start markers. Decoders: native (any Bits Allocated, signed or not, either planar
 * configuration), RLE Lossless (Arca's own), JPEG baseline, extended and lossless (ImageIO with
 * TwelveMonkeys), JPEG 2000 (jai-imageio). JPEG-LS, 12-bit JPEG extended, HTJ2K, MPEG-2/4 and HEVC have
 * no Java decoder here: {@link #decode} throws {@link NoDecoderException} for them.
 *
 * <p>Not thread-safe; pixel data left in the file as bulk data is read on each call.
 */
public final class Frames {
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
        if (description.rows() <= 0 || description.columns() <= 0) {
            throw new DicomFormatException("pixel data without Rows and Columns", -1, Tag.Rows);
        }
    }

    public static Frames of(DicomFile file) throws DicomFormatException {
        return new Frames(file.dataset(), file.transferSyntax());
    }

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
     * One frame in its stored encoding: native bytes (little endian) or the frame's fragments
     * concatenated (a complete JPEG, JPEG 2000 or RLE bitstream).
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
        long len = description.frameLength();
        long offset = len * index;
        if (description.bitsAllocated() == 1 && index > 0) {
            throw new IOException("frames of 1-bit pixel data that do not start on a byte are not supported");
        }
        byte[] all = switch (pixelData.value()) {
            case Value.Bytes b -> b.bytes();
            case Value.Bulk b -> {
                if (offset + len > b.data().length()) {
                    throw new DicomFormatException("pixel data shorter than frame " + index, b.data().offset(), Tag.PixelData);
                }
                try (InputStream in = new org.arca.dicom.BulkData(b.data().uri(), b.data().offset() + offset, len,
                        b.data().bigEndian()).open()) {
                    byte[] frame = in.readNBytes((int) len);
                    if (b.data().bigEndian() && pixelData.vr() == VR.OW) {
                        swap16(frame);
                    }
                    yield frame; // already just this frame
                }
            }
            default -> throw new IllegalStateException();
        };
        if (pixelData.value() instanceof Value.Bulk) {
            return all;
        }
        if (offset + len > all.length) {
            throw new DicomFormatException("pixel data shorter than frame " + index, -1, Tag.PixelData);
        }
        return java.util.Arrays.copyOfRange(all, (int) offset, (int) (offset + len));
    }

    /** Decodes one frame to samples. */
    public DecodedFrame decode(int index) throws IOException {
        byte[] frame = encodedFrame(index);
        if (!encapsulated()) {
            return nativeSamples(frame, description);
        }
        String uid = ts.uid();
        if (uid.equals(TransferSyntax.RLE_LOSSLESS.uid())) {
            byte[] raw = RleDecoder.decode(frame, description);
            return nativeSamples(raw, description.withPhotometric(description.photometric(), 1));
        }
        if (uid.equals(TransferSyntax.JPEG_EXTENDED.uid()) && description.bitsStored() > 8) {
            throw new NoDecoderException(uid + " with " + description.bitsStored() + " bits (12-bit JPEG)");
        }
        if (uid.startsWith("1.2.840.10008.1.2.4.5") || uid.startsWith("1.2.840.10008.1.2.4.7")
                || uid.equals(TransferSyntax.JPEG_2000.uid()) || uid.equals(TransferSyntax.JPEG_2000_LOSSLESS.uid())) {
            return imageIo(frame, uid.startsWith("1.2.840.10008.1.2.4.9") ? "jpeg2000" : "jpeg");
        }
        throw new NoDecoderException(uid);
    }

    private DecodedFrame imageIo(byte[] frame, String format) throws IOException {
        try (ImageInputStream iis = ImageIO.createImageInputStream(new ByteArrayInputStream(frame))) {
            var readers = ImageIO.getImageReadersByFormatName(format);
            if (!readers.hasNext()) {
                throw new NoDecoderException(ts.uid());
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis);
                BufferedImage img = reader.read(0);
                Raster r = img.getRaster();
                int bands = r.getNumBands();
                int[] samples = r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
                PixelDescription d = description;
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
            } catch (RuntimeException e) {
                throw new DicomFormatException("cannot decode " + format + " frame: " + e, -1, Tag.PixelData);
            } finally {
                reader.dispose();
            }
        }
    }

    /** Samples of a native frame: any Bits Allocated, sign extension from Bits Stored, either planar configuration. */
    static DecodedFrame nativeSamples(byte[] frame, PixelDescription d) throws DicomFormatException {
        int pixels = d.rows() * d.columns();
        int spp = d.samplesPerPixel();
        int n = pixels * spp;
        int[] s = new int[n];
        boolean ybr422 = d.photometric().equals("YBR_FULL_422") || d.photometric().equals("YBR_PARTIAL_422");
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
