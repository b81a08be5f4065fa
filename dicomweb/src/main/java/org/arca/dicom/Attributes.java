package org.arca.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A DICOM dataset (or a sequence item): data elements in ascending tag order, with typed
 * accessors that decode values according to their VR and the Specific Character Set in force.
 *
 * <p>A sequence item knows the dataset that holds it, so it inherits that dataset's Specific
 * Character Set unless it declares its own. Text is kept as the bytes read, so a dataset written
 * back is byte-identical in its values.
 *
 * <p>Not thread-safe: confine an instance to one thread or guard it externally. Two instances are
 * {@link #equals equal} when they hold the same tags with the same VRs and values.
 *
 * <p>Longer than most classes here because it is the dataset's whole typed API, one accessor per kind of value,
 * over one ordered element list; the decoding itself lives in {@link VR} and {@link SpecificCharacterSet}.
 */
public final class Attributes {
    private final TreeMap<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);
    private Attributes parent;
    private SpecificCharacterSet charsetCache;

    public Attributes() {
    }

    /** A new empty sequence item whose character set defaults to {@code parent}'s. */
    public Attributes(Attributes parent) {
        this.parent = parent;
    }

    public Attributes parent() {
        return parent;
    }

    void parent(Attributes p) {
        this.parent = p;
        this.charsetCache = null;
    }

    // ---- structure ----

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public Optional<Element> get(int tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    /** The elements in ascending tag order (a live, unmodifiable view). */
    public Collection<Element> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    /** Adds or replaces an element; a sequence's items are re-parented to this dataset. */
    public Attributes set(Element e) {
        Objects.requireNonNull(e);
        if (e.value() instanceof Value.Sequence s) {
            for (Attributes item : s.items()) {
                item.parent(this);
            }
        }
        elements.put(e.tag(), e);
        if (e.tag() == Tag.SpecificCharacterSet) {
            invalidateCharset();
        }
        return this;
    }

    public Attributes set(int tag, VR vr, Value value) {
        return set(new Element(tag, vr, value));
    }

    public Optional<Element> remove(int tag) {
        Element e = elements.remove(tag);
        if (tag == Tag.SpecificCharacterSet) {
            invalidateCharset();
        }
        return Optional.ofNullable(e);
    }

    private void invalidateCharset() {
        charsetCache = null;
        for (Element e : elements.values()) {
            if (e.value() instanceof Value.Sequence s) {
                for (Attributes item : s.items()) {
                    item.invalidateCharset();
                }
            }
        }
    }

    /** The Specific Character Set in force for this dataset (its own, else its parent's). */
    SpecificCharacterSet charset() {
        SpecificCharacterSet cs = charsetCache;
        if (cs == null) {
            Element e = elements.get(Tag.SpecificCharacterSet);
            if (e != null && e.value() instanceof Value.Bytes b) {
                cs = SpecificCharacterSet.of(splitValues(new String(b.bytes(), StandardCharsets.ISO_8859_1), VR.CS));
            } else {
                cs = parent != null ? parent.charset() : SpecificCharacterSet.DEFAULT;
            }
            charsetCache = cs;
        }
        return cs;
    }

    // ---- reading values ----

    /** The values of a text or number element as strings; empty when absent or empty. */
    public List<String> strings(int tag) {
        Element e = elements.get(tag);
        return e == null ? List.of() : strings(e);
    }

    /** The values of an element as strings (binary numbers formatted, AT as GGGGEEEE). */
    public List<String> strings(Element e) {
        if (!(e.value() instanceof Value.Bytes b)) {
            return List.of();
        }
        byte[] bytes = b.bytes();
        VR vr = e.vr();
        switch (vr.kind()) {
            case STRING, TEXT -> {
                String s = vr.kind() == VR.Kind.TEXT ? charset().decode(bytes)
                        : new String(bytes, StandardCharsets.ISO_8859_1);
                return splitValues(s, vr);
            }
            case BINARY -> {
                ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                int n = bytes.length / vr.unitSize();
                List<String> out = new ArrayList<>(n);
                if (vr == VR.AT) {
                    for (int i = 0; i + 3 < bytes.length; i += 4) {
                        out.add(String.format("%04X%04X", bb.getShort(i) & 0xFFFF, bb.getShort(i + 2) & 0xFFFF));
                    }
                    return out;
                }
                for (int i = 0; i < n; i++) {
                    out.add(switch (vr) {
                        case US -> Integer.toString(bb.getShort(i * 2) & 0xFFFF);
                        case SS -> Short.toString(bb.getShort(i * 2));
                        case UL -> Integer.toUnsignedString(bb.getInt(i * 4));
                        case SL -> Integer.toString(bb.getInt(i * 4));
                        case FL -> Float.toString(bb.getFloat(i * 4));
                        case FD -> Double.toString(bb.getDouble(i * 8));
                        case SV -> Long.toString(bb.getLong(i * 8));
                        case UV -> Long.toUnsignedString(bb.getLong(i * 8));
                        default -> throw new IllegalStateException(vr.name());
                    });
                }
                return out;
            }
            default -> {
                return List.of();
            }
        }
    }

    static List<String> splitValues(String s, VR vr) {
        if (s.isEmpty()) {
            return List.of();
        }
        if (!vr.isMultiValuedText()) {
            return List.of(trim(s, vr));
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '\\') {
                out.add(trim(s.substring(start, i), vr));
                start = i + 1;
            }
        }
        return out;
    }

    /** Removes the padding and insignificant spaces of PS3.5 6.2 for the VR. */
    static String trim(String s, VR vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        if (vr != VR.LT && vr != VR.ST && vr != VR.UT && vr != VR.UR) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    /** The first value as a string. */
    public Optional<String> string(int tag) {
        List<String> v = strings(tag);
        return v.isEmpty() || v.get(0).isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public String getString(int tag, String orElse) {
        return string(tag).orElse(orElse);
    }

    /** The values as ints: IS and binary integers; empty when absent or not numbers. */
    public int[] ints(int tag) {
        List<String> v = strings(tag);
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = (int) Long.parseLong(v.get(i).strip());
            } catch (NumberFormatException e) {
                try {
                    out[i] = (int) Double.parseDouble(v.get(i));
                } catch (NumberFormatException e2) {
                    return new int[0];
                }
            }
        }
        return out;
    }

    public OptionalInt intValue(int tag) {
        int[] v = ints(tag);
        return v.length == 0 ? OptionalInt.empty() : OptionalInt.of(v[0]);
    }

    public int getInt(int tag, int orElse) {
        return intValue(tag).orElse(orElse);
    }

    /** The values as doubles: DS, IS and binary numbers; empty when absent or not numbers. */
    public double[] doubles(int tag) {
        List<String> v = strings(tag);
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Double.parseDouble(v.get(i).strip());
            } catch (NumberFormatException e) {
                return new double[0];
            }
        }
        return out;
    }

    public OptionalDouble doubleValue(int tag) {
        double[] v = doubles(tag);
        return v.length == 0 ? OptionalDouble.empty() : OptionalDouble.of(v[0]);
    }

    public double getDouble(int tag, double orElse) {
        return doubleValue(tag).orElse(orElse);
    }

    /** The items of a sequence; an empty list when absent. */
    public List<Attributes> sequence(int tag) {
        Element e = elements.get(tag);
        return e != null && e.value() instanceof Value.Sequence s ? s.items() : List.of();
    }

    /** The bytes of an in-memory value (little endian for binary VRs); empty if absent. */
    public Optional<byte[]> bytes(int tag) {
        Element e = elements.get(tag);
        return e != null && e.value() instanceof Value.Bytes b ? Optional.of(b.bytes()) : Optional.empty();
    }

    // ---- writing values ----

    /**
     * Sets a text element, encoding the values in this dataset's Specific Character Set (so set
     * that first) and padding to even length.
     *
     * @throws IllegalArgumentException if the VR is not a text VR or a character cannot be encoded
     */
    public Attributes setString(int tag, VR vr, String... values) {
        if (vr.kind() != VR.Kind.STRING && vr.kind() != VR.Kind.TEXT) {
            throw new IllegalArgumentException(vr + " is not a text VR");
        }
        String joined = String.join("\\", values);
        byte[] b = vr.kind() == VR.Kind.TEXT ? charset().encode(joined)
                : joined.getBytes(StandardCharsets.ISO_8859_1);
        return set(tag, vr, new Value.Bytes(pad(b, vr)));
    }

    static byte[] pad(byte[] b, VR vr) {
        if (b.length % 2 == 0) {
            return b;
        }
        byte[] p = Arrays.copyOf(b, b.length + 1);
        p[b.length] = vr.paddingByte();
        return p;
    }

    /** Sets a binary integer element (US, SS, UL, SL, SV, UV) or IS. */
    public Attributes setInt(int tag, VR vr, long... values) {
        if (vr == VR.IS) {
            String[] s = new String[values.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Long.toString(values[i]);
            }
            return setString(tag, vr, s);
        }
        ByteBuffer bb = ByteBuffer.allocate(values.length * vr.unitSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (vr) {
                case US, SS, OW -> bb.putShort((short) v);
                case UL, SL, OL -> bb.putInt((int) v);
                case SV, UV, OV -> bb.putLong(v);
                default -> throw new IllegalArgumentException(vr + " is not an integer VR");
            }
        }
        return set(tag, vr, new Value.Bytes(bb.array()));
    }

    /** Sets a floating point element (FL, FD, OF, OD) or DS. */
    public Attributes setDouble(int tag, VR vr, double... values) {
        if (vr == VR.DS) {
            String[] s = new String[values.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = DecimalString.format(values[i]);
            }
            return setString(tag, vr, s);
        }
        ByteBuffer bb = ByteBuffer.allocate(values.length * vr.unitSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (vr) {
                case FL, OF -> bb.putFloat((float) v);
                case FD, OD -> bb.putDouble(v);
                default -> throw new IllegalArgumentException(vr + " is not a floating point VR");
            }
        }
        return set(tag, vr, new Value.Bytes(bb.array()));
    }

    /** Sets bytes as they are (little endian for binary VRs), padded to even length. */
    public Attributes setBytes(int tag, VR vr, byte[] value) {
        return set(tag, vr, new Value.Bytes(pad(value, vr)));
    }

    /** Sets a sequence from items (which become children of this dataset) and returns them. */
    public List<Attributes> setSequence(int tag, List<Attributes> items) {
        List<Attributes> list = new ArrayList<>(items);
        set(tag, VR.SQ, new Value.Sequence(list));
        return list;
    }

    // ---- identity ----

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Attributes a) || a.elements.size() != elements.size()) {
            return false;
        }
        var i = elements.values().iterator();
        var j = a.elements.values().iterator();
        while (i.hasNext()) {
            if (!i.next().equals(j.next())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return elements.values().hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        dump(sb, "");
        return sb.toString();
    }

    private void dump(StringBuilder sb, String indent) {
        for (Element e : elements.values()) {
            sb.append(indent).append(Tag.toString(e.tag())).append(' ').append(e.vr()).append(' ');
            if (e.value() instanceof Value.Sequence s) {
                sb.append(s.items().size()).append(" items\n");
                for (Attributes item : s.items()) {
                    sb.append(indent).append("  item\n");
                    item.dump(sb, indent + "    ");
                }
            } else if (e.value() instanceof Value.Bytes b && e.vr().kind() != VR.Kind.BULK) {
                String s = String.join("\\", strings(e));
                sb.append('[').append(s.length() > 64 ? s.substring(0, 64) + "..." : s).append("]\n");
            } else {
                sb.append(e.value()).append('\n');
            }
        }
    }
}
