package org.arca.dicom;

/**
 * The value representations of PS3.5 section 6.2: how an attribute's value is encoded.
 *
 * <p>Each constant knows whether its explicit-VR header uses the 32-bit length form, the size of
 * its binary unit (the byte-swapping unit for big endian), the byte it pads odd lengths with, and
 * whether its text is subject to Specific Character Set.
 */
public enum VR {
    AE(Kind.STRING), AS(Kind.STRING), AT(Kind.BINARY, 2), CS(Kind.STRING), DA(Kind.STRING),
    DS(Kind.STRING), DT(Kind.STRING), FL(Kind.BINARY, 4), FD(Kind.BINARY, 8), IS(Kind.STRING),
    LO(Kind.TEXT), LT(Kind.TEXT), OB(Kind.BULK, 1), OD(Kind.BULK, 8), OF(Kind.BULK, 4),
    OL(Kind.BULK, 4), OV(Kind.BULK, 8), OW(Kind.BULK, 2), PN(Kind.TEXT), SH(Kind.TEXT),
    SL(Kind.BINARY, 4), SQ(Kind.SEQUENCE), SS(Kind.BINARY, 2), ST(Kind.TEXT), SV(Kind.BINARY, 8),
    TM(Kind.STRING), UC(Kind.TEXT), UI(Kind.STRING), UL(Kind.BINARY, 4), UN(Kind.BULK, 1),
    UR(Kind.STRING), US(Kind.BINARY, 2), UT(Kind.TEXT), UV(Kind.BINARY, 8);

    /** What a value of this VR is made of. */
    public enum Kind {
        /** Default repertoire text, backslash separated. */
        STRING,
        /** Text whose bytes follow Specific Character Set. */
        TEXT,
        /** Fixed-size binary numbers (and AT). */
        BINARY,
        /** Other-byte/word/... and UN: opaque bytes, candidates for bulk data. */
        BULK,
        /** A sequence of items. */
        SEQUENCE
    }

    private final Kind kind;
    private final int unitSize;

    VR(Kind kind) {
        this(kind, 1);
    }

    VR(Kind kind, int unitSize) {
        this.kind = kind;
        this.unitSize = unitSize;
    }

    public Kind kind() {
        return kind;
    }

    /** Size in bytes of one binary unit; the unit byte-swapped between little and big endian. */
    public int unitSize() {
        return unitSize;
    }

    /** True when the explicit-VR header has two reserved bytes and a 32-bit length. */
    public boolean hasLongLength() {
        return switch (this) {
            case OB, OD, OF, OL, OV, OW, SQ, UC, UR, UT, UN, SV, UV -> true;
            default -> false;
        };
    }

    /** The byte appended to make an odd-length value even. */
    public byte paddingByte() {
        return switch (this) {
            case UI, OB, UN -> 0;
            default -> kind == Kind.STRING || kind == Kind.TEXT ? (byte) ' ' : 0;
        };
    }

    /** True for string VRs whose value may hold several values separated by backslash. */
    public boolean isMultiValuedText() {
        return (kind == Kind.STRING || kind == Kind.TEXT) && this != LT && this != ST && this != UT
                && this != UR;
    }

    /** Parses the two VR characters of an explicit-VR header, or returns null if unknown. */
    static VR fromCode(int b0, int b1) {
        if (b0 < 'A' || b0 > 'Z' || b1 < 'A' || b1 > 'Z') {
            return null;
        }
        return CODES[(b0 - 'A') * 26 + (b1 - 'A')];
    }

    private static final VR[] CODES = new VR[26 * 26];

    static {
        for (VR vr : values()) {
            String n = vr.name();
            CODES[(n.charAt(0) - 'A') * 26 + (n.charAt(1) - 'A')] = vr;
        }
    }
}
