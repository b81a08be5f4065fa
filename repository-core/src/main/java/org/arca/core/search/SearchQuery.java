package org.arca.core.search;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.arca.core.ArcaException;

/**
 * A search as the API receives it. {@code text} uses the query syntax users know (words, quoted phrases,
 * {@code field:value}, ranges, AND/OR/NOT); the other parts are filters: kinds ({@code pdf}, {@code dicom},
 * {@code folder}…), DICOM modalities, collection ids, a date range over the document's date, and metadata
 * values ({@code value} exact, {@code low..high} a numeric or date range). {@code group}, when set, asks for one
 * hit per group of that level ({@code study}, {@code series}: see {@link SearchFields#group}) instead of one per
 * document; documents in no such group are left out.
 */
public record SearchQuery(String text, List<String> kinds, List<String> modalities, List<String> collections,
                          LocalDate from, LocalDate to, Map<String, String> metadata, int limit, int offset, String group) {

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
        if (group != null && !group.matches("[a-z]{1,20}")) {
            throw ArcaException.invalid("invalid_group", "group is a level such as study or series.");
        }
    }

    /** One hit per document. */
    public SearchQuery(String text, List<String> kinds, List<String> modalities, List<String> collections,
                       LocalDate from, LocalDate to, Map<String, String> metadata, int limit, int offset) {
        this(text, kinds, modalities, collections, from, to, metadata, limit, offset, null);
    }

    /** The same search, one hit per group at {@code level}. */
    public SearchQuery groupedBy(String level) {
        return new SearchQuery(text, kinds, modalities, collections, from, to, metadata, limit, offset, level);
    }

    /** Words only, first page. */
    public static SearchQuery of(String text) {
        return new SearchQuery(text, List.of(), List.of(), List.of(), null, null, Map.of(), 20, 0);
    }
}
