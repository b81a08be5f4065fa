package org.arca.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.ConcurrentSortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.grouping.GroupDocs;
import org.apache.lucene.search.grouping.GroupingSearch;
import org.apache.lucene.search.grouping.TopGroups;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.util.BytesRef;
import org.arca.core.Tables.Folders;

/**
 * Runs one search against the current near-real-time searcher: the page of hits, the exact total, facet
 * counts over every hit (type, modality, collection, year) and a highlighted snippet per hit. Snippets are
 * HTML-escaped with the matches in {@code <mark>}, so a page can show them as they are.
 */
final class SearchRunner {
    private static final List<String> FACETS = List.of(SearchDocuments.TYPE, SearchDocuments.MODALITY,
            SearchDocuments.COLLECTION, SearchDocuments.YEAR);

    private final Database db;
    private final SearcherManager searchers;
    private final Analyzer analyzer;
    private final SearchQueries queries;
    /** The index's search threads: facet counting shares out its segments as the search does. */
    private final ExecutorService segmentThreads;
    /** Facet ordinals are per reader; rebuilding them costs a pass over the terms, so keep the last one. */
    private volatile FacetState facetState;

    private record FacetState(IndexReader reader, DefaultSortedSetDocValuesReaderState state) {
    }

    SearchRunner(Database db, SearcherManager searchers, Analyzer analyzer, ExecutorService segmentThreads) {
        this.db = db;
        this.searchers = searchers;
        this.analyzer = analyzer;
        this.segmentThreads = segmentThreads;
        this.queries = new SearchQueries(analyzer);
    }

    SearchResult search(SearchQuery request, Optional<Set<String>> readable) {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                Query query = queries.build(request, readable, searcher);
                if (request.group() != null) {
                    return grouped(searcher, query, request, readable);
                }
                FacetsCollectorManager.FacetsResult found = FacetsCollectorManager.search(searcher, query,
                        request.offset() + request.limit(), new FacetsCollectorManager());
                FacetsCollector collector = found.facetsCollector();
                long total = collector.getMatchingDocs().stream().mapToLong(m -> m.totalHits()).sum();
                ScoreDoc[] page = slice(found.topDocs().scoreDocs, request.offset());
                String[] snippets = snippets(searcher, request.text(), found.topDocs(), page);
                List<SearchResult.Hit> hits = new ArrayList<>();
                for (int i = 0; i < page.length; i++) {
                    hits.add(hit(searcher.storedFields().document(page[i].doc), snippets[i], readable, null));
                }
                return new SearchResult(total, hits, facets(searcher.getIndexReader(), collector, readable));
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("search failed", e);
        }
    }

    /**
     * One hit per group: Lucene's grouping collects the groups of the matching documents, best first, each shown
     * through its best document; the total counts groups, the facets count documents, in a second pass.
     */
    private SearchResult grouped(IndexSearcher searcher, Query query, SearchQuery request, Optional<Set<String>> readable)
            throws IOException {
        GroupingSearch grouping = new GroupingSearch(SearchDocuments.GROUP + request.group());
        grouping.setGroupSort(Sort.RELEVANCE);
        grouping.setSortWithinGroup(Sort.RELEVANCE);
        grouping.setGroupDocsLimit(1);
        grouping.setAllGroups(true);
        TopGroups<BytesRef> groups = grouping.search(searcher, query, request.offset(), request.limit());
        FacetsCollector collector = FacetsCollectorManager.search(searcher, query, 1, new FacetsCollectorManager())
                .facetsCollector();
        List<GroupDocs<BytesRef>> found = groups == null ? List.of() : java.util.Arrays.asList(groups.groups);
        ScoreDoc[] page = found.stream().map(g -> g.scoreDocs()[0]).toArray(ScoreDoc[]::new);
        String[] snippets = snippets(searcher, request.text(),
                new TopDocs(new TotalHits(page.length, TotalHits.Relation.EQUAL_TO), page), page);
        List<SearchResult.Hit> hits = new ArrayList<>();
        for (int i = 0; i < page.length; i++) {
            GroupDocs<BytesRef> group = found.get(i);
            hits.add(hit(searcher.storedFields().document(page[i].doc), snippets[i], readable,
                    new Grouping(request.group(), group.groupValue().utf8ToString(), group.totalHits().value())));
        }
        long total = groups == null || groups.totalGroupCount == null ? hits.size() : groups.totalGroupCount;
        return new SearchResult(total, hits, facets(searcher.getIndexReader(), collector, readable));
    }

    private static ScoreDoc[] slice(ScoreDoc[] all, int offset) {
        if (offset >= all.length) {
            return new ScoreDoc[0];
        }
        return java.util.Arrays.copyOfRange(all, offset, all.length);
    }

    private String[] snippets(IndexSearcher searcher, String text, TopDocs all, ScoreDoc[] page) throws IOException {
        String[] none = new String[page.length];
        java.util.Arrays.fill(none, "");
        if (text.isBlank() || page.length == 0) {
            return none;
        }
        UnifiedHighlighter highlighter = UnifiedHighlighter.builder(searcher, analyzer)
                .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", " … ", true))
                .withMaxLength(SearchDocuments.MAX_TEXT)
                // Queries name the catch-all field; its words are the text's words, so let them mark the text.
                .withFieldMatcher(field -> true)
                .build();
        TopDocs pageDocs = new TopDocs(all.totalHits, page);
        String[] fromText = highlighter.highlight(SearchDocuments.TEXT, queries.text(text), pageDocs, 1);
        for (int i = 0; i < page.length; i++) {
            if (fromText[i] == null) {
                fromText[i] = "";
            }
        }
        return fromText;
    }

    /**
     * A hit's path starts at the highest folder the caller may read, as folder listings do: the names of
     * folders above a shared folder are not the caller's to learn.
     */
    private static String visiblePath(Document doc, Optional<Set<String>> readable) {
        String[] names = doc.get(SearchDocuments.PATH).split("/");
        return String.join("/", java.util.Arrays.copyOfRange(names, firstReadable(doc, readable, names.length), names.length));
    }

    /** The index, in the hit's ancestor chain (collection first), of the highest folder the caller may read. */
    private static int firstReadable(Document doc, Optional<Set<String>> readable, int chainLength) {
        String[] ancestors = doc.get(SearchDocuments.ANCESTOR).split(" ");
        if (readable.isEmpty() || chainLength != ancestors.length) {
            return 0;
        }
        int first = 0;
        while (first < ancestors.length - 1 && !readable.get().contains(ancestors[first])) {
            first++;
        }
        return first;
    }

    /**
     * An item's folder is always readable when the item is; a folder hit's parent is not when the folder is
     * one shared out of a hidden tree, and then its id is left out.
     */
    private static String visibleFolderId(Document doc, Optional<Set<String>> readable) {
        String folderId = doc.get(SearchDocuments.FOLDER);
        if (!"folder".equals(doc.get(SearchDocuments.KIND)) || readable.isEmpty()) {
            return folderId;
        }
        int chain = doc.get(SearchDocuments.ANCESTOR).split(" ").length;
        return firstReadable(doc, readable, chain) >= chain - 1 ? null : folderId;
    }

    /** In a grouped search, the group a hit stands for: its level, its key and how many of its documents matched. */
    private record Grouping(String level, String key, long matches) {
    }

    /** A folder's or an item's hit, or with a {@code grouping} the hit of the document's group. */
    private static SearchResult.Hit hit(Document doc, String snippet, Optional<Set<String>> readable, Grouping grouping) {
        String key = doc.get(SearchDocuments.ID);
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        for (String line : doc.get(SearchDocuments.ATTRIBUTE_LINES).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                attributes.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        var size = doc.getField(SearchDocuments.SIZE);
        Instant updated = Instant.ofEpochMilli(doc.getField(SearchDocuments.UPDATED).numericValue().longValue());
        if (grouping != null) {
            return new SearchResult.Hit(grouping.level(), grouping.key(), doc.get(SearchDocuments.GROUP_LABEL + grouping.level()),
                    doc.get(SearchDocuments.TYPE), doc.get(SearchDocuments.MEDIA_TYPE), 0, updated,
                    visibleFolderId(doc, readable), visiblePath(doc, readable), attributes, snippet, grouping.matches());
        }
        return new SearchResult.Hit(doc.get(SearchDocuments.KIND), key.substring(2), doc.get(SearchDocuments.TITLE),
                doc.get(SearchDocuments.TYPE), doc.get(SearchDocuments.MEDIA_TYPE), size == null ? 0 : size.numericValue().longValue(),
                updated, visibleFolderId(doc, readable), visiblePath(doc, readable), attributes, snippet, 1);
    }

    private Map<String, List<SearchResult.FacetCount>> facets(IndexReader reader, FacetsCollector collector,
                                                              Optional<Set<String>> readable) throws IOException {
        Map<String, List<SearchResult.FacetCount>> result = new LinkedHashMap<>();
        DefaultSortedSetDocValuesReaderState state = facetState(reader);
        if (state == null) {
            FACETS.forEach(f -> result.put(f, List.of()));
            return result;
        }
        // Counting visits every hit's ordinals: for a broad query over a million documents that is most of the
        // search's time after collection, and it splits by segment as collection does.
        Facets counts = count(state, collector);
        for (String dim : FACETS) {
            List<SearchResult.FacetCount> values = new ArrayList<>();
            FacetResult top = topChildren(counts, dim);
            if (top != null) {
                for (LabelAndValue lv : top.labelValues) {
                    values.add(new SearchResult.FacetCount(lv.label, lv.label, lv.value.longValue()));
                }
            }
            result.put(dim, values);
        }
        result.put(SearchDocuments.COLLECTION, labelled(result.get(SearchDocuments.COLLECTION), readable));
        return result;
    }

    private Facets count(DefaultSortedSetDocValuesReaderState state, FacetsCollector collector) throws IOException {
        try {
            return new ConcurrentSortedSetDocValuesFacetCounts(state, collector, segmentThreads);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while counting facets", e);
        }
    }

    private static FacetResult topChildren(Facets counts, String dim) throws IOException {
        try {
            return counts.getTopChildren(20, dim);
        } catch (IllegalArgumentException e) {
            return null; // no document has this dimension yet
        }
    }

    private DefaultSortedSetDocValuesReaderState facetState(IndexReader reader) throws IOException {
        FacetState current = facetState;
        if (current != null && current.reader() == reader) {
            return current.state();
        }
        try {
            DefaultSortedSetDocValuesReaderState state = new DefaultSortedSetDocValuesReaderState(reader, SearchDocuments.FACETS);
            facetState = new FacetState(reader, state);
            return state;
        } catch (IllegalArgumentException e) {
            return null; // an empty index has no facet field yet
        }
    }

    /**
     * Collections are faceted by id (names change), labelled with the current name. Only collections the
     * caller may read are listed: hits in a folder shared out of a collection they cannot read count in the
     * total but name no collection, since its id is not theirs to learn.
     */
    private List<SearchResult.FacetCount> labelled(List<SearchResult.FacetCount> byId, Optional<Set<String>> readable) {
        List<SearchResult.FacetCount> visible = byId.stream()
                .filter(c -> readable.isEmpty() || readable.get().contains(c.value())).toList();
        if (visible.isEmpty()) {
            return visible;
        }
        Map<String, String> names = new HashMap<>();
        db.dsl().select(Folders.ID, Folders.NAME).from(Folders.T)
                .where(Folders.ID.in(visible.stream().map(SearchResult.FacetCount::value).toList()))
                .fetch().forEach(r -> names.put(r.value1(), r.value2()));
        return visible.stream().map(c -> new SearchResult.FacetCount(c.value(), names.getOrDefault(c.value(), c.value()),
                c.count())).toList();
    }

    int count() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.count(new MatchAllDocsQuery());
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Collection<String> ids() {
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                List<String> ids = new ArrayList<>();
                TopDocs all = searcher.search(new MatchAllDocsQuery(), Math.max(1, searcher.getIndexReader().numDocs()));
                for (ScoreDoc d : all.scoreDocs) {
                    ids.add(searcher.storedFields().document(d.doc).get(SearchDocuments.ID));
                }
                return ids;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
