package org.arca.core;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What ingest steps learnt about an upload's bytes (a parsed DICOM header, say), keyed by type and handed on to
 * later steps and to the item listeners, so that the bytes are parsed once however many parts of the system look
 * at them. Facts describe the blob they were learnt from: a step that rewrites the bytes starts from none.
 * Immutable.
 */
public final class Facts {
    private static final Facts NONE = new Facts(Map.of());

    private final Map<Class<?>, Object> byType;

    private Facts(Map<Class<?>, Object> byType) {
        this.byType = byType;
    }

    public static Facts none() {
        return NONE;
    }

    public <T> Optional<T> get(Class<T> type) {
        return Optional.ofNullable(type.cast(byType.get(type)));
    }

    /** These facts and {@code fact}, which replaces a fact of the same type. */
    public <T> Facts with(Class<T> type, T fact) {
        Map<Class<?>, Object> more = new HashMap<>(byType);
        more.put(type, type.cast(fact));
        return new Facts(Map.copyOf(more));
    }

    /** These facts and all of {@code other}'s, which win where both know a type. */
    public Facts and(Facts other) {
        if (other.byType.isEmpty()) {
            return this;
        }
        if (byType.isEmpty()) {
            return other;
        }
        Map<Class<?>, Object> more = new HashMap<>(byType);
        more.putAll(other.byType);
        return new Facts(Map.copyOf(more));
    }
}
