package org.arca.core;

import java.time.LocalDate;

/** A typed value of user metadata on a folder or an item. */
public sealed interface MetadataValue {

    String type();

    /** The value as JSON shows it: a string, a number, or an ISO date string. */
    Object jsonValue();

    record Text(String value) implements MetadataValue {
        public String type() {
            return "text";
        }

        public Object jsonValue() {
            return value;
        }
    }

    record Number(double value) implements MetadataValue {
        public String type() {
            return "number";
        }

        public Object jsonValue() {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? (Object) (long) value : (Object) value;
        }
    }

    record Date(LocalDate value) implements MetadataValue {
        public String type() {
            return "date";
        }

        public Object jsonValue() {
            return value.toString();
        }
    }
}
