package org.arca.dicom;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes DICOM Part 10 files (preamble, "DICM", a meta group built from the dataset) and bare
 * datasets, in the dataset's original transfer syntax or another one: any native syntax for
 * native pixel data, and the original encapsulated syntax for compressed pixel data (the writer
 * does not transcode pixel data itself; a caller that decodes frames passes them as a
 * {@link StreamedValue}).
 *
 * <p>Stateless and thread-safe. Sequences and items are written with undefined length; group
 * length elements are dropped from the dataset (the meta group's length is computed). Streams
 * passed in are flushed, not closed.
 */
public final class DicomWriter {
    /** Arca's implementation class UID: a UUID-derived UID under 2.25 (PS3.5 B.2). */
    public static final String IMPLEMENTATION_CLASS_UID = "2.25.302052296139447915227935617434532710201";
    public static final String IMPLEMENTATION_VERSION_NAME = "ARCA_0.1";

    private DicomWriter() {
    }

    /**
     * A value produced while it is written, such as decoded pixel data of many frames: its length is known first
     * (the element header precedes it), its bytes need never be in memory at once.
     */
    public interface StreamedValue {
        /** Exactly the number of bytes {@link #writeTo} writes, before padding to even length. */
        long length();

        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path file, Attributes dataset, TransferSyntax ts) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out, dataset, ts);
        }
    }

    /** Writes a Part 10 file: preamble, "DICM", meta group, dataset. */
    public static void write(OutputStream out, Attributes dataset, TransferSyntax ts) throws IOException {
        check(dataset, ts);
        out.write(new byte[128]);
        out.write("DICM".getBytes(StandardCharsets.US_ASCII));
        writeMeta(out, metaFor(dataset, ts));
        writeDataset(out, dataset, ts);
    }

    /**
     * Writes a Part 10 file whose element {@code tag} is {@code value}, written in its place among the dataset's
     * elements as it is produced. The dataset must not hold that tag; {@code ts} must be a native syntax.
     */
    public static void write(OutputStream out, Attributes dataset, TransferSyntax ts, int tag, VR vr, StreamedValue value)
            throws IOException {
        check(dataset, ts);
        if (ts.encapsulated() || dataset.contains(tag)) {
            throw new IllegalArgumentException("a streamed value is written in a native syntax, into a dataset without it");
        }
        Attributes before = new Attributes();
        Attributes after = new Attributes();
        for (Element e : dataset.elements()) {
            (Integer.compareUnsigned(e.tag(), tag) < 0 ? before : after).set(e);
        }
        out.write(new byte[128]);
        out.write("DICM".getBytes(StandardCharsets.US_ASCII));
        writeMeta(out, metaFor(dataset, ts));
        encode(out, ts, enc -> {
            enc.writeDataset(before);
            enc.writeStreamed(tag, vr, value);
            enc.writeDataset(after);
        });
    }

    /** Writes the dataset alone, as in a network transfer. */
    public static void writeDataset(OutputStream out, Attributes dataset, TransferSyntax ts) throws IOException {
        check(dataset, ts);
        encode(out, ts, enc -> enc.writeDataset(dataset));
    }

    private interface Body {
        void writeTo(DatasetEncoder encoder) throws IOException;
    }

    /** Runs {@code body} on an encoder for the syntax's encoding, deflating what it writes when the syntax says so. */
    private static void encode(OutputStream out, TransferSyntax ts, Body body) throws IOException {
        if (ts.deflated()) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            DeflaterOutputStream dout = new DeflaterOutputStream(out, deflater, 1 << 16);
            body.writeTo(new DatasetEncoder(dout, true, false));
            dout.finish();
            deflater.end();
        } else {
            OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
            body.writeTo(new DatasetEncoder(buffered, ts.explicitVr(), ts.bigEndian()));
            buffered.flush();
        }
        out.flush();
    }

    /** The meta group Arca writes for a dataset: PS3.10 section 7.1. */
    public static Attributes metaFor(Attributes dataset, TransferSyntax ts) {
        Attributes meta = new Attributes();
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.setString(Tag.MediaStorageSOPClassUID, VR.UI, dataset.getString(Tag.SOPClassUID, ""));
        meta.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, dataset.getString(Tag.SOPInstanceUID, ""));
        meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        meta.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        meta.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        return meta;
    }

    private static void writeMeta(OutputStream out, Attributes meta) throws IOException {
        ByteArrayOutputStream group = new ByteArrayOutputStream(256);
        DatasetEncoder enc = new DatasetEncoder(group, true, false);
        for (Element e : meta.elements()) {
            if (e.tag() != Tag.FileMetaInformationGroupLength) {
                enc.writeElement(e);
            }
        }
        Attributes length = new Attributes();
        length.setInt(Tag.FileMetaInformationGroupLength, VR.UL, group.size());
        new DatasetEncoder(out, true, false).writeElement(length.get(Tag.FileMetaInformationGroupLength).orElseThrow());
        group.writeTo(out);
    }

    private static void check(Attributes dataset, TransferSyntax ts) {
        boolean fragments = dataset.get(Tag.PixelData).map(e -> e.value() instanceof Value.Fragments).orElse(false);
        if (fragments && !ts.encapsulated()) {
            throw new IllegalArgumentException("pixel data is compressed; cannot write it as " + ts.name());
        }
        if (ts.encapsulated() && dataset.contains(Tag.PixelData) && !fragments) {
            throw new IllegalArgumentException("native pixel data cannot be written as " + ts.name());
        }
    }
}
