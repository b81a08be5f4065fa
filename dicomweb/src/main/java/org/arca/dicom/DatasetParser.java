package org.arca.dicom;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the elements of a dataset in one transfer syntax encoding (PS3.5 sections 7 and A.4)
 * into {@link Attributes}: sequences and items of defined and undefined length, encapsulated
 * pixel data, and bulk values left in the source file. Iterates over elements and recurses only
 * for nesting, up to {@link DicomReader.Options#maxDepth()} levels.
 */
final class DatasetParser {
    private static final long UNDEFINED = 0xFFFFFFFFL;

    private final DicomInput in;
    private final DicomReader.Options options;
    /** The source file when bulk values may be left in it, else null. */
    private final Path bulkFile;
    /** Made on the first bulk value: most reads for the index never need it, and it costs microseconds. */
    private URI bulkUri;
    private boolean stopped;

    DatasetParser(DicomInput in, DicomReader.Options options, Path bulkFile) {
        this.in = in;
        this.options = options;
        this.bulkFile = bulkFile;
    }

    private URI bulkUri() {
        if (bulkUri == null) {
            bulkUri = bulkFile.toAbsolutePath().toUri();
        }
        return bulkUri;
    }

    /** True when parsing ended at the stop tag rather than at the end of the data. */
    boolean stopped() {
        return stopped;
    }

    /** Reads a top-level dataset until the end of input or the stop tag. */
    void readDataset(Attributes target, boolean explicit, boolean bigEndian) throws IOException {
        readItems(target, -1, explicit, bigEndian, 0, true);
    }

    /** Reads elements of the meta group (Explicit VR Little Endian) up to {@code end}. */
    void readGroup(Attributes target, long end) throws IOException {
        readItems(target, end, true, false, 0, false);
    }

    /** Reads exactly one Explicit VR Little Endian element (meta group without a group length). */
    void readGroupElement(Attributes target) throws IOException {
        long start = in.position();
        in.tag = -1;
        int tag = in.tag(false);
        in.tag = tag;
        VR vr = VR.fromCode(in.u8(), in.u8());
        if (vr == null) {
            throw new DicomFormatException("unknown VR in the meta group", start + 4, tag);
        }
        long length = vr.hasLongLength() ? skipReservedAndReadLength() : in.u16(false);
        target.set(readValue(target, tag, vr, length, true, false, 0));
    }

    private long skipReservedAndReadLength() throws IOException {
        in.u16(false);
        return in.u32(false);
    }

    /**
     * Reads elements into {@code target} until {@code end} (an absolute position), or, when
     * {@code end} is -1, until an Item Delimitation Item (inside an item) or the end of input
     * (at top level).
     */
    private void readItems(Attributes target, long end, boolean explicit, boolean bigEndian, int depth,
                           boolean topLevel) throws IOException {
        int previous = -1;
        while (true) {
            if (end >= 0) {
                long p = in.position();
                if (p == end) {
                    return;
                }
                if (p > end) {
                    throw in.error("element overruns the end of its item at " + end);
                }
            } else if (topLevel && in.atEnd()) {
                return;
            }
            in.tag = -1;
            long start = in.position();
            int tag = in.tag(bigEndian);
            in.tag = tag;
            if (tag == Tag.ItemDelimitationItem) {
                in.u32(bigEndian);
                if (topLevel || end >= 0) {
                    throw new DicomFormatException("item delimiter outside an item of undefined length", start, tag);
                }
                return;
            }
            if (Tag.group(tag) == 0xFFFE) {
                throw new DicomFormatException("unexpected item or delimiter tag", start, tag);
            }
            if (topLevel && options.stopAfter() != -1 && Integer.compareUnsigned(tag, options.stopAfter()) > 0) {
                stopped = true;
                return;
            }
            if (previous != -1 && Integer.compareUnsigned(tag, previous) <= 0) {
                throw new DicomFormatException("tags out of ascending order after " + Tag.toString(previous), start, tag);
            }
            previous = tag;
            VR vr;
            long length;
            if (explicit) {
                int b0 = in.u8();
                int b1 = in.u8();
                vr = VR.fromCode(b0, b1);
                if (vr == null) {
                    throw new DicomFormatException(String.format("unknown VR 0x%02X%02X", b0, b1), start + 4, tag);
                }
                if (vr.hasLongLength()) {
                    in.u16(bigEndian);
                    length = in.u32(bigEndian);
                } else {
                    length = in.u16(bigEndian);
                }
            } else {
                vr = PixelValueVr.implicit(tag, target);
                length = in.u32(bigEndian);
            }
            Element e = readValue(target, tag, vr, length, explicit, bigEndian, depth);
            target.set(e);
            if (tag == Tag.SpecificCharacterSet) {
                checkCharset(target, start, tag);
            }
        }
    }

    private void checkCharset(Attributes target, long start, int tag) throws DicomFormatException {
        try {
            target.charset();
        } catch (IllegalArgumentException ex) {
            throw new DicomFormatException(ex.getMessage(), start, tag);
        }
    }

    private Element readValue(Attributes target, int tag, VR vr, long length, boolean explicit, boolean bigEndian,
                              int depth) throws IOException {
        long valueStart = in.position();
        if (length == UNDEFINED) {
            if (vr == VR.SQ || vr == VR.UN) {
                // An undefined-length UN is a sequence encoded in Implicit VR Little Endian (PS3.5 6.2.2).
                boolean ex = vr == VR.SQ && explicit;
                boolean be = vr == VR.SQ && bigEndian;
                return new Element(tag, VR.SQ, readSequence(target, -1, ex, be, depth));
            }
            if (vr == VR.OB || vr == VR.OW) {
                return new Element(tag, vr, readFragments(bigEndian));
            }
            throw new DicomFormatException("undefined length on a " + vr + " element", valueStart, tag);
        }
        if (length > in.remaining()) {
            throw new DicomFormatException("value length " + length + " goes beyond the end of the input",
                    valueStart, tag);
        }
        if (vr == VR.SQ) {
            return new Element(tag, vr, readSequence(target, valueStart + length, explicit, bigEndian, depth));
        }
        if ((length & 1) != 0) {
            if (vr != VR.UN) {
                throw new DicomFormatException("odd value length " + length, valueStart, tag);
            }
            // Unknown (often private) data has no unit an odd length could split; DCMTK reads it and pads it
            // to an even length with a zero byte, and so does Arca, so such files read as they do there.
            byte[] b = in.bytes(length);
            return new Element(tag, vr, new Value.Bytes(Arrays.copyOf(b, b.length + 1)));
        }
        if (length % vr.unitSize() != 0) {
            throw new DicomFormatException("value length " + length + " is not a multiple of " + vr.unitSize()
                    + " for VR " + vr, valueStart, tag);
        }
        if (isBulk(tag, vr, length)) {
            in.skip(length);
            return new Element(tag, vr, new Value.Bulk(new BulkData(bulkUri(), valueStart, length, bigEndian)));
        }
        byte[] b = in.bytes(length);
        if (bigEndian) {
            ByteOrderSwap.swap(b, vr.unitSize());
        }
        return new Element(tag, vr, b.length == 0 ? Value.Bytes.EMPTY : new Value.Bytes(b));
    }

    private boolean isBulk(int tag, VR vr, long length) {
        if (bulkFile == null || options.bulkThreshold() < 0 || length <= options.bulkThreshold()) {
            return false;
        }
        return vr.kind() == VR.Kind.BULK || tag == Tag.PixelData;
    }

    private Value.Sequence readSequence(Attributes parent, long end, boolean explicit, boolean bigEndian, int depth)
            throws IOException {
        int seqTag = in.tag;
        if (depth + 1 > options.maxDepth()) {
            throw in.error("sequences nested deeper than " + options.maxDepth() + " levels");
        }
        List<Attributes> items = new ArrayList<>();
        while (true) {
            if (end >= 0) {
                long p = in.position();
                if (p == end) {
                    break;
                }
                if (p > end) {
                    throw new DicomFormatException("item overruns the end of its sequence", p, seqTag);
                }
            }
            long start = in.position();
            in.tag = seqTag;
            int tag = in.tag(bigEndian);
            long length = in.u32(bigEndian);
            if (tag == Tag.SequenceDelimitationItem) {
                if (end >= 0) {
                    throw new DicomFormatException("sequence delimiter in a sequence of defined length", start, seqTag);
                }
                break;
            }
            if (tag != Tag.Item) {
                throw new DicomFormatException("expected an item, found " + Tag.toString(tag), start, seqTag);
            }
            Attributes item = new Attributes(parent);
            if (length == UNDEFINED) {
                readItems(item, -1, explicit, bigEndian, depth + 1, false);
            } else {
                long itemEnd = in.position() + length;
                if (length > in.remaining() || end >= 0 && itemEnd > end) {
                    throw new DicomFormatException("item length " + length + " goes beyond its container", start, seqTag);
                }
                readItems(item, itemEnd, explicit, bigEndian, depth + 1, false);
            }
            items.add(item);
        }
        in.tag = seqTag;
        return new Value.Sequence(items);
    }

    private Value.Fragments readFragments(boolean bigEndian) throws IOException {
        int pixelTag = in.tag;
        List<Value> items = new ArrayList<>();
        while (true) {
            long start = in.position();
            int tag = in.tag(bigEndian);
            long length = in.u32(bigEndian);
            if (tag == Tag.SequenceDelimitationItem) {
                break;
            }
            if (tag != Tag.Item) {
                throw new DicomFormatException("expected a fragment item, found " + Tag.toString(tag), start, pixelTag);
            }
            if (length == UNDEFINED || length > in.remaining()) {
                throw new DicomFormatException("fragment length " + length + " goes beyond the end of the input",
                        start, pixelTag);
            }
            long valueStart = in.position();
            // The offset table (first item) stays in memory: frame access needs it.
            if (!items.isEmpty() && bulkFile != null && options.bulkThreshold() >= 0
                    && length > options.bulkThreshold()) {
                in.skip(length);
                items.add(new Value.Bulk(new BulkData(bulkUri(), valueStart, length, false)));
            } else {
                byte[] b = in.bytes(length);
                items.add(b.length == 0 ? Value.Bytes.EMPTY : new Value.Bytes(b));
            }
        }
        if (items.isEmpty()) {
            throw in.error("encapsulated pixel data without a Basic Offset Table item");
        }
        return new Value.Fragments(items);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
