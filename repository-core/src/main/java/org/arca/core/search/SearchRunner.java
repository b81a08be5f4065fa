package org.arca.core.search;

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
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MultiCollectorManager;
import org.apache.lucene.search.MultiPhraseQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.grouping.GroupDocs;
import org.apache.lucene.search.grouping.GroupingSearch;
import org.apache.lucene.search.grouping.TopGroups;
import org.apache.lucene.search.uhighlight.DefaultPassageFormatter;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.util.BytesRef;
import org.arca.core.Database;
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

    SearchRunner(Database db, SearcherManager searchers, Analyzer analyzer) {
        this.db = db;
        this.searchers = searchers;
        this.analyzer = analyzer;
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
                int wanted = request.offset() + request.limit();
                TopDocs top;
                FacetCounting.Counts counts;
                if (matchesByPosition(query)) {
                    // Checking a phrase's positions costs more per candidate than scoring a hit: check them once.
                    Object[] both = searcher.search(query, new MultiCollectorManager(
                            new TopScoreDocCollectorManager(wanted, Integer.MAX_VALUE), new FacetCounting(FACETS)));
                    top = (TopDocs) both[0];
                    counts = (FacetCounting.Counts) both[1];
                } else {
                    // Two passes over the same point-in-time reader. The page needs scores, but only of documents
                    // that could still make it: with a hit threshold as small as the page, Lucene skips blocks of
                    // postings whose best possible score cannot compete. The total and the facets need every hit
                    // but no score, so their pass reads no term frequencies. One pass doing both scored every hit
                    // of a broad query, which was most of its time.
                    top = searcher.search(query, new TopScoreDocCollectorManager(wanted, wanted));
                    counts = searcher.search(query, new FacetCounting(FACETS));
                }
                ScoreDoc[] page = slice(top.scoreDocs, request.offset());
                Document[] docs = stored(searcher, page);
                String[] snippets = snippets(request.text(), docs);
                List<SearchResult.Hit> hits = new ArrayList<>();
                for (int i = 0; i < page.length; i++) {
                    hits.add(hit(docs[i], snippets[i], readable, null));
                }
                return new SearchResult(counts.total(), hits, facets(counts, readable));
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
        FacetCounting.Counts counts = searcher.search(query, new FacetCounting(FACETS));
        List<GroupDocs<BytesRef>> found = groups == null ? List.of() : java.util.Arrays.asList(groups.groups);
        ScoreDoc[] page = found.stream().map(g -> g.scoreDocs()[0]).toArray(ScoreDoc[]::new);
        Document[] docs = stored(searcher, page);
        String[] snippets = snippets(request.text(), docs);
        List<SearchResult.Hit> hits = new ArrayList<>();
        for (int i = 0; i < page.length; i++) {
            GroupDocs<BytesRef> group = found.get(i);
            hits.add(hit(docs[i], snippets[i], readable,
                    new Grouping(request.group(), group.groupValue().utf8ToString(), group.totalHits().value())));
        }
        long total = groups == null || groups.totalGroupCount == null ? hits.size() : groups.totalGroupCount;
        return new SearchResult(total, hits, facets(counts, readable));
    }

    private static ScoreDoc[] slice(ScoreDoc[] all, int offset) {
        if (offset >= all.length) {
            return new ScoreDoc[0];
        }
        return java.util.Arrays.copyOfRange(all, offset, all.length);
    }

    /** Whether the query has a part matched by term positions (a phrase), whose candidates are costly to check. */
    private static boolean matchesByPosition(Query query) {
        boolean[] found = {false};
        query.visit(new QueryVisitor() {
            @Override
            public void consumeTerms(Query leaf, Term... terms) {
                if (leaf instanceof PhraseQuery || leaf instanceof MultiPhraseQuery) {
                    found[0] = true;
                }
            }
        });
        return found[0];
    }

    /** The stored fields of each hit of a page, read once for the hit and its snippet alike. */
    private static Document[] stored(IndexSearcher searcher, ScoreDoc[] page) throws IOException {
        var fields = searcher.storedFields();
        Document[] docs = new Document[page.length];
        for (int i = 0; i < page.length; i++) {
            docs[i] = fields.document(page[i].doc);
        }
        return docs;
    }

    /**
     * The best passage of each document's text with the query's matches marked, found by analysing the text
     * already loaded for the hit (the highlighter would otherwise read and decompress it a second time).
     */
    private String[] snippets(String text, Document[] docs) {
        String[] snippets = new String[docs.length];
        java.util.Arrays.fill(snippets, "");
        if (text.isBlank() || docs.length == 0) {
            return snippets;
        }
        UnifiedHighlighter highlighter = UnifiedHighlighter.builderWithoutSearcher(analyzer)
                .withFormatter(new DefaultPassageFormatter("<mark>", "</mark>", " … ", true))
                .withMaxLength(SearchDocuments.MAX_TEXT)
                // Queries name the catch-all field; its words are the text's words, so let them mark the text.
                .withFieldMatcher(field -> true)
                .build();
        Query query = queries.text(text);
        for (int i = 0; i < docs.length; i++) {
            String content = docs[i].get(SearchDocuments.TEXT);
            if (content != null && !content.isEmpty()) {
                try {
                    Object marked = highlighter.highlightWithoutSearcher(SearchDocuments.TEXT, query, content, 1);
                    snippets[i] = marked == null ? "" : marked.toString();
                } catch (IOException e) {
                    throw new UncheckedIOException("highlighting failed", e);
                }
            }
        }
        return snippets;
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

    /** The 20 values of each dimension with the most hits; collections labelled with their names. */
    private Map<String, List<SearchResult.FacetCount>> facets(FacetCounting.Counts counts, Optional<Set<String>> readable) {
        Map<String, List<SearchResult.FacetCount>> result = new LinkedHashMap<>();
        for (String dimension : FACETS) {
            result.put(dimension, counts.top(dimension, 20).stream()
                    .map(e -> new SearchResult.FacetCount(e.getKey(), e.getKey(), e.getValue())).toList());
        }
        result.put(SearchDocuments.COLLECTION, labelled(result.get(SearchDocuments.COLLECTION), readable));
        return result;
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
