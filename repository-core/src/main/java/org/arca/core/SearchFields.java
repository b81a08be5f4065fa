package org.arca.core;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
