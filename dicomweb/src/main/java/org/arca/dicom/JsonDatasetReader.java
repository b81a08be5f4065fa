package org.arca.dicom;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a PS3.18 F.2 JSON object into {@link Attributes}. Values are first read into plain
 * holders (the "vr" member may follow "Value"), then encoded for the element's VR. Text becomes
 * UTF-8 and the dataset is marked {@code ISO_IR 192}.
 */
final class JsonDatasetReader {
    /** A JSON number kept as its text, so DS and IS keep their digits. */
    private record Num(String text) {
    }

    /** A PN value's component groups. */
    private record Name(String alphabetic, String ideographic, String phonetic) {
    }

    private record Pending(String vr, List<Object> values, String inline, String uri) {
    }

    private final JsonParser p;
    private boolean nonAscii;

    JsonDatasetReader(JsonParser p) {
        this.p = p;
    }

    Attributes readTopLevel() throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw error("a DICOM JSON dataset is an object", -1);
        }
        Attributes attrs = new Attributes();
        readObject(attrs, 0);
        if (nonAscii || attrs.contains(Tag.SpecificCharacterSet)) {
            attrs.set(Tag.SpecificCharacterSet, VR.CS, new Value.Bytes("ISO_IR 192".getBytes(StandardCharsets.US_ASCII)));
        }
        return attrs;
    }

    private DicomFormatException error(String message, int tag) {
        return new DicomFormatException(message, p.currentTokenLocation().getCharOffset(), tag);
    }

    /** Reads members of an object whose START_OBJECT has been consumed. */
    private void readObject(Attributes attrs, int depth) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            int tag;
            try {
                if (key.length() != 8) {
                    throw new NumberFormatException();
                }
                tag = Integer.parseUnsignedInt(key, 16);
            } catch (NumberFormatException e) {
                throw error("'" + key + "' is not a tag of eight hex digits", -1);
            }
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("an attribute is an object", tag);
            }
            Pending pending = readAttribute(tag, depth);
            attrs.set(toElement(tag, pending, attrs, depth));
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw error("malformed dataset object", -1);
        }
    }

    private Pending readAttribute(int tag, int depth) throws IOException {
        String vr = null;
        List<Object> values = null;
        String inline = null;
        String uri = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "vr" -> vr = p.getValueAsString();
                case "Value" -> {
                    if (t != JsonToken.START_ARRAY) {
                        throw error("Value is an array", tag);
                    }
                    values = readArray(tag, depth);
                }
                case "InlineBinary" -> inline = p.getValueAsString();
                case "BulkDataURI" -> uri = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        if (vr == null) {
            throw error("attribute without vr", tag);
        }
        return new Pending(vr, values, inline, uri);
    }

    private List<Object> readArray(int tag, int depth) throws IOException {
        List<Object> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            switch (t) {
                case VALUE_NULL -> out.add(null);
                case VALUE_STRING -> out.add(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.add(new Num(p.getText()));
                case START_OBJECT -> out.add(readObjectValue(tag, depth));
                default -> throw error("unexpected " + t + " in Value", tag);
            }
        }
        return out;
    }

    /** An object in a Value array: a PN value or a sequence item; decided by its members. */
    private Object readObjectValue(int tag, int depth) throws IOException {
        // Peek at the first member name: PN groups have fixed names, items have tags.
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return new Attributes();
        }
        String first = p.currentName();
        if (first.equals("Alphabetic") || first.equals("Ideographic") || first.equals("Phonetic")) {
            String[] groups = new String[3];
            do {
                String name = p.currentName();
                p.nextToken();
                String v = p.getValueAsString();
                switch (name) {
                    case "Alphabetic" -> groups[0] = v;
                    case "Ideographic" -> groups[1] = v;
                    case "Phonetic" -> groups[2] = v;
                    default -> throw error("unknown person name group " + name, tag);
                }
            } while (p.nextToken() == JsonToken.FIELD_NAME);
            return new Name(groups[0], groups[1], groups[2]);
        }
        if (depth + 1 > 64) {
            throw error("sequences nested deeper than 64 levels", tag);
        }
        Attributes item = new Attributes();
        // Re-dispatch the member we already consumed the name of.
        readMembersFrom(item, depth + 1);
        return item;
    }

    private void readMembersFrom(Attributes item, int depth) throws IOException {
        do {
            String key = p.currentName();
            int tag;
            try {
                tag = Integer.parseUnsignedInt(key, 16);
            } catch (NumberFormatException e) {
                throw error("'" + key + "' is not a tag", -1);
            }
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("an attribute is an object", tag);
            }
            item.set(toElement(tag, readAttribute(tag, depth), item, depth));
        } while (p.nextToken() == JsonToken.FIELD_NAME);
    }

    private Element toElement(int tag, Pending a, Attributes owner, int depth) throws IOException {
        VR vr;
        try {
            vr = VR.valueOf(a.vr());
        } catch (IllegalArgumentException e) {
            throw error("unknown VR '" + a.vr() + "'", tag);
        }
        if (a.uri() != null) {
            try {
                return new Element(tag, vr, new Value.Bulk(new BulkData(new URI(a.uri()), 0, -1, false)));
            } catch (URISyntaxException e) {
                throw error("invalid BulkDataURI", tag);
            }
        }
        if (a.inline() != null) {
            byte[] b;
            try {
                b = Base64.getDecoder().decode(a.inline());
            } catch (IllegalArgumentException e) {
                throw error("invalid base64 in InlineBinary", tag);
            }
            if (tag == Tag.PixelData && b.length >= 8 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF
                    && b[2] == 0 && (b[3] & 0xFF) == 0xE0) {
                return new Element(tag, vr, fragments(b, tag));
            }
            return new Element(tag, vr, new Value.Bytes(Attributes.pad(b, vr)));
        }
        List<Object> values = a.values() == null ? List.of() : a.values();
        switch (vr.kind()) {
            case SEQUENCE -> {
                List<Attributes> items = new ArrayList<>();
                for (Object o : values) {
                    if (!(o instanceof Attributes item)) {
                        throw error("sequence values are objects", tag);
                    }
                    items.add(item);
                }
                return new Element(tag, vr, new Value.Sequence(items));
            }
            case BINARY -> {
                return new Element(tag, vr, new Value.Bytes(binary(vr, values, tag)));
            }
            case BULK -> {
                if (!values.isEmpty()) {
                    throw error(vr + " values are InlineBinary or BulkDataURI", tag);
                }
                return new Element(tag, vr, Value.Bytes.EMPTY);
            }
            default -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        sb.append('\\');
                    }
                    Object o = values.get(i);
                    switch (o) {
                        case null -> { }
                        case String s -> sb.append(s);
                        case Num n -> sb.append(n.text());
                        case Name n -> sb.append(personName(n));
                        default -> throw error("unexpected value for VR " + vr, tag);
                    }
                }
                String s = sb.toString();
                byte[] b = s.getBytes(vr.kind() == VR.Kind.TEXT ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                if (vr.kind() == VR.Kind.TEXT && b.length != s.length()) {
                    nonAscii = true;
                }
                return new Element(tag, vr, b.length == 0 ? Value.Bytes.EMPTY : new Value.Bytes(Attributes.pad(b, vr)));
            }
        }
    }

    private static String personName(Name n) {
        String[] g = {n.alphabetic() == null ? "" : n.alphabetic(), n.ideographic() == null ? "" : n.ideographic(),
                n.phonetic() == null ? "" : n.phonetic()};
        int last = g[2].isEmpty() ? g[1].isEmpty() ? 0 : 1 : 2;
        StringBuilder sb = new StringBuilder(g[0]);
        for (int i = 1; i <= last; i++) {
            sb.append('=').append(g[i]);
        }
        return sb.toString();
    }

    private byte[] binary(VR vr, List<Object> values, int tag) throws DicomFormatException {
        int unit = vr == VR.AT ? 4 : vr.unitSize();
        ByteBuffer bb = ByteBuffer.allocate(values.size() * unit).order(ByteOrder.LITTLE_ENDIAN);
        for (Object o : values) {
            String text = o instanceof Num n ? n.text() : o instanceof String s ? s : null;
            if (text == null) {
                throw error("missing or non-numeric value for " + vr, tag);
            }
            try {
                switch (vr) {
                    case AT -> {
                        int t = Integer.parseUnsignedInt(text, 16);
                        bb.putShort((short) (t >>> 16)).putShort((short) t);
                    }
                    case US, SS -> bb.putShort((short) Long.parseLong(text));
                    case UL, SL -> bb.putInt((int) Long.parseLong(text));
                    case SV -> bb.putLong(Long.parseLong(text));
                    case UV -> bb.putLong(Long.parseUnsignedLong(text));
                    case FL -> bb.putFloat(Float.parseFloat(text));
                    case FD -> bb.putDouble(Double.parseDouble(text));
                    default -> throw new IllegalStateException(vr.name());
                }
            } catch (NumberFormatException e) {
                throw error("a value is not a valid " + vr + " value", tag);
            }
        }
        return bb.array();
    }

    private Value.Fragments fragments(byte[] b, int tag) throws IOException {
        DicomInput in = new DicomInput(new java.io.ByteArrayInputStream(b), b.length);
        List<Value> items = new ArrayList<>();
        while (true) {
            int t = in.tag(false);
            long len = in.u32(false);
            if (t == Tag.SequenceDelimitationItem) {
                break;
            }
            if (t != Tag.Item) {
                throw error("malformed encapsulated pixel data in InlineBinary", tag);
            }
            items.add(new Value.Bytes(in.bytes(len)));
        }
        return new Value.Fragments(items);
    }
}
