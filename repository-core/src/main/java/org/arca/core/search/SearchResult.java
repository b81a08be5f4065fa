package org.arca.core.search;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One page of search hits the caller may read, the number of all of them, and facet counts over all of them
 * (over the matching documents, also when hits are groups of them).
 */
public record SearchResult(long total, List<Hit> hits, Map<String, List<FacetCount>> facets) {

    public SearchResult {
        hits = List.copyOf(hits);
        facets = Map.copyOf(facets);
    }

    /**
     * A folder or an item, or in a grouped search a group ({@code kind} its level, {@code id} its key, {@code
     * name} its label), shown through its best-matching document: {@code matches} counts the documents of the
     * group that matched (1 for a folder or an item). {@code path} runs from the collection to the hit's folder,
     * names joined by {@code /}; {@code snippet} is HTML-escaped text with matches in {@code <mark>}, or empty.
     */
    public record Hit(String kind, String id, String name, String type, String mediaType, long size, Instant updatedAt,
                      String folderId, String path, Map<String, List<String>> attributes, String snippet, long matches) {
    }

    /** How many hits have this value; {@code label} is what to show (a collection's name for its id). */
    public record FacetCount(String value, String label, long count) {
    }
}
