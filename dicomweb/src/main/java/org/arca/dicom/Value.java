package org.arca.dicom;

import java.util.Arrays;
import java.util.List;

/**
 * The value of one data element: a closed set of shapes.
 *
 * <p>Binary numbers (US, SS, UL, FL, OW, ...) are always held in little endian order whatever the
 * transfer syntax they were read from; text is held as the bytes of the dataset's Specific
 * Character Set, so writing back gives the same bytes that were read.
 */
public sealed interface Value {

    /** Bytes held in memory. The array is owned by the value: do not modify it. */
    record Bytes(byte[] bytes) implements Value {
        public static final Bytes EMPTY = new Bytes(new byte[0]);

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Bytes[" + bytes.length + "]";
        }
    }

    /** The items of a sequence (SQ). */
    record Sequence(List<Attributes> items) implements Value {
    }

    /**
     * Encapsulated pixel data: the Basic Offset Table item (possibly empty) followed by the
     * fragments, each a {@link Bytes} or a {@link Bulk}.
     */
    record Fragments(List<Value> items) implements Value {
        public Fragments {
            for (Value v : items) {
                if (!(v instanceof Bytes || v instanceof Bulk)) {
                    throw new IllegalArgumentException("a fragment is bytes or bulk data: " + v);
                }
            }
        }
    }

    /** A value left in its source; see {@link BulkData}. */
    record Bulk(BulkData data) implements Value {
    }
}
