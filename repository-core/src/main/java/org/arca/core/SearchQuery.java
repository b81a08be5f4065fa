package org.arca.core;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A search as the API receives it. {@code text} uses the query syntax users know (words, quoted phrases,
 * {@code field:value}, ranges, AND/OR/NOT); the other parts are filters: kinds ({@code pdf}, {@code dicom},
 * {@code folder}…), DICOM modalities, collection ids, a date range over the document's date, and metadata
 * values ({@code value} exact, {@code low..high} a numeric or date range).
 */
public record SearchQuery(String text, List<String> kinds, List<String> modalities, List<String> collections,
                          LocalDate from, LocalDate to, Map<String, String> metadata, int limit, int offset) {

    public static final int MAX_LIMIT = 200;

    public SearchQuery {
        text = text == null ? "" : text;
        kinds = List.copyOf(kinds);
        modalities = List.copyOf(modalities);
        collections = List.copyOf(collections);
        metadata = Map.copyOf(metadata);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ArcaException.invalid("invalid_limit", "limit is between 1 and " + MAX_LIMIT + ".");
        }
        if (offset < 0 || offset > 10_000) {
            throw ArcaException.invalid("invalid_offset", "offset is between 0 and 10000.");
        }
    }

    /** Words only, first page. */
    public static SearchQuery of(String text) {
        return new SearchQuery(text, List.of(), List.of(), List.of(), null, null, Map.of(), 20, 0);
    }
}
