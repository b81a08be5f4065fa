package org.arca.core.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.arca.core.search.FacetCounting;
import org.junit.jupiter.api.Test;

/**
 * Facet counts over random documents in many segments, some with two values of a dimension and some with none,
 * against counts made by walking the generated documents.
 */
class FacetCountingTest {
    private static final List<String> DIMENSIONS = List.of("type", "modality", "year");

    @Test
    void countsEveryHitsValuesAsAWalkOverTheDocumentsDoes() throws Exception {
        SplittableRandom random = new SplittableRandom(20261202);
        List<Map<String, List<String>>> docs = new ArrayList<>();
        List<String> words = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (ByteBuffersDirectory dir = new ByteBuffersDirectory();
             IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(new StandardAnalyzer()).setMaxBufferedDocs(50))) {
            for (int i = 0; i < 2_000; i++) {
                Map<String, List<String>> values = new HashMap<>();
                Document doc = new Document();
                String word = "w" + random.nextInt(4);
                doc.add(new StringField("word", word, Field.Store.NO));
                for (String dimension : DIMENSIONS) {
                    // 0, 1 or (for modality) 2 values, from a few per dimension, so segments differ in what they hold
                    int count = dimension.equals("modality") ? random.nextInt(3) : random.nextInt(8) == 0 ? 0 : 1;
                    TreeSet<String> chosen = new TreeSet<>();
                    while (chosen.size() < count) {
                        chosen.add(dimension + "-" + random.nextInt(i < 1_000 ? 3 : 9));
                    }
                    chosen.forEach(v -> FacetCounting.add(doc, dimension, v));
                    values.put(dimension, List.copyOf(chosen));
                }
                writer.addDocument(doc);
                docs.add(values);
                words.add(word);
            }
            writer.commit();
            try (DirectoryReader reader = DirectoryReader.open(dir)) {
                assertThat(reader.leaves()).hasSizeGreaterThan(5);
                IndexSearcher searcher = new IndexSearcher(reader, threads);
                for (String word : List.of("w0", "w1", "w3")) {
                    FacetCounting.Counts counts = searcher.search(new TermQuery(new Term("word", word)),
                            new FacetCounting(DIMENSIONS));
                    Map<String, Map<String, Long>> expected = new HashMap<>();
                    long hits = 0;
                    for (int i = 0; i < docs.size(); i++) {
                        if (words.get(i).equals(word)) {
                            hits++;
                            docs.get(i).forEach((dimension, values) -> values.forEach(v ->
                                    expected.computeIfAbsent(dimension, d -> new HashMap<>()).merge(v, 1L, Long::sum)));
                        }
                    }
                    assertThat(counts.total()).isEqualTo(hits);
                    assertThat(counts.byDimension()).isEqualTo(expected);
                    List<Map.Entry<String, Long>> top = counts.top("modality", 3);
                    assertThat(top).hasSize(3);
                    assertThat(top.get(0).getValue()).isEqualTo(expected.get("modality").values().stream()
                            .mapToLong(Long::longValue).max().orElseThrow());
                }
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
