package org.arca.dicomweb;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.arca.core.ArcaException;
import org.arca.dicom.Attributes;
import org.arca.dicom.DataDictionary;
import org.arca.dicom.Element;
import org.arca.dicom.VR;

/**
 * QIDO-RS {@code includefield} (PS3.18 8.3.4.3): attributes a client asks for beyond those the index holds.
 * They are copied from one stored instance the caller may read (the match itself at instance level, one
 * instance of the study or series above it), decoded from that instance's character set into the UTF-8 of
 * the answer. {@code all} means every attribute at instance level and the patient, study (and series)
 * attributes of {@link #STUDY_EXTRAS} and {@link #SERIES_EXTRAS} above it. Values longer than
 * {@link MetadataCache#BULK_THRESHOLD} bytes and pixel data are not copied: WADO-RS metadata serves them.
 * Immutable.
 */
final class IncludedFields {
    private static final int PATIENT_GROUP = 0x0010;
    /** Study-level attributes the index does not hold, returned for {@code includefield=all}. */
    private static final Set<Integer> STUDY_EXTRAS = Set.of(0x00080080, 0x00081060, 0x00081032, 0x00321032, 0x00324000);
    /** Series-level attributes the index does not hold, returned for {@code includefield=all}. */
    private static final Set<Integer> SERIES_EXTRAS = Set.of(0x00080031, 0x00080070, 0x00081010, 0x00081090, 0x00081070,
            0x00181030, 0x00200052, 0x00200060, 0x00400244, 0x00400245);

    static final IncludedFields NONE = new IncludedFields(false, Set.of());

    private final boolean all;
    private final Set<Integer> tags;

    private IncludedFields(boolean all, Set<Integer> tags) {
        this.all = all;
        this.tags = tags;
    }

    /** Parses the parameter's values: repeated, comma-separated, keywords or GGGGEEEE tags, or {@code all}. */
    static IncludedFields parse(List<String> values) {
        if (values == null || values.isEmpty()) {
            return NONE;
        }
        boolean all = false;
        Set<Integer> tags = new LinkedHashSet<>();
        for (String value : values) {
            for (String field : value.split(",")) {
                String name = field.strip();
                if (name.isEmpty()) {
                    continue;
                }
                if (name.equals("all")) {
                    all = true;
                } else {
                    tags.add(tagOf(name).orElseThrow(() -> ArcaException.invalid("invalid_includefield",
                            "'includefield' names an unknown attribute '" + name + "'.")));
                }
            }
        }
        return all || !tags.isEmpty() ? new IncludedFields(all, Set.copyOf(tags)) : NONE;
    }

    boolean isEmpty() {
        return !all && tags.isEmpty();
    }

    /** Copies the asked-for attributes of {@code instance} into {@code answer}, never replacing what it holds. */
    void copy(Attributes instance, Attributes answer, QueryLevel level) {
        for (Element e : instance.elements()) {
            if (!answer.contains(e.tag()) && wanted(e.tag(), level)) {
                copyElement(instance, e, answer);
            }
        }
    }

    private boolean wanted(int tag, QueryLevel level) {
        if (tags.contains(tag)) {
            return true;
        }
        if (!all) {
            return false;
        }
        return switch (level) {
            case INSTANCE -> true;
            case SERIES -> tag >>> 16 == PATIENT_GROUP || STUDY_EXTRAS.contains(tag) || SERIES_EXTRAS.contains(tag);
            case STUDY -> tag >>> 16 == PATIENT_GROUP || STUDY_EXTRAS.contains(tag);
        };
    }

    private static void copyElement(Attributes from, Element e, Attributes to) {
        VR vr = e.vr();
        switch (vr.kind()) {
            case STRING, TEXT -> to.setString(e.tag(), vr, from.strings(e).toArray(String[]::new));
            case BINARY -> from.bytes(e.tag()).ifPresent(bytes -> to.setBytes(e.tag(), vr, bytes));
            case BULK -> from.bytes(e.tag()).filter(bytes -> bytes.length <= MetadataCache.BULK_THRESHOLD)
                    .ifPresent(bytes -> to.setBytes(e.tag(), vr, bytes));
            case SEQUENCE -> {
                List<Attributes> items = new ArrayList<>();
                for (Attributes item : from.sequence(e.tag())) {
                    Attributes copy = new Attributes(to);
                    for (Element inner : item.elements()) {
                        copyElement(item, inner, copy);
                    }
                    items.add(copy);
                }
                to.setSequence(e.tag(), items);
            }
        }
    }

    private static Optional<Integer> tagOf(String name) {
        if (name.matches("[0-9A-Fa-f]{8}")) {
            return Optional.of(Integer.parseUnsignedInt(name, 16));
        }
        return DataDictionary.tagOf(name);
    }
}
