package org.arca.dicom;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Reads DICOM: Part 10 files (preamble, "DICM", meta group) and bare datasets, in every
 * transfer syntax of PS3.5 (implicit and explicit VR, little and big endian, deflated,
 * encapsulated). Malformed input ends in a {@link DicomFormatException}; nothing is read past a
 * declared length and no allocation exceeds what the input really holds.
 *
 * <p>Stateless and thread-safe; each call reads one object. Streams passed in are not closed.
 */
public final class DicomReader {
    /**
     * PS3.5 9.1: numeric components without leading zeros, separated by single periods. An unknown
     * transfer syntax is read as a future encapsulated one; anything else is a damaged meta group.
     */
    private static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    /**
     * How to read.
     *
     * @param stopAfter     stop before the first top-level element whose tag is greater than this
     *                      one (for indexing without reading pixel data), or -1 to read everything
     * @param bulkThreshold values of pixel data and OB/OD/OF/OL/OV/OW/UN longer than this many bytes
     *                      are left in the file as {@link BulkData} when reading a file (not a stream
     *                      and not a deflated dataset); -1 loads every value
     * @param maxDepth      deepest sequence nesting accepted; deeper input is rejected
     */
    public record Options(int stopAfter, long bulkThreshold, int maxDepth) {
        public static final Options DEFAULT = new Options(-1, -1, 64);

        public Options withStopAfter(int tag) {
            return new Options(tag, bulkThreshold, maxDepth);
        }

        public Options withBulkThreshold(long bytes) {
            return new Options(stopAfter, bytes, maxDepth);
        }

        public Options withMaxDepth(int depth) {
            return new Options(stopAfter, bulkThreshold, depth);
        }
    }

    private DicomReader() {
    }

    public static DicomFile read(Path file) throws IOException {
        return read(file, Options.DEFAULT);
    }

    public static DicomFile read(Path file, Options options) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new DicomInput(Channels.newInputStream(ch), ch.size()), options, file);
        }
    }

    /** Reads from a stream, which is left open and positioned somewhere after what was read. */
    public static DicomFile read(InputStream in, Options options) throws IOException {
        return read(new DicomInput(in, -1), options, null);
    }

    /** Reads from bytes in memory (for STOW parts and tests). */
    public static DicomFile read(byte[] bytes, Options options) throws IOException {
        return read(new DicomInput(new java.io.ByteArrayInputStream(bytes), bytes.length), options, null);
    }

    private static DicomFile read(DicomInput in, Options options, Path source) throws IOException {
        Attributes meta = new Attributes();
        byte[] head = in.peek(132);
        boolean part10 = head != null && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
        if (part10) {
            in.skip(132);
        }
        TransferSyntax ts;
        byte[] first = in.peek(8);
        if (first == null) {
            if (part10) {
                throw in.error("file ends after the preamble");
            }
            throw in.error("input too short to be DICOM");
        }
        boolean metaFollows = first[0] == 2 && first[1] == 0 && VR.fromCode(first[4], first[5]) != null;
        if (part10 || metaFollows) {
            if (!metaFollows) {
                throw in.error("Part 10 preamble not followed by an Explicit VR Little Endian meta group");
            }
            readMeta(in, meta, options);
            String uid = meta.string(Tag.TransferSyntaxUID).orElse(null);
            if (uid == null) {
                // A meta group without its (required) Transfer Syntax UID: read the dataset in the encoding its
                // first element header shows, as DCMTK does, rather than refuse an otherwise readable file.
                byte[] dataStart = in.peek(8);
                ts = dataStart == null ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : guess(dataStart);
            } else {
                ts = TransferSyntax.of(uid);
                if (!TransferSyntax.isKnown(uid) && !(uid.length() <= 64 && UID.matcher(uid).matches())) {
                    throw in.error("meta group names an invalid transfer syntax '" + uid + "'");
                }
            }
        } else {
            ts = guess(first);
        }
        Attributes dataset = new Attributes();
        DicomInput body = in;
        Path bulkSource = source;
        if (ts.deflated()) {
            body = new DicomInput(new BufferedInputStream(new InflaterInputStream(in.rest(), new Inflater(true))), -1);
            bulkSource = null;
        }
        DatasetParser parser = new DatasetParser(body, options, bulkSource);
        try {
            parser.readDataset(dataset, ts.explicitVr(), ts.bigEndian());
        } catch (DicomFormatException e) {
            throw e;
        } catch (IOException e) {
            if (!ts.deflated()) {
                throw e;
            }
            // The inflater's own errors (corrupt or truncated deflate stream) are format errors.
            throw body.error("corrupt deflated data: " + e.getMessage());
        }
        return new DicomFile(meta, dataset, ts, !parser.stopped());
    }

    private static void readMeta(DicomInput in, Attributes meta, Options options) throws IOException {
        DatasetParser parser = new DatasetParser(in, Options.DEFAULT, null);
        long start = in.position();
        Attributes lengthOnly = new Attributes();
        // The group length comes first and bounds the rest of the group.
        byte[] h = in.peek(4);
        if (h != null && h[0] == 2 && h[1] == 0 && h[2] == 0 && h[3] == 0) {
            parser.readGroupElement(lengthOnly);
            meta.set(lengthOnly.get(Tag.FileMetaInformationGroupLength).orElseThrow());
            long declared = meta.intValue(Tag.FileMetaInformationGroupLength).orElse(0) & 0xFFFFFFFFL;
            long end = in.position() + declared;
            if (declared > in.remaining()) {
                throw new DicomFormatException("meta group length " + declared + " goes beyond the end of the input",
                        start, Tag.FileMetaInformationGroupLength);
            }
            parser.readGroup(meta, end);
            for (Element e : meta.elements()) {
                if (Tag.group(e.tag()) != 2) {
                    throw new DicomFormatException("meta group length " + declared + " covers element "
                            + Tag.toString(e.tag()) + " outside group 0002", start, Tag.FileMetaInformationGroupLength);
                }
            }
            byte[] next = in.peek(2);
            if (next != null && next[0] == 2 && next[1] == 0) {
                throw new DicomFormatException("meta group elements beyond the declared group length " + declared,
                        in.position(), Tag.FileMetaInformationGroupLength);
            }
        } else {
            while (true) {
                byte[] next = in.peek(2);
                if (next == null || next[0] != 2 || next[1] != 0) {
                    break;
                }
                parser.readGroupElement(meta);
            }
        }
    }

    /** Guesses the encoding of a dataset from its first element header (a bare dataset, or a meta group naming none). */
    private static TransferSyntax guess(byte[] b) {
        VR vr = VR.fromCode(b[4], b[5]);
        int groupLe = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
        int groupBe = (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
        if (vr != null) {
            return groupBe < groupLe ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        }
        return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }
}
