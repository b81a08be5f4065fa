package org.arca.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds raw DICOM byte streams for tests that need malformed input. */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final boolean bigEndian;

    Bytes() {
        this(false);
    }

    Bytes(boolean bigEndian) {
        this.bigEndian = bigEndian;
    }

    Bytes u16(int v) {
        if (bigEndian) {
            out.write(v >> 8);
            out.write(v);
        } else {
            out.write(v);
            out.write(v >> 8);
        }
        return this;
    }

    Bytes u32(long v) {
        if (bigEndian) {
            u16((int) (v >>> 16)).u16((int) v);
        } else {
            u16((int) v).u16((int) (v >>> 16));
        }
        return this;
    }

    Bytes tag(int tag) {
        return u16(tag >>> 16).u16(tag & 0xFFFF);
    }

    Bytes ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        return this;
    }

    Bytes raw(byte... b) {
        out.writeBytes(b);
        return this;
    }

    /** An explicit VR element with a short (16-bit) length header. */
    Bytes shortElement(int tag, String vr, String value) {
        return tag(tag).ascii(vr).u16(value.length()).ascii(value);
    }

    Bytes preambleAndMeta(String tsUid) {
        raw(new byte[128]).ascii("DICM");
        Bytes group = new Bytes();
        String ts = tsUid.length() % 2 == 0 ? tsUid : tsUid + "\0";
        group.shortElement(Tag.TransferSyntaxUID, "UI", ts);
        byte[] g = group.toByteArray();
        tag(Tag.FileMetaInformationGroupLength).ascii("UL").u16(4).u32(g.length);
        return raw(g);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
