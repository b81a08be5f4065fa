package org.arca.dicom;

/** One data element of a dataset: its tag, VR and value. Immutable if its value is. */
public record Element(int tag, VR vr, Value value) {
    public Element {
        if (vr == null || value == null) {
            throw new IllegalArgumentException("VR and value are required");
        }
    }

    /** Length of the value in bytes, or -1 for sequences, fragments and unresolved bulk data. */
    public long length() {
        return switch (value) {
            case Value.Bytes b -> b.bytes().length;
            case Value.Bulk b -> b.data().length();
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return Tag.toString(tag) + " " + vr + " " + value;
    }
}
