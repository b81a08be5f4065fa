package org.arca.core.search;

import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.CollectorManager;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.util.BytesRef;

/**
 * Counts every hit of a search and, per facet dimension, the hits holding each value, in the pass that collects
 * them and without scores. Each dimension is its own doc-values field, single-valued for almost every document,
 * so a hit costs one packed-integer read per dimension. Counts are kept per segment by ordinal and merged by
 * value when the segment is done, so nothing is built over the whole index when it changes (global ordinals of
 * one field holding every dimension cost a pass over its terms after every refresh, and reading a hit's values
 * from it went through an address table; that was half of a broad query's time at a million documents).
 *
 * <p>A manager serves one search; its collectors are per slice, as {@link CollectorManager} requires.
 */
final class FacetCounting implements CollectorManager<FacetCounting.SliceCounter, FacetCounting.Counts> {
    private static final String FIELD_PREFIX = "$facet.";

    private final List<String> dimensions;

    FacetCounting(List<String> dimensions) {
        this.dimensions = List.copyOf(dimensions);
    }

    /** Adds a value of a dimension to a document being indexed. */
    static void add(Document doc, String dimension, String value) {
        doc.add(new SortedSetDocValuesField(FIELD_PREFIX + dimension, new BytesRef(value)));
    }

    /** The number of hits and, per dimension, each value's number of hits. */
    record Counts(long total, Map<String, Map<String, Long>> byDimension) {
        /** The {@code n} values of a dimension with the most hits, most first, ties by value. */
        List<Map.Entry<String, Long>> top(String dimension, int n) {
            return byDimension.getOrDefault(dimension, Map.of()).entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(n).toList();
        }
    }

    @Override
    public SliceCounter newCollector() {
        return new SliceCounter(dimensions);
    }

    @Override
    public Counts reduce(Collection<SliceCounter> slices) {
        long total = 0;
        Map<String, Map<String, Long>> merged = new HashMap<>();
        for (SliceCounter slice : slices) {
            total += slice.total;
            slice.counts.forEach((dimension, values) -> values.forEach((value, count) ->
                    merged.computeIfAbsent(dimension, d -> new HashMap<>()).merge(value, count, Long::sum)));
        }
        return new Counts(total, merged);
    }

    /** The counts of one slice of segments. */
    static final class SliceCounter implements Collector {
        private final List<String> dimensions;
        private final Map<String, Map<String, Long>> counts = new HashMap<>();
        private long total;

        private SliceCounter(List<String> dimensions) {
            this.dimensions = dimensions;
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        @Override
        public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
            DimensionCounter[] counters = new DimensionCounter[dimensions.size()];
            for (int i = 0; i < counters.length; i++) {
                String dimension = dimensions.get(i);
                counters[i] = new DimensionCounter(dimension, DocValues.getSortedSet(context.reader(), FIELD_PREFIX + dimension));
            }
            return new LeafCollector() {
                private long leafHits;

                @Override
                public void setScorer(Scorable scorer) {
                }

                @Override
                public void collect(int doc) throws IOException {
                    leafHits++;
                    for (DimensionCounter counter : counters) {
                        counter.count(doc);
                    }
                }

                @Override
                public void finish() throws IOException {
                    total += leafHits;
                    for (DimensionCounter counter : counters) {
                        counter.addTo(counts.computeIfAbsent(counter.dimension, d -> new HashMap<>()));
                    }
                }
            };
        }
    }

    /** One dimension's counts in one segment, by the segment's ordinals. */
    private static final class DimensionCounter {
        private final String dimension;
        private final SortedSetDocValues values;
        /** The same values when no document of the segment has two: one read per hit, no ordinal loop. */
        private final SortedDocValues single;
        private final int[] perOrdinal;

        DimensionCounter(String dimension, SortedSetDocValues values) {
            this.dimension = dimension;
            this.values = values;
            this.single = DocValues.unwrapSingleton(values);
            this.perOrdinal = new int[Math.toIntExact(values.getValueCount())];
        }

        void count(int doc) throws IOException {
            if (single != null) {
                if (single.advanceExact(doc)) {
                    perOrdinal[single.ordValue()]++;
                }
            } else if (values.advanceExact(doc)) {
                for (int i = values.docValueCount(); i > 0; i--) {
                    perOrdinal[(int) values.nextOrd()]++;
                }
            }
        }

        void addTo(Map<String, Long> byValue) throws IOException {
            for (int ord = 0; ord < perOrdinal.length; ord++) {
                if (perOrdinal[ord] > 0) {
                    byValue.merge(values.lookupOrd(ord).utf8ToString(), (long) perOrdinal[ord], Long::sum);
                }
            }
        }
    }
}
