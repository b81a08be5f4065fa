package org.arca.core.search;

import java.io.IOException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.flexible.core.QueryNodeException;
import org.apache.lucene.queryparser.flexible.standard.StandardQueryParser;
import org.apache.lucene.queryparser.flexible.standard.config.StandardQueryConfigHandler;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.arca.core.ArcaException;

/**
 * Builds the Lucene query of a {@link SearchQuery}: the user's text through Lucene's standard query parser
 * (words, phrases, {@code field:value}, ranges, AND/OR/NOT; AND between bare words), the filters, and the
 * access filter, all as clauses of one query so counts, facets and paging cover only what the caller may read.
 */
final class SearchQueries {
    /** Clauses beyond this are a query nobody typed; refusing them keeps one request from eating the CPU. */
    private static final int MAX_TEXT = 1_000;
    private static final Set<String> INTERNAL_FIELDS = Set.of(SearchDocuments.ID, SearchDocuments.ANCESTOR,
            SearchDocuments.COLLECTION, SearchDocuments.FOLDER);

    private final Analyzer analyzer;

    SearchQueries(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** The text part alone, as the highlighter needs it. */
    Query text(String text) {
        if (text.isBlank()) {
            return new MatchAllDocsQuery();
        }
        if (text.length() > MAX_TEXT) {
            throw ArcaException.invalid("query_too_long", "A query is at most " + MAX_TEXT + " characters.");
        }
        StandardQueryParser parser = new StandardQueryParser(analyzer);
        parser.setDefaultOperator(StandardQueryConfigHandler.Operator.AND);
        parser.setAllowLeadingWildcard(false);
        Query parsed;
        try {
            parsed = parser.parse(text, SearchDocuments.ALL);
        } catch (QueryNodeException | RuntimeException e) {
            throw ArcaException.invalid("invalid_query", "The query could not be read; quote special characters "
                    + "or use words, \"phrases\", field:value, [a TO b], AND, OR, NOT.");
        }
        refuseInternalFields(parsed);
        return parsed;
    }

    /**
     * Fields holding folder ids (the ACL filter's ancestors, the collection, the facets' drill-down terms) are
     * the index's own: a query on them would let a caller test whether a hidden folder id lies above a hit,
     * so they are refused by name rather than answered.
     */
    private static void refuseInternalFields(Query parsed) {
        parsed.visit(new QueryVisitor() {
            @Override
            public boolean acceptField(String field) {
                if (INTERNAL_FIELDS.contains(field) || field.startsWith("$")) {
                    throw ArcaException.invalid("invalid_query", "The field \"" + field + "\" cannot be searched; use "
                            + "name, path, text, type, mediatype, modality, meta.<key> or the filters (collection=…).");
                }
                return false;
            }
        });
    }

    /**
     * The whole query; {@code readable} is empty for callers who read everything. Path words are matched
     * against the folder names the caller may see, through {@code searcher} (see {@link VisiblePathWords}).
     */
    Query build(SearchQuery query, Optional<Set<String>> readable, IndexSearcher searcher) throws IOException {
        Query access = readable.map(r -> anyOf(SearchDocuments.ANCESTOR, r)).orElse(null);
        Query text = new VisiblePathWords(searcher, readable).rewrite(text(query.text()));
        BooleanQuery.Builder all = new BooleanQuery.Builder().add(text, Occur.MUST);
        if (access != null) {
            all.add(access, Occur.FILTER);
        }
        if (!query.kinds().isEmpty()) {
            all.add(anyOf(SearchDocuments.TYPE, lower(query.kinds())), Occur.FILTER);
        }
        if (!query.modalities().isEmpty()) {
            all.add(anyOf(SearchDocuments.MODALITY, lower(query.modalities())), Occur.FILTER);
        }
        if (!query.collections().isEmpty()) {
            // A collection the caller cannot read filters to nothing, as an unknown id does: hits in folders
            // shared out of it must not confirm that the id exists.
            Set<String> collections = readable.isEmpty() ? Set.copyOf(query.collections())
                    : Set.copyOf(query.collections().stream().filter(readable.get()::contains).toList());
            all.add(anyOf(SearchDocuments.COLLECTION, collections), Occur.FILTER);
        }
        if (query.from() != null || query.to() != null) {
            long low = query.from() == null ? Long.MIN_VALUE : query.from().toEpochDay();
            long high = query.to() == null ? Long.MAX_VALUE : query.to().toEpochDay();
            all.add(LongPoint.newRangeQuery(SearchDocuments.DATE, low, high), Occur.FILTER);
        }
        for (Map.Entry<String, String> m : query.metadata().entrySet()) {
            all.add(metadata(m.getKey().toLowerCase(Locale.ROOT), m.getValue()), Occur.FILTER);
        }
        if (query.group() != null) {
            all.add(new org.apache.lucene.search.FieldExistsQuery(SearchDocuments.GROUP + query.group()), Occur.FILTER);
        }
        return all.build();
    }

    /** {@code value} exactly (case-insensitive), or {@code low..high} over numbers or dates; an open end is allowed. */
    private static Query metadata(String key, String value) {
        int range = value.indexOf("..");
        if (range < 0) {
            return new TermQuery(new Term(SearchDocuments.META + "." + key, value.strip().toLowerCase(Locale.ROOT)));
        }
        String low = value.substring(0, range).strip();
        String high = value.substring(range + 2).strip();
        try {
            if (low.matches("\\d{4}-\\d{2}-\\d{2}|") && high.matches("\\d{4}-\\d{2}-\\d{2}|") && !(low + high).isEmpty()) {
                return LongPoint.newRangeQuery(SearchDocuments.META_DATE + "." + key,
                        low.isEmpty() ? Long.MIN_VALUE : LocalDate.parse(low).toEpochDay(),
                        high.isEmpty() ? Long.MAX_VALUE : LocalDate.parse(high).toEpochDay());
            }
            return DoublePoint.newRangeQuery(SearchDocuments.META_NUMBER + "." + key,
                    low.isEmpty() ? Double.NEGATIVE_INFINITY : Double.parseDouble(low),
                    high.isEmpty() ? Double.POSITIVE_INFINITY : Double.parseDouble(high));
        } catch (RuntimeException e) {
            throw ArcaException.invalid("invalid_metadata_range",
                    "A metadata range is low..high with numbers or dates (YYYY-MM-DD); one end may be left out.");
        }
    }

    private static Query anyOf(String field, Set<String> values) {
        if (values.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
    }

    private static Set<String> lower(List<String> values) {
        return Set.copyOf(values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList());
    }
}
