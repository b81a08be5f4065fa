package org.arca.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Encodes elements in one transfer syntax encoding (PS3.5 section 7): sequences and items with
 * undefined length, encapsulated pixel data as items, bulk values copied from their source.
 * Group length elements other than the meta group's are dropped, since values may change size.
 */
final class DatasetEncoder {
    private final OutputStream out;
    private final boolean explicit;
    private final boolean bigEndian;
    private final byte[] header = new byte[12];

    DatasetEncoder(OutputStream out, boolean explicit, boolean bigEndian) {
        this.out = out;
        this.explicit = explicit;
        this.bigEndian = bigEndian;
    }

    void writeDataset(Attributes attrs) throws IOException {
        for (Element e : attrs.elements()) {
            if (Tag.element(e.tag()) == 0 && Tag.group(e.tag()) != 2) {
                continue;
            }
            writeElement(e);
        }
    }

    void writeElement(Element e) throws IOException {
        VR vr = e.vr();
        switch (e.value()) {
            case Value.Sequence s -> {
                writeHeader(e.tag(), VR.SQ, 0xFFFFFFFFL);
                for (Attributes item : s.items()) {
                    writeItemHeader(Tag.Item, 0xFFFFFFFFL);
                    writeDataset(item);
                    writeItemHeader(Tag.ItemDelimitationItem, 0);
                }
                writeItemHeader(Tag.SequenceDelimitationItem, 0);
            }
            case Value.Fragments f -> {
                if (bigEndian) {
                    throw new IllegalArgumentException("encapsulated pixel data cannot be written in big endian");
                }
                writeHeader(e.tag(), vr, 0xFFFFFFFFL);
                for (Value item : f.items()) {
                    long len = item instanceof Value.Bytes b ? b.bytes().length : ((Value.Bulk) item).data().length();
                    writeItemHeader(Tag.Item, len + (len & 1));
                    writeValue(item, VR.OB, len);
                }
                writeItemHeader(Tag.SequenceDelimitationItem, 0);
            }
            case Value.Bytes b -> {
                if (explicit && !vr.hasLongLength() && b.bytes().length > 0xFFFE) {
                    vr = VR.UN; // too long for a 16-bit length: PS3.5 6.2.2 note, encode as UN
                }
                int len = b.bytes().length;
                writeHeader(e.tag(), vr, len + (len & 1));
                writeValue(b, vr, len);
            }
            case Value.Bulk bulk -> {
                long len = bulk.data().length();
                if (len < 0) {
                    throw new IOException("cannot write bulk data " + bulk.data().uri() + " of unknown length");
                }
                writeHeader(e.tag(), vr, len + (len & 1));
                writeValue(bulk, vr, len);
            }
        }
    }

    /** An element whose value is produced as it is written; its declared length is checked against what it wrote. */
    void writeStreamed(int tag, VR vr, DicomWriter.StreamedValue value) throws IOException {
        long len = value.length();
        if (len < 0 || len + (len & 1) > 0xFFFFFFFEL || (!vr.hasLongLength() && len > 0xFFFE)) {
            throw new IllegalArgumentException("a value of " + len + " bytes cannot be written as " + vr);
        }
        if (bigEndian && vr.unitSize() > 1) {
            throw new IllegalArgumentException("a streamed value is little endian; cannot write it in big endian");
        }
        writeHeader(tag, vr, len + (len & 1));
        long[] written = {0};
        value.writeTo(new java.io.FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                written[0]++;
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int n) throws IOException {
                written[0] += n;
                out.write(b, off, n);
            }

            @Override
            public void close() {
                // The element's stream is the dataset's: closing it is not the value's business.
            }
        });
        if (written[0] != len) {
            // The header already promised len bytes: a different count would shift every element after it.
            throw new IOException("streamed value of " + Tag.toString(tag) + " wrote " + written[0] + " bytes, not " + len);
        }
        if ((len & 1) != 0) {
            out.write(vr.paddingByte());
        }
    }

    private void writeValue(Value v, VR vr, long len) throws IOException {
        if (v instanceof Value.Bytes b) {
            byte[] bytes = b.bytes();
            if (bigEndian && vr.unitSize() > 1) {
                bytes = bytes.clone();
                ByteOrderSwap.swap(bytes, vr.unitSize());
            }
            out.write(bytes);
        } else {
            BulkData d = ((Value.Bulk) v).data();
            boolean swap = d.bigEndian() != bigEndian && vr.unitSize() > 1;
            try (InputStream in = d.open()) {
                byte[] buf = new byte[1 << 16];
                long left = len;
                while (left > 0) {
                    int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, left));
                    if (n <= 0) {
                        throw new IOException("bulk data " + d.uri() + " ends early");
                    }
                    if (swap) {
                        ByteOrderSwap.swap(buf, 0, n, vr.unitSize());
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
        }
        if ((len & 1) != 0) {
            out.write(vr.paddingByte());
        }
    }

    private void writeHeader(int tag, VR vr, long length) throws IOException {
        putTag(tag);
        if (!explicit) {
            put32(4, length);
            out.write(header, 0, 8);
            return;
        }
        String code = vr.name();
        header[4] = (byte) code.charAt(0);
        header[5] = (byte) code.charAt(1);
        if (vr.hasLongLength()) {
            header[6] = 0;
            header[7] = 0;
            put32(8, length);
            out.write(header, 0, 12);
        } else {
            put16(6, (int) length);
            out.write(header, 0, 8);
        }
    }

    private void writeItemHeader(int tag, long length) throws IOException {
        putTag(tag);
        put32(4, length);
        out.write(header, 0, 8);
    }

    private void putTag(int tag) {
        put16(0, Tag.group(tag));
        put16(2, Tag.element(tag));
    }

    private void put16(int off, int v) {
        if (bigEndian) {
            header[off] = (byte) (v >> 8);
            header[off + 1] = (byte) v;
        } else {
            header[off] = (byte) v;
            header[off + 1] = (byte) (v >> 8);
        }
    }

    private void put32(int off, long v) {
        if (bigEndian) {
            put16(off, (int) (v >>> 16));
            put16(off + 2, (int) v);
        } else {
            put16(off, (int) v);
            put16(off + 2, (int) (v >>> 16));
        }
    }
}
