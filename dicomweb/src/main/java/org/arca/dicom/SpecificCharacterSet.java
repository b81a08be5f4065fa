package org.arca.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Decodes and encodes the text of PN, SH, LO, UC, ST, LT and UT values according to Specific
 * Character Set (0008,0005), PS3.3 C.12.1.1.2 and PS3.5 section 6.1: single-byte sets, ISO 2022
 * code extensions with escape sequences (Latin, Cyrillic, Greek, Hebrew, Arabic, Thai, Japanese
 * JIS X 0201/0208/0212, Korean KS X 1001, Chinese GB 2312), and the multi-byte sets without code
 * extensions (UTF-8, GB18030, GBK). Immutable.
 */
final class SpecificCharacterSet {

    /** A code element: a designated character set, and where it sits (G0 or G1). */
    private record CodeElement(String term, byte[] escape, boolean g1, int bytesPerChar, Charset charset) {
    }

    private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;

    private static CodeElement ce(String term, String esc, boolean g1, int n, String charset) {
        return new CodeElement(term, esc.getBytes(LATIN1), g1, n, Charset.forName(charset));
    }

    /** ISO 2022 terms and, for the single-byte sets, the equivalent non-2022 term. */
    private static final Map<String, CodeElement> ISO2022 = Map.ofEntries(
            Map.entry("ISO 2022 IR 6", ce("ISO 2022 IR 6", "\u001b(B", false, 1, "US-ASCII")),
            Map.entry("ISO 2022 IR 100", ce("ISO 2022 IR 100", "\u001b-A", true, 1, "ISO-8859-1")),
            Map.entry("ISO 2022 IR 101", ce("ISO 2022 IR 101", "\u001b-B", true, 1, "ISO-8859-2")),
            Map.entry("ISO 2022 IR 109", ce("ISO 2022 IR 109", "\u001b-C", true, 1, "ISO-8859-3")),
            Map.entry("ISO 2022 IR 110", ce("ISO 2022 IR 110", "\u001b-D", true, 1, "ISO-8859-4")),
            Map.entry("ISO 2022 IR 144", ce("ISO 2022 IR 144", "\u001b-L", true, 1, "ISO-8859-5")),
            Map.entry("ISO 2022 IR 127", ce("ISO 2022 IR 127", "\u001b-G", true, 1, "ISO-8859-6")),
            Map.entry("ISO 2022 IR 126", ce("ISO 2022 IR 126", "\u001b-F", true, 1, "ISO-8859-7")),
            Map.entry("ISO 2022 IR 138", ce("ISO 2022 IR 138", "\u001b-H", true, 1, "ISO-8859-8")),
            Map.entry("ISO 2022 IR 148", ce("ISO 2022 IR 148", "\u001b-M", true, 1, "ISO-8859-9")),
            Map.entry("ISO 2022 IR 203", ce("ISO 2022 IR 203", "\u001b-b", true, 1, "ISO-8859-15")),
            Map.entry("ISO 2022 IR 166", ce("ISO 2022 IR 166", "\u001b-T", true, 1, "TIS-620")),
            Map.entry("ISO 2022 IR 13", ce("ISO 2022 IR 13", "\u001b)I", true, 1, "JIS_X0201")),
            Map.entry("ISO 2022 IR 87", ce("ISO 2022 IR 87", "\u001b$B", false, 2, "EUC-JP")),
            Map.entry("ISO 2022 IR 159", ce("ISO 2022 IR 159", "\u001b$(D", false, 2, "EUC-JP")),
            Map.entry("ISO 2022 IR 149", ce("ISO 2022 IR 149", "\u001b$)C", true, 2, "EUC-KR")),
            Map.entry("ISO 2022 IR 58", ce("ISO 2022 IR 58", "\u001b$)A", true, 2, "GB2312")));

    private static final Map<String, String> SINGLE = Map.ofEntries(
            Map.entry("ISO_IR 6", "US-ASCII"), Map.entry("ISO_IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"), Map.entry("ISO_IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"), Map.entry("ISO_IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"), Map.entry("ISO_IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"), Map.entry("ISO_IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 203", "ISO-8859-15"), Map.entry("ISO_IR 166", "TIS-620"),
            Map.entry("ISO_IR 13", "JIS_X0201"), Map.entry("ISO_IR 192", "UTF-8"),
            Map.entry("GB18030", "GB18030"), Map.entry("GBK", "GBK"));

    static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(List.of(), LATIN1, null);
    static final SpecificCharacterSet UTF_8 = new SpecificCharacterSet(List.of("ISO_IR 192"),
            StandardCharsets.UTF_8, null);

    private final List<String> terms;
    /** The charset when there are no code extensions. */
    private final Charset single;
    /** The code elements when the value uses ISO 2022 code extensions, else null. */
    private final List<CodeElement> elements;

    private SpecificCharacterSet(List<String> terms, Charset single, List<CodeElement> elements) {
        this.terms = terms;
        this.single = single;
        this.elements = elements;
    }

    /**
     * The character set named by the values of Specific Character Set.
     *
     * @throws IllegalArgumentException for an unknown or inconsistent term
     */
    static SpecificCharacterSet of(List<String> values) {
        if (values.isEmpty() || values.size() == 1 && values.get(0).isBlank()) {
            return DEFAULT;
        }
        List<String> terms = values.stream().map(String::strip).toList();
        boolean extensions = terms.stream().anyMatch(t -> t.startsWith("ISO 2022"));
        if (!extensions) {
            if (terms.size() != 1) {
                throw new IllegalArgumentException("several Specific Character Set terms without ISO 2022: " + terms);
            }
            String cs = SINGLE.get(terms.get(0));
            if (cs == null) {
                throw new IllegalArgumentException("unknown Specific Character Set term '" + terms.get(0) + "'");
            }
            return new SpecificCharacterSet(terms, Charset.forName(cs), null);
        }
        java.util.ArrayList<CodeElement> els = new java.util.ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            String t = terms.get(i);
            if (t.isEmpty() && i == 0) {
                t = "ISO 2022 IR 6";
            }
            CodeElement e = ISO2022.get(t);
            if (e == null) {
                throw new IllegalArgumentException("unknown Specific Character Set term '" + t + "'");
            }
            els.add(e);
        }
        return new SpecificCharacterSet(terms, null, List.copyOf(els));
    }

    List<String> terms() {
        return terms;
    }

    boolean isUtf8() {
        return single == StandardCharsets.UTF_8;
    }

    /** Decodes a whole value field (all values, with their backslashes). */
    String decode(byte[] b) {
        if (elements == null) {
            if (single == LATIN1 || single.name().equals("US-ASCII")) {
                return new String(b, LATIN1);
            }
            return new String(b, single);
        }
        return decodeIso2022(b);
    }

    private String decodeIso2022(byte[] b) {
        CodeElement initialG1 = elements.get(0).g1() ? elements.get(0) : null;
        // Value 1 of IR 13 puts JIS X 0201 romaji in G0; treat romaji as ASCII except yen/overline.
        boolean romaji = elements.get(0).term().equals("ISO 2022 IR 13");
        CodeElement g0 = null;
        CodeElement g1 = initialG1;
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c == 0x1B) {
                Designation des = designate(b, i);
                if (des != null) {
                    CodeElement d = des.element();
                    if (d == null) {
                        g0 = null;
                        romaji = des.roman();
                    } else if (d.g1()) {
                        g1 = d;
                    } else {
                        g0 = d.bytesPerChar() == 1 ? null : d;
                        romaji = false;
                    }
                    i += des.length();
                    continue;
                }
                sb.append((char) c);
                i++;
            } else if (c < 0x80) {
                if (g0 != null && c > 0x20 && c < 0x7F && i + 1 < b.length) {
                    int c2 = b[i + 1] & 0xFF;
                    byte[] euc = g0.term().equals("ISO 2022 IR 159")
                            ? new byte[] {(byte) 0x8F, (byte) (c | 0x80), (byte) (c2 | 0x80)}
                            : new byte[] {(byte) (c | 0x80), (byte) (c2 | 0x80)};
                    sb.append(new String(euc, g0.charset()));
                    i += 2;
                } else {
                    if (c < 0x20) {
                        g0 = null; // control characters end a multi-byte run (PS3.5 6.1.2.5.3)
                    }
                    sb.append(romaji && c == 0x5C ? '\u00A5' : romaji && c == 0x7E ? '\u203E' : (char) c);
                    i++;
                }
            } else {
                if (g1 == null) {
                    sb.append('\uFFFD');
                    i++;
                } else if (g1.bytesPerChar() == 2 && i + 1 < b.length) {
                    sb.append(new String(b, i, 2, g1.charset()));
                    i += 2;
                } else {
                    sb.append(new String(b, i, 1, g1.charset()));
                    i++;
                }
            }
        }
        return sb.toString();
    }

    /** An escape sequence found in the text: what it designates (null for ASCII) and its length. */
    private record Designation(CodeElement element, boolean roman, int length) {
    }

    private static final byte[] ESC_ROMAN = {0x1B, '(', 'J'};

    private static Designation designate(byte[] b, int i) {
        for (CodeElement e : ISO2022.values()) {
            if (startsWith(b, i, e.escape())) {
                return new Designation(e.term().equals("ISO 2022 IR 6") ? null : e, false, e.escape().length);
            }
        }
        if (startsWith(b, i, ESC_ROMAN)) {
            return new Designation(null, true, 3);
        }
        return null;
    }

    private static boolean startsWith(byte[] b, int i, byte[] p) {
        if (i + p.length > b.length) {
            return false;
        }
        for (int k = 0; k < p.length; k++) {
            if (b[i + k] != p[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Encodes text in this character set, switching code elements with escape sequences where the
     * set uses ISO 2022, and returning to the initial ones before each delimiter (backslash, '=',
     * '^', control characters) as PS3.5 6.1.2.5.3 requires.
     *
     * @throws IllegalArgumentException if a character is not in any of the set's repertoires
     */
    byte[] encode(String s) {
        if (elements == null) {
            CharsetEncoder enc = (single == LATIN1 && terms.isEmpty() ? StandardCharsets.US_ASCII : single)
                    .newEncoder().onUnmappableCharacter(CodingErrorAction.REPORT);
            try {
                ByteBuffer bb = enc.encode(CharBuffer.wrap(s));
                byte[] out = new byte[bb.remaining()];
                bb.get(out);
                return out;
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("a value has characters not representable in " + terms, e);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 2);
        CodeElement initialG1 = elements.get(0).g1() ? elements.get(0) : null;
        CodeElement g0 = null;
        CodeElement g1 = initialG1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                if (g0 != null) {
                    out.writeBytes("\u001b(B".getBytes(LATIN1));
                    g0 = null;
                }
                if (cp < 0x20 || cp == '\\' || cp == '=' || cp == '^') {
                    if (g1 != initialG1 && initialG1 != null) {
                        out.writeBytes(initialG1.escape());
                        g1 = initialG1;
                    }
                }
                out.write(cp);
                continue;
            }
            String ch = new String(Character.toChars(cp));
            boolean done = false;
            for (CodeElement e : elements) {
                if (e.term().equals("ISO 2022 IR 6")) {
                    continue;
                }
                byte[] enc = tryEncode(e, ch);
                if (enc == null) {
                    continue;
                }
                if (e.g1()) {
                    if (g1 != e) {
                        out.writeBytes(e.escape());
                        g1 = e;
                    }
                    out.writeBytes(enc);
                } else {
                    if (g0 != e) {
                        out.writeBytes(e.escape());
                        g0 = e;
                    }
                    for (byte x : enc) {
                        out.write(x & 0x7F);
                    }
                }
                done = true;
                break;
            }
            if (!done) {
                throw new IllegalArgumentException("character U+" + Integer.toHexString(cp)
                        + " not representable in " + terms);
            }
        }
        if (g0 != null) {
            out.writeBytes("\u001b(B".getBytes(LATIN1));
        }
        return out.toByteArray();
    }

    /** Bytes of one character in a code element (G1 bytes as is, G0 bytes with the high bit). */
    private static byte[] tryEncode(CodeElement e, String ch) {
        CharsetEncoder enc = e.charset().newEncoder();
        if (!enc.canEncode(ch)) {
            return null;
        }
        byte[] b = ch.getBytes(e.charset());
        boolean jis0212 = e.term().equals("ISO 2022 IR 159");
        if (e.term().equals("ISO 2022 IR 87") && (b.length != 2 || (b[0] & 0xFF) < 0xA1)) {
            return null;
        }
        if (jis0212) {
            if (b.length != 3 || (b[0] & 0xFF) != 0x8F) {
                return null;
            }
            return new byte[] {b[1], b[2]};
        }
        if (e.term().equals("ISO 2022 IR 13") && (b.length != 1 || (b[0] & 0xFF) < 0xA1)) {
            return null;
        }
        if (e.bytesPerChar() == 1 && b.length == 1 && (b[0] & 0xFF) < 0x80) {
            return null;
        }
        return b.length == e.bytesPerChar() ? b : null;
    }

    @Override
    public String toString() {
        return String.join("\\", terms);
    }
}
