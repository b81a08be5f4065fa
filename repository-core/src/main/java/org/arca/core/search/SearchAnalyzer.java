package org.arca.core.search;

import java.io.IOException;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * How the query parser reads each field: words for the text fields, the whole value in lower case for the
 * exact ones ({@code type:pdf}, {@code modality:ct}, {@code meta.sponsor:"Acme Pharma"}), which are indexed
 * as single lower-case terms. Field names of metadata are the users' own, so anything not a text field is exact.
 */
final class SearchAnalyzer extends DelegatingAnalyzerWrapper {
    private static final Set<String> TEXT_FIELDS = Set.of(SearchDocuments.ALL, SearchDocuments.NAME, SearchDocuments.PATH,
            SearchDocuments.TEXT, SearchDocuments.META, SearchDocuments.ATTRIBUTES);

    private final Analyzer words = new StandardAnalyzer();
    private final Analyzer exact = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer whole = new WholeValueTokenizer();
            return new TokenStreamComponents(whole, new LowerCaseFilter(whole));
        }
    };

    SearchAnalyzer() {
        super(PER_FIELD_REUSE_STRATEGY);
    }

    @Override
    protected Analyzer getWrappedAnalyzer(String fieldName) {
        return TEXT_FIELDS.contains(fieldName) ? words : exact;
    }

    /** One token: the whole value, as {@code StringField} indexes it. */
    private static final class WholeValueTokenizer extends Tokenizer {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private boolean done;

        @Override
        public boolean incrementToken() throws IOException {
            if (done) {
                return false;
            }
            clearAttributes();
            char[] buffer = new char[256];
            int n;
            while ((n = input.read(buffer)) > 0) {
                term.append(new String(buffer, 0, n));
            }
            done = true;
            return term.length() > 0;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            done = false;
        }
    }
}
