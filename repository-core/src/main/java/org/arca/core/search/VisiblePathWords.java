package org.arca.core.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.SynonymQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.arca.core.ArcaException;

/**
 * Matches the words of a hit's path against the folder names the caller may see, and no others.
 *
 * <p>Folder names are not indexed as words of the documents below them: a user granted one subfolder could
 * then confirm the name of the hidden collection above it by searching for it. Instead, each part of a query
 * that looks for words in a path (a bare word, which searches everything, or {@code path:word}) is answered
 * at query time in two steps: find the folder documents whose own name matches and which the caller may
 * read (a folder is readable when it or an ancestor carries a grant, so these are exactly the folders at or
 * below the caller's readable roots), then match every document that has one of them as an ancestor. The second step reuses the ancestor ids every document carries for the access filter.
 *
 * <p>Chosen over indexing ancestor names per depth and building an allowed-depth clause per caller, which
 * needs a clause per depth and word over all the caller's grants; this costs one small search over folder
 * documents per path word, and renames and grant changes need no reindexing. A phrase is matched within one
 * folder name, not across two ("alpha site" does not match the path "Trial Alpha/Site Berlin").
 *
 * <p>One per search; not thread-safe.
 */
final class VisiblePathWords {
    /** Folders a single path word may match; past this the word says too little to be worth the work. */
    static final int MAX_FOLDERS = 100_000;

    private final IndexSearcher searcher;
    private final Optional<Set<String>> readable;

    VisiblePathWords(IndexSearcher searcher, Optional<Set<String>> readable) {
        this.searcher = searcher;
        this.readable = readable;
    }

    /** The query with every clause over {@code all} or {@code path} extended or replaced by folder-name matches. */
    Query rewrite(Query query) throws IOException {
        if (query instanceof BooleanQuery bool) {
            BooleanQuery.Builder out = new BooleanQuery.Builder().setMinimumNumberShouldMatch(bool.getMinimumNumberShouldMatch());
            for (BooleanClause clause : bool.clauses()) {
                out.add(rewrite(clause.query()), clause.occur());
            }
            return out.build();
        }
        if (query instanceof BoostQuery boost) {
            return new BoostQuery(rewrite(boost.getQuery()), boost.getBoost());
        }
        String field = fieldOf(query);
        if (SearchDocuments.ALL.equals(field)) {
            Query names = onNames(query);
            if (names == null) {
                return query;
            }
            return new BooleanQuery.Builder().add(query, Occur.SHOULD).add(under(names), Occur.SHOULD).build();
        }
        if (SearchDocuments.PATH.equals(field)) {
            Query names = onNames(query);
            return names == null ? new MatchNoDocsQuery("this kind of query does not apply to paths") : under(names);
        }
        return query;
    }

    private static String fieldOf(Query query) {
        return switch (query) {
            case TermQuery t -> t.getTerm().field();
            case PhraseQuery p -> p.getField();
            case SynonymQuery s -> s.getField();
            case PrefixQuery p -> p.getField();
            case WildcardQuery w -> w.getField();
            case FuzzyQuery f -> f.getField();
            case TermRangeQuery r -> r.getField();
            default -> null;
        };
    }

    /** The same query over the {@code name} field, which holds folder (and item) names as words. */
    private static Query onNames(Query query) {
        String name = SearchDocuments.NAME;
        return switch (query) {
            case TermQuery t -> new TermQuery(new Term(name, t.getTerm().bytes()));
            case PhraseQuery p -> {
                PhraseQuery.Builder b = new PhraseQuery.Builder().setSlop(p.getSlop());
                for (int i = 0; i < p.getTerms().length; i++) {
                    b.add(new Term(name, p.getTerms()[i].bytes()), p.getPositions()[i]);
                }
                yield b.build();
            }
            case SynonymQuery s -> {
                SynonymQuery.Builder b = new SynonymQuery.Builder(name);
                s.getTerms().forEach(t -> b.addTerm(new Term(name, t.bytes())));
                yield b.build();
            }
            case PrefixQuery p -> new PrefixQuery(new Term(name, p.getPrefix().bytes()));
            case WildcardQuery w -> new WildcardQuery(new Term(name, w.getTerm().bytes()));
            case FuzzyQuery f -> new FuzzyQuery(new Term(name, f.getTerm().bytes()), f.getMaxEdits(), f.getPrefixLength());
            case TermRangeQuery r -> new TermRangeQuery(name, r.getLowerTerm(), r.getUpperTerm(), r.includesLower(),
                    r.includesUpper());
            default -> null;
        };
    }

    /**
     * Documents below (or at) a readable folder whose own name matches. The folders are found by name alone
     * and their readability checked against the ancestor ids stored with each: most words name no folder or
     * a few, and this spares a second pass of the caller's (possibly thousands of) grants per word.
     */
    private Query under(Query names) throws IOException {
        Query folders = new BooleanQuery.Builder().add(names, Occur.MUST)
                .add(new TermQuery(new Term(SearchDocuments.KIND, "folder")), Occur.FILTER).build();
        List<String> ids = searcher.search(folders, new FolderIds(readable.orElse(null)));
        if (ids.isEmpty()) {
            return new MatchNoDocsQuery("no readable folder of that name");
        }
        if (ids.size() > MAX_FOLDERS) {
            throw ArcaException.invalid("query_too_broad", "A word of the query matches more than " + MAX_FOLDERS
                    + " folder names; use more of the name.");
        }
        return new TermInSetQuery(SearchDocuments.ANCESTOR, ids.stream().map(BytesRef::new).toList());
    }

    /**
     * Collects the ids (stored key {@code f:<id>}) of matching folders that lie at or below one of
     * {@code readable} (every folder when it is null), by the folder's stored ancestor ids.
     */
    private record FolderIds(Set<String> readable) implements CollectorManager<FolderIds.Ids, List<String>> {
        @Override
        public Ids newCollector() {
            return new Ids(readable);
        }

        @Override
        public List<String> reduce(Collection<Ids> collectors) {
            List<String> all = new ArrayList<>();
            collectors.forEach(c -> all.addAll(c.ids));
            return all;
        }

        static final class Ids extends SimpleCollector {
            private static final Set<String> STORED = Set.of(SearchDocuments.ID, SearchDocuments.ANCESTOR);
            private final Set<String> readable;
            private final List<String> ids = new ArrayList<>();
            private StoredFields stored;

            Ids(Set<String> readable) {
                this.readable = readable;
            }

            @Override
            protected void doSetNextReader(LeafReaderContext context) throws IOException {
                stored = context.reader().storedFields();
            }

            @Override
            public void collect(int doc) throws IOException {
                if (ids.size() > MAX_FOLDERS) {
                    return;
                }
                var folder = stored.document(doc, STORED);
                if (readable == null || readableChain(folder.get(SearchDocuments.ANCESTOR))) {
                    ids.add(folder.get(SearchDocuments.ID).substring(2));
                }
            }

            private boolean readableChain(String ancestors) {
                for (String ancestor : ancestors.split(" ")) {
                    if (readable.contains(ancestor)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public ScoreMode scoreMode() {
                return ScoreMode.COMPLETE_NO_SCORES;
            }
        }
    }
}
