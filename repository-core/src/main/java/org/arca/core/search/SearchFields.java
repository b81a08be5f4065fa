package org.arca.core.search;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.arca.core.accounts.Group;

/**
 * What contributors add to one file's search document: free text (searched by words), attributes (searched
 * as {@code name:value}, exact and case-insensitive, and shown in results) and the date the document is
 * about (a study date rather than an upload date), which the date filter and the year facet use.
 * Not thread-safe: one per document being built.
 */
public final class SearchFields {
    private final StringBuilder text = new StringBuilder();
    private final Map<String, List<String>> attributes = new LinkedHashMap<>();
    private LocalDate date;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    /** A group the document belongs to at one level: its key, and the label a grouped result shows for it. */
    record Group(String key, String label) {
    }

    /** Appends words to the document's full text. */
    public SearchFields text(String words) {
        if (words != null && !words.isBlank()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(words);
        }
        return this;
    }

    /** Adds an attribute value; attribute names are lower-case words ({@code modality}, {@code bodypart}). */
    public SearchFields attribute(String name, String value) {
        if (value != null && !value.isBlank()) {
            attributes.computeIfAbsent(name, k -> new ArrayList<>()).add(value.strip());
        }
        return this;
    }

    /** The date the document is about, when it is not the upload date. */
    public SearchFields date(LocalDate about) {
        if (about != null) {
            this.date = about;
        }
        return this;
    }

    /**
     * Puts the document in a group at {@code level} (DICOM puts an instance in its study and its series), so a
     * search can answer one hit per group instead of one per document. {@code label} names the group in
     * results (a study's description); the level is a lower-case word.
     */
    public SearchFields group(String level, String key, String label) {
        if (!level.matches("[a-z]{1,20}")) {
            throw new IllegalArgumentException("a group level is a lower-case word: " + level);
        }
        if (key != null && !key.isBlank()) {
            groups.put(level, new Group(key.strip(), label == null || label.isBlank() ? key.strip() : label.strip()));
        }
        return this;
    }

    Map<String, Group> groups() {
        return groups;
    }

    String text() {
        return text.toString();
    }

    Map<String, List<String>> attributes() {
        return attributes;
    }

    LocalDate date() {
        return date;
    }
}
