package org.arca.core.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.arca.core.Database;
import org.arca.core.Tables.Folders;
import org.arca.core.Tables.Items;
import org.arca.core.Tables;
import org.arca.core.access.AccessControl;
import org.arca.core.access.Caller;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search index: a Lucene index in the data folder, a cache of the database. Changes reach it from the
 * core's services after they commit and are applied on one thread of its own, in order, so writers never
 * wait for Lucene; searches see them within a second (near-real-time reopen). An index that is missing,
 * unreadable, or was not closed cleanly is rebuilt from the database in the background while searches
 * answer from what is already there. Thread-safe; close it once.
 */
public final class SearchIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);
    private static final String CLEAN = "arca.clean";
    /**
     * What the documents hold, stored with every commit; an index of any other layout lacks some of it and is
     * rebuilt on open. Layout 4: folder names are not words of the documents below them (a hidden ancestor's
     * name must not find them); documents carry their groups (a DICOM instance its study and series) for grouped
     * searches; each facet dimension is a doc-values field of its own ({@link FacetCounting}).
     */
    private static final String LAYOUT = "arca.layout";
    private static final String CURRENT_LAYOUT = "4";
    private static final int BATCH = 500;
    /** Items indexed per page of a rebuild; bounds the memory a rebuild needs, whatever a folder holds. */
    private static final int ITEM_PAGE = 2000;

    private final Database db;
    private final Path dir;
    private final Analyzer analyzer = new SearchAnalyzer();
    private final List<SearchContributor> contributors = new CopyOnWriteArrayList<>();
    private final SearchDocuments documents = new SearchDocuments(() -> contributors);
    private final ExecutorService updates = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("arca-search-index").factory());
    /**
     * One search runs over the index's segment slices on every processor: at a million documents a broad query
     * spends its time counting every hit and its facets, which slices and segments share out (the 1M benchmark's p95 was 62 ms
     * on one thread). Daemon threads, as a search is never worth keeping the JVM alive for.
     */
    private final ExecutorService segmentSearches = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()), Thread.ofPlatform().daemon().name("arca-search-", 0).factory());
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("arca-search-refresh").factory());
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final SearchRunner runner;
    private volatile boolean rebuilding;
    /** Items changed and not yet indexed, in the order they changed ({@link #itemsChanged}). */
    private final Set<String> changedItems = new LinkedHashSet<>();
    /** Whether an update of {@link #changedItems} is queued; guarded by {@code changedItems}. */
    private boolean itemUpdateQueued;
    private final int itemPage;

    public SearchIndex(Database db, Path dir) {
        this(db, dir, ITEM_PAGE);
    }

    /** With another page size of a rebuild, so tests can cross page boundaries with a few items. */
    public SearchIndex(Database db, Path dir, int itemPage) {
        this.db = db;
        this.dir = dir;
        this.itemPage = itemPage;
        try {
            Files.createDirectories(dir);
            boolean usable = usable(dir);
            if (!usable) {
                wipe(dir);
            }
            directory = FSDirectory.open(dir);
            writer = new IndexWriter(directory, new IndexWriterConfig(analyzer).setRAMBufferSizeMB(64)
                    .setOpenMode(usable ? IndexWriterConfig.OpenMode.CREATE_OR_APPEND : IndexWriterConfig.OpenMode.CREATE));
            // Until close() says otherwise, a crash leaves a commit marked unclean, and the next start rebuilds.
            writer.setLiveCommitData(Map.of(CLEAN, "false", LAYOUT, CURRENT_LAYOUT).entrySet());
            writer.commit();
            searchers = new SearcherManager(writer, new SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
                    return new IndexSearcher(reader, segmentSearches);
                }
            });
            runner = new SearchRunner(db, searchers, analyzer);
            if (!usable) {
                rebuild();
            }
        } catch (IOException e) {
            segmentSearches.shutdown();
            throw new UncheckedIOException("cannot open the search index in " + dir, e);
        }
        refresher.scheduleWithFixedDelay(this::refresh, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** An index was closed cleanly and can be read; anything else is rebuilt. */
    private static boolean usable(Path dir) {
        try (Directory d = FSDirectory.open(dir)) {
            if (!DirectoryReader.indexExists(d)) {
                return false;
            }
            try (DirectoryReader reader = DirectoryReader.open(d)) {
                Map<String, String> data = reader.getIndexCommit().getUserData();
                if (!CURRENT_LAYOUT.equals(data.get(LAYOUT))) {
                    LOG.info("search index in {} has an older layout; rebuilding it", dir);
                    return false;
                }
                return "true".equals(data.get(CLEAN));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("search index in {} is unreadable ({}); rebuilding it", dir, e.toString());
            return false;
        }
    }

    private static void wipe(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /** Registers a module's contributions; call at wiring time, before the first item is indexed. */
    public void addContributor(SearchContributor contributor) {
        contributors.add(contributor);
    }

    /** Searches what the caller may read; the access filter is part of the query. */
    public SearchResult search(Caller caller, SearchQuery query, AccessControl access) {
        return runner.search(query, access.readableRoots(caller));
    }

    /** True while a rebuild is running (results may be incomplete). */
    public boolean rebuilding() {
        return rebuilding;
    }

    /**
     * Rebuilds the whole index from the database in batches of folders, queued with live updates so those
     * keep their order; returns at once. Searches answer throughout.
     */
    public void rebuild() {
        rebuilding = true;
        updates.execute(() -> write(w -> w.deleteAll()));
        List<String> folderIds = db.dsl().select(Folders.ID).from(Folders.T).orderBy(Folders.ID).fetch(Folders.ID);
        for (int start = 0; start < folderIds.size(); start += BATCH) {
            List<String> batch = List.copyOf(folderIds.subList(start, Math.min(folderIds.size(), start + BATCH)));
            updates.execute(() -> indexFolders(batch));
        }
        updates.execute(() -> {
            rebuilding = false;
            LOG.info("search index rebuilt: {} folders", folderIds.size());
        });
    }

    /** Waits until every change queued so far is searchable: for the command line, tests and benchmarks. */
    public void awaitQueued() {
        try {
            updates.submit(() -> write(IndexWriter::commit)).get();
            searchers.maybeRefreshBlocking();
        } catch (Exception e) {
            throw new IllegalStateException("search index update failed", e);
        }
    }

    // Changes, told by the core's services after their transaction committed.

    public void itemChanged(String itemId) {
        itemsChanged(List.of(itemId));
    }

    /**
     * Items changed: their documents are rebuilt from the database. Changes that arrive while earlier ones wait
     * are gathered into one update (one query for their documents): a surface storing many small files, one
     * item each, would otherwise spend a query and an update per item. A document is always built from the
     * database as it is when the update runs, after every change that queued it, so gathering loses none.
     */
    public void itemsChanged(List<String> itemIds) {
        synchronized (changedItems) {
            changedItems.addAll(itemIds);
            if (itemUpdateQueued) {
                return;
            }
            itemUpdateQueued = true;
        }
        updates.execute(this::indexChangedItems);
    }

    private void indexChangedItems() {
        List<String> changed;
        synchronized (changedItems) {
            // All of them, even past a batch: whatever was queued after this task (a commit that waits for
            // every change told so far) must find them indexed.
            changed = List.copyOf(changedItems);
            changedItems.clear();
            itemUpdateQueued = false;
        }
        for (int start = 0; start < changed.size(); start += BATCH) {
            List<String> batch = changed.subList(start, Math.min(changed.size(), start + BATCH));
            write(w -> {
                List<Document> docs = documents.items(db.dsl(), batch);
                Set<String> found = new HashSet<>();
                for (Document doc : docs) {
                    found.add(doc.get(SearchDocuments.ID));
                    w.updateDocument(new Term(SearchDocuments.ID, doc.get(SearchDocuments.ID)), doc);
                }
                for (String itemId : batch) {
                    if (!found.contains(SearchDocuments.itemKey(itemId))) {
                        w.deleteDocuments(new Term(SearchDocuments.ID, SearchDocuments.itemKey(itemId)));
                    }
                }
            });
        }
    }

    public void itemDeleted(String itemId) {
        updates.execute(() -> write(w -> w.deleteDocuments(new Term(SearchDocuments.ID, SearchDocuments.itemKey(itemId)))));
    }

    /** A folder and everything below it changed place, name or contents: reindex the subtree. */
    public void subtreeChanged(String folderId) {
        updates.execute(() -> {
            List<String> subtree = db.dsl().select(Tables.Ancestors.FOLDER_ID).from(Tables.Ancestors.T)
                    .where(Tables.Ancestors.ANCESTOR_ID.eq(folderId)).fetch(Tables.Ancestors.FOLDER_ID);
            for (int start = 0; start < subtree.size(); start += BATCH) {
                indexFolders(subtree.subList(start, Math.min(subtree.size(), start + BATCH)));
            }
        });
    }

    public void folderChanged(String folderId) {
        updates.execute(() -> indexFolders(List.of(folderId)));
    }

    /** A folder and its subtree are gone: every document below it goes too. */
    public void subtreeDeleted(String folderId) {
        updates.execute(() -> write(w -> w.deleteDocuments(new Term(SearchDocuments.ANCESTOR, folderId))));
    }

    /**
     * What a contributor knows about some content changed (its text was extracted): reindex the items whose
     * files hold those bytes.
     */
    public void contentChanged(String sha256) {
        updates.execute(() -> {
            DSLContext dsl = db.dsl();
            List<String> itemIds = dsl.selectDistinct(Tables.Files.ITEM_ID).from(Tables.Files.T)
                    .where(Tables.Files.SHA256.eq(sha256)).fetch(Tables.Files.ITEM_ID);
            write(w -> {
                for (Document doc : documents.items(dsl, itemIds)) {
                    w.updateDocument(new Term(SearchDocuments.ID, doc.get(SearchDocuments.ID)), doc);
                }
            });
        });
    }

    /**
     * Indexes the folders, then each folder's items a page at a time: a folder can hold a million DICOM
     * instances, and loading every item of a batch of folders at once ran a 6 GB heap out of memory. Pages are
     * keyed by name within one folder, which the unique (folder, name) index answers as a range; paging by id
     * over the whole batch made the database sort the batch's items again for every page (hours for a million).
     */
    private void indexFolders(List<String> folderIds) {
        DSLContext dsl = db.dsl();
        write(w -> add(w, documents.folders(dsl, folderIds)));
        for (String folderId : folderIds) {
            String after = "";
            while (true) {
                var page = dsl.select(Items.ID, Items.NAME).from(Items.T).where(Items.FOLDER_ID.eq(folderId))
                        .and(Items.NAME.gt(after)).orderBy(Items.NAME).limit(itemPage).fetch();
                if (page.isEmpty()) {
                    break;
                }
                List<String> ids = page.getValues(Items.ID);
                write(w -> add(w, documents.items(dsl, ids)));
                after = page.getLast().value2();
                if (page.size() < itemPage) {
                    break;
                }
            }
        }
    }

    private static void add(IndexWriter w, List<Document> docs) throws IOException {
        for (Document doc : docs) {
            w.updateDocument(new Term(SearchDocuments.ID, doc.get(SearchDocuments.ID)), doc);
        }
    }

    @FunctionalInterface
    private interface IndexWork {
        void run(IndexWriter writer) throws IOException;
    }

    /** One update; a failure is logged and the index stays as it was, the database being the truth. */
    private void write(IndexWork work) {
        try {
            work.run(writer);
        } catch (IOException | RuntimeException e) {
            LOG.warn("search index update failed", e);
        }
    }

    private void refresh() {
        try {
            searchers.maybeRefresh();
        } catch (IOException | RuntimeException e) {
            LOG.warn("search index refresh failed", e);
        }
    }

    @Override
    public void close() {
        // Never interrupt a thread inside Lucene: an interrupted write closes its file channel and the index lock.
        refresher.shutdown();
        updates.shutdown();
        try {
            refresher.awaitTermination(30, TimeUnit.SECONDS);
            boolean drained = updates.awaitTermination(30, TimeUnit.SECONDS);
            searchers.close();
            segmentSearches.shutdown();
            if (drained && !rebuilding) {
                writer.setLiveCommitData(Map.of(CLEAN, "true", LAYOUT, CURRENT_LAYOUT).entrySet());
            }
            writer.close();
            directory.close();
        } catch (IOException e) {
            LOG.warn("search index did not close cleanly; it will be rebuilt on the next start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Path directory() {
        return dir;
    }

    /** The count of documents a search can see now, for tests and the command line. */
    public int documentCount() {
        return runner.count();
    }

    /** Used by the rebuild-on-start check in tests: the ids of every indexed folder and item. */
    Collection<String> ids() {
        return runner.ids();
    }
}
