package org.arca.dicom;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Writes one dataset as a PS3.18 F.2 JSON object; see {@link DicomJson} for the conventions. */
final class JsonDatasetWriter {
    /** A DS or IS value that is already a valid JSON number, written with its own digits. */
    private static final java.util.regex.Pattern JSON_NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private static final long MAX_SAFE_INTEGER = 1L << 53;

    private final JsonGenerator g;
    private final DicomJson.Options options;

    JsonDatasetWriter(JsonGenerator g, DicomJson.Options options) {
        this.g = g;
        this.options = options;
    }

    void writeDataset(Attributes attrs, String path) throws IOException {
        g.writeStartObject();
        for (Element e : attrs.elements()) {
            if (Tag.element(e.tag()) == 0) {
                continue; // group lengths describe an encoding, not the data (dcm2json omits them too)
            }
            g.writeFieldName(Tag.toHex(e.tag()));
            g.writeStartObject();
            g.writeStringField("vr", e.vr().name());
            writeValue(attrs, e, path.isEmpty() ? Tag.toHex(e.tag()) : path + "/" + Tag.toHex(e.tag()));
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private void writeValue(Attributes attrs, Element e, String path) throws IOException {
        switch (e.value()) {
            case Value.Sequence s -> {
                if (s.items().isEmpty()) {
                    return;
                }
                g.writeArrayFieldStart("Value");
                int i = 0;
                for (Attributes item : s.items()) {
                    writeDataset(item, path + "/" + i++);
                }
                g.writeEndArray();
            }
            case Value.Fragments f -> {
                if (uriFor(path, e, Long.MAX_VALUE)) {
                    return;
                }
                writeInlineBinary(itemStream(f));
            }
            case Value.Bulk b -> {
                if (uriFor(path, e, b.data().length())) {
                    return;
                }
                if (!b.data().isFile()) {
                    g.writeStringField("BulkDataURI", b.data().uri().toString());
                    return;
                }
                byte[] bytes = b.data().readAll(e.vr());
                writeBinaryOrValues(attrs, e, new Element(e.tag(), e.vr(), new Value.Bytes(bytes)), path);
            }
            case Value.Bytes b -> writeBinaryOrValues(attrs, e, e, path);
        }
    }

    private boolean uriFor(String path, Element e, long length) throws IOException {
        if (options.bulkDataUri() == null || options.bulkDataThreshold() < 0 || length <= options.bulkDataThreshold()) {
            return false;
        }
        g.writeStringField("BulkDataURI", options.bulkDataUri().apply(path, e));
        return true;
    }

    /**
     * Base64 with padding and no line breaks (RFC 4648, as PS3.18 Annex F asks), encoded by the
     * generator straight into its output: pixel data is most of a file, and going through a
     * String first copies it three more times.
     */
    private void writeInlineBinary(byte[] bytes) throws IOException {
        g.writeFieldName("InlineBinary");
        g.writeBinary(Base64Variants.MIME_NO_LINEFEEDS, bytes, 0, bytes.length);
    }

    private void writeBinaryOrValues(Attributes attrs, Element original, Element e, String path) throws IOException {
        byte[] bytes = ((Value.Bytes) e.value()).bytes();
        VR vr = e.vr();
        if (vr.kind() == VR.Kind.BULK) {
            if (bytes.length > 0 && !uriFor(path, original, bytes.length)) {
                writeInlineBinary(bytes);
            }
            return;
        }
        if (e.tag() == Tag.SpecificCharacterSet) {
            // The JSON text is Unicode whatever the object's character set, an empty (default) one included,
            // so the dataset it describes is ISO_IR 192 (dcm2json writes the same).
            g.writeArrayFieldStart("Value");
            g.writeString("ISO_IR 192");
            g.writeEndArray();
            return;
        }
        if (bytes.length == 0) {
            return;
        }
        if (vr.kind() == VR.Kind.BINARY) {
            writeBinaryNumbers(vr, bytes);
            return;
        }
        List<String> values = attrs.strings(e);
        if (vr == VR.PN) {
            values = values.stream().map(JsonDatasetWriter::nameOrEmpty).toList();
        }
        if (values.stream().allMatch(String::isEmpty)) {
            return;
        }
        g.writeArrayFieldStart("Value");
        for (String v : values) {
            if (v.isEmpty()) {
                g.writeNull();
            } else if (vr == VR.PN) {
                writePersonName(v);
            } else if (vr == VR.DS || vr == VR.IS) {
                writeNumberText(v);
            } else {
                g.writeString(v);
            }
        }
        g.writeEndArray();
    }

    private void writeBinaryNumbers(VR vr, byte[] bytes) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        g.writeArrayFieldStart("Value");
        int unit = vr == VR.AT ? 4 : vr.unitSize();
        for (int i = 0; i + unit <= bytes.length; i += unit) {
            switch (vr) {
                case AT -> g.writeString(Tag.toHex(((bb.getShort(i) & 0xFFFF) << 16) | (bb.getShort(i + 2) & 0xFFFF)));
                case US -> g.writeNumber(bb.getShort(i) & 0xFFFF);
                case SS -> g.writeNumber(bb.getShort(i));
                case UL -> g.writeNumber(bb.getInt(i) & 0xFFFFFFFFL);
                case SL -> g.writeNumber(bb.getInt(i));
                case FL -> writeFloating(bb.getFloat(i), Float.toString(bb.getFloat(i)));
                case FD -> writeFloating(bb.getDouble(i), Double.toString(bb.getDouble(i)));
                case SV -> {
                    long v = bb.getLong(i);
                    if (Math.abs(v) <= MAX_SAFE_INTEGER && v != Long.MIN_VALUE) {
                        g.writeNumber(v);
                    } else {
                        g.writeString(Long.toString(v));
                    }
                }
                case UV -> {
                    long v = bb.getLong(i);
                    if (v >= 0 && v <= MAX_SAFE_INTEGER) {
                        g.writeNumber(v);
                    } else {
                        g.writeString(Long.toUnsignedString(v));
                    }
                }
                default -> throw new IllegalStateException(vr.name());
            }
        }
        g.writeEndArray();
    }

    private void writeFloating(double v, String text) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            g.writeString(text); // JSON has no NaN or infinity
        } else {
            g.writeNumber(text);
        }
    }

    /** DS and IS as JSON numbers, keeping their digits; text that is no number stays a string. */
    private void writeNumberText(String v) throws IOException {
        String s = v.strip();
        try {
            BigDecimal d = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
            if (JSON_NUMBER.matcher(s).matches()) {
                g.writeNumber(s);
            } else {
                g.writeNumber(d.toString());
            }
        } catch (NumberFormatException ex) {
            g.writeString(v);
        }
    }

    private void writePersonName(String v) throws IOException {
        String[] groups = v.split("=", -1);
        String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
        g.writeStartObject();
        for (int i = 0; i < Math.min(3, groups.length); i++) {
            String group = stripTrailingCarets(groups[i]);
            if (!group.isEmpty()) {
                g.writeStringField(names[i], group);
            }
        }
        g.writeEndObject();
    }

    /**
     * A person name whose component groups are all empty ("^^^^", "=^^^", "==") is an empty value: PS3.18
     * F.2.2 writes an empty value as null and omits empty component groups, so it is null, not an object with
     * no groups (dcm2json does the same).
     */
    private static String nameOrEmpty(String v) {
        String[] groups = v.split("=", -1);
        for (int i = 0; i < Math.min(3, groups.length); i++) { // the three groups writePersonName writes
            if (!stripTrailingCarets(groups[i]).isEmpty()) {
                return v;
            }
        }
        return "";
    }

    static String stripTrailingCarets(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '^' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The value field of encapsulated pixel data: items then a sequence delimiter. */
    static byte[] itemStream(Value.Fragments f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DatasetEncoder(out, true, false).writeElement(new Element(Tag.PixelData, VR.OB, f));
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOfRange(all, 12, all.length); // drop the element header
    }
}
