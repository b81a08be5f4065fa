package org.arca.core.search;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.arca.core.Folder;
import org.arca.core.Item;
import org.arca.core.MetadataStore;
import org.arca.core.MetadataValue;
import org.arca.core.Repository;
import org.arca.core.TestDatabases;
import org.arca.core.TestRepository;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.accounts.Site;
import org.arca.core.search.SearchIndex;
import org.arca.core.search.SearchQuery;
import org.arca.core.search.SearchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The search index over a real repository: what each caller finds, filters, facets, and rebuilds. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class SearchIndexTest {

    @Parameter
    TestDatabases.Kind kind;

    static TestRepository test;
    static Repository repo;
    static Caller owner;
    static Caller bob;
    static Folder trial;
    static Folder site;
    static Folder secret;
    static Item protocol;

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        test = new TestRepository(kind);
        repo = test.repo();
        // A contributor as text extraction is: words stored elsewhere, keyed by the file's bytes.
        repo.searchIndex().addContributor((file, fields) -> {
            if (file.name().endsWith(".pdf")) {
                fields.text("The gadolinium dose was reduced for every participant.").attribute("modality", "MR")
                        .date(LocalDate.of(2019, 5, 1));
            }
        });
        owner = test.user("owner");
        bob = test.user("bob");
        trial = repo.folders().createCollection(owner, "Trial Alpha", null);
        site = repo.folders().create(owner, trial.id(), "Site Berlin", null);
        secret = repo.folders().create(owner, trial.id(), "Unblinding", null);
        protocol = pdf(site, "protocol.pdf");
        test.upload(owner, site.id(), "notes.txt", "plain notes");
        Item key = pdf(secret, "randomisation key.pdf");
        repo.metadata().put(owner, MetadataStore.Target.ITEM, protocol.id(), Map.of("visit", new MetadataValue.Number(3),
                "signed", new MetadataValue.Date(LocalDate.of(2024, 2, 3)), "sponsor", new MetadataValue.Text("Acme Pharma")));
        repo.metadata().put(owner, MetadataStore.Target.ITEM, key.id(), Map.of("visit", new MetadataValue.Number(9)));
        repo.access().setAcl(owner, site.id(), List.of(new AclEntry("user:bob", AccessLevel.READ)));
        repo.searchIndex().awaitQueued();
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    private static Item pdf(Folder folder, String name) {
        byte[] bytes = "%PDF-1.4 stand-in".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return repo.items().upload(owner, folder.id(), name, "application/pdf", new java.io.ByteArrayInputStream(bytes),
                bytes.length, false);
    }

    private static List<String> names(Caller caller, SearchQuery query) {
        return repo.search(caller, query).hits().stream().map(SearchResult.Hit::name).sorted().toList();
    }

    private static SearchQuery filtered(String text, Map<String, String> meta) {
        return new SearchQuery(text, List.of(), List.of(), List.of(), null, null, meta, 20, 0);
    }

    @Test
    void extractedWordsAreFoundWithSnippetAndPathButOnlyWhereTheCallerMayRead() {
        SearchResult mine = repo.search(owner, SearchQuery.of("gadolinium"));
        assertThat(mine.total()).isEqualTo(2);
        SearchResult bobs = repo.search(bob, SearchQuery.of("gadolinium"));
        assertThat(bobs.total()).isEqualTo(1);
        SearchResult.Hit hit = bobs.hits().get(0);
        assertThat(hit.name()).isEqualTo("protocol.pdf");
        assertThat(hit.snippet()).contains("<mark>gadolinium</mark>");
        // Bob may read the site folder but not the collection: the path starts where his access does.
        assertThat(hit.path()).isEqualTo("Site Berlin");
        assertThat(mine.hits().stream().map(SearchResult.Hit::path)).contains("Trial Alpha/Site Berlin");
        // Nor is the collection's id: hits shared out of a collection Bob cannot read name no collection.
        assertThat(bobs.facets().get("collection")).isEmpty();
        assertThat(mine.facets().get("collection")).extracting(SearchResult.FacetCount::label).containsExactly("Trial Alpha");
        assertThat(repo.search(Caller.ANONYMOUS, SearchQuery.of("gadolinium")).total()).isZero();
    }

    @Test
    void anAclChangeIsSeenAtOnceWithoutReindexing() {
        assertThat(names(bob, SearchQuery.of("randomisation"))).isEmpty();
        repo.access().setAcl(owner, secret.id(), List.of(new AclEntry("user:bob", AccessLevel.READ)));
        try {
            assertThat(names(bob, SearchQuery.of("randomisation"))).containsExactly("randomisation key.pdf");
        } finally {
            repo.access().setAcl(owner, secret.id(), List.of());
        }
        assertThat(names(bob, SearchQuery.of("randomisation"))).isEmpty();
    }

    @Test
    void queriesUseFieldsPhrasesBooleansAndFilters() {
        assertThat(names(owner, SearchQuery.of("\"dose was reduced\" AND name:protocol"))).containsExactly("protocol.pdf");
        assertThat(names(owner, SearchQuery.of("gadolinium NOT randomisation"))).containsExactly("protocol.pdf");
        assertThat(names(owner, SearchQuery.of("meta.sponsor:\"acme pharma\""))).containsExactly("protocol.pdf");
        assertThat(names(owner, SearchQuery.of("modality:mr"))).containsExactly("protocol.pdf", "randomisation key.pdf");
        assertThat(names(owner, SearchQuery.of("berlin"))).contains("Site Berlin", "notes.txt", "protocol.pdf");
        assertThat(names(bob, SearchQuery.of("berlin"))).containsExactly("Site Berlin", "notes.txt", "protocol.pdf");
        // The collection above Bob's grant is named in every path but is not his to find.
        assertThat(names(bob, SearchQuery.of("alpha"))).isEmpty();
        assertThat(names(bob, SearchQuery.of("path:alpha OR path:trial"))).isEmpty();
        assertThat(names(owner, SearchQuery.of("path:alpha AND gadolinium"))).containsExactly("protocol.pdf", "randomisation key.pdf");
        assertThat(names(owner, filtered("", Map.of("visit", "1..5")))).containsExactly("protocol.pdf");
        assertThat(names(owner, filtered("", Map.of("visit", "5..")))).containsExactly("randomisation key.pdf");
        assertThat(names(owner, filtered("", Map.of("signed", "2024-01-01..2024-12-31")))).containsExactly("protocol.pdf");
        assertThat(names(owner, filtered("", Map.of("sponsor", "ACME PHARMA")))).containsExactly("protocol.pdf");
        assertThat(names(owner, new SearchQuery("", List.of("folder"), List.of(), List.of(), null, null, Map.of(), 20, 0)))
                .containsExactly("Site Berlin", "Trial Alpha", "Unblinding");
        assertThat(names(owner, new SearchQuery("", List.of(), List.of("MR"), List.of(), LocalDate.of(2019, 1, 1),
                LocalDate.of(2019, 12, 31), Map.of(), 20, 0))).containsExactly("protocol.pdf", "randomisation key.pdf");
        assertArcaError(() -> repo.search(owner, SearchQuery.of("name:(unclosed")), "invalid_query");
        assertArcaError(() -> repo.search(owner, filtered("", Map.of("visit", "a..b"))), "invalid_metadata_range");
    }

    @Test
    void facetsCountEveryReadableHitAndPagingKeepsTheTotal() {
        SearchResult all = repo.search(owner, new SearchQuery("", List.of(), List.of(), List.of(), null, null, Map.of(), 1, 1));
        assertThat(all.hits()).hasSize(1);
        assertThat(all.total()).isGreaterThanOrEqualTo(6);
        assertThat(all.facets().get("type")).contains(new SearchResult.FacetCount("pdf", "pdf", 2));
        assertThat(all.facets().get("modality")).containsExactly(new SearchResult.FacetCount("MR", "MR", 2));
        assertThat(all.facets().get("year")).extracting(SearchResult.FacetCount::value).contains("2019");
        SearchResult bobs = repo.search(bob, SearchQuery.of(""));
        assertThat(bobs.facets().get("type")).contains(new SearchResult.FacetCount("pdf", "pdf", 1));
    }

    @Test
    void renamesMovesAndDeletesReachTheIndex() {
        Folder archive = repo.folders().create(owner, trial.id(), "Archive", null);
        Item moved = test.upload(owner, archive.id(), "travel.txt", "x");
        repo.searchIndex().awaitQueued();
        assertThat(names(bob, SearchQuery.of("travel"))).isEmpty();
        repo.folders().move(owner, archive.id(), site.id());
        repo.folders().update(owner, archive.id(), "Old files", null);
        repo.searchIndex().awaitQueued();
        SearchResult found = repo.search(bob, SearchQuery.of("travel"));
        assertThat(found.hits()).extracting(SearchResult.Hit::path).containsExactly("Site Berlin/Old files");
        assertThat(names(bob, SearchQuery.of("\"old files\" travel"))).containsExactly("travel.txt");
        repo.items().update(owner, moved.id(), "journey.txt", null);
        repo.searchIndex().awaitQueued();
        assertThat(names(owner, SearchQuery.of("journey"))).containsExactly("journey.txt");
        repo.folders().delete(owner, archive.id(), true);
        repo.searchIndex().awaitQueued();
        assertThat(names(owner, SearchQuery.of("journey"))).isEmpty();
        assertThat(names(owner, SearchQuery.of("\"old files\""))).isEmpty();
    }

    @Test
    void aCorruptIndexIsRebuiltFromTheDatabaseOnOpen() throws IOException {
        Path dir = test.dataDir().resolve("other-index");
        SearchIndex first = new SearchIndex(repo.database(), dir);
        first.rebuild();
        first.awaitQueued();
        int expected = first.documentCount();
        assertThat(expected).isGreaterThanOrEqualTo(6);
        first.close();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("segments")).toList()) {
                Files.write(f, new byte[] {1, 2, 3});
            }
        }
        try (SearchIndex second = new SearchIndex(repo.database(), dir)) {
            second.awaitQueued();
            assertThat(second.documentCount()).isEqualTo(expected);
            assertThat(second.rebuilding()).isFalse();
        }
    }

    @Test
    void aRebuildPagesThroughFoldersHoldingMoreItemsThanOnePage() throws IOException {
        Folder crowded = repo.folders().create(owner, trial.id(), "Crowded", null);
        Folder exact = repo.folders().create(owner, trial.id(), "Exactly two pages", null);
        for (int i = 0; i < 11; i++) {
            test.upload(owner, crowded.id(), "crowded-" + i + ".txt", "crowded " + i);
        }
        for (int i = 0; i < 8; i++) {
            test.upload(owner, exact.id(), "exact-" + i + ".txt", "exact " + i);
        }
        repo.searchIndex().awaitQueued();
        // Pages of 4: the folders' 19 items fill four pages and a part, and 8 alone would be exactly two.
        try (SearchIndex paged = new SearchIndex(repo.database(), test.dataDir().resolve("paged-index"), 4)) {
            paged.rebuild();
            paged.awaitQueued();
            assertThat(paged.ids()).containsExactlyInAnyOrderElementsOf(repo.searchIndex().ids());
            assertThat(paged.ids()).hasSizeGreaterThan(19);
        } finally {
            repo.folders().delete(owner, crowded.id(), true);
            repo.folders().delete(owner, exact.id(), true);
            repo.searchIndex().awaitQueued();
        }
    }

    @Test
    void manyItemsChangedFromSeveralThreadsAreAllIndexedBeforeAWaitReturns() throws Exception {
        int threads = 3;
        int each = 120;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        test.upload(owner, secret.id(), "quokka-" + thread + "-" + i + ".txt", "x");
                    }
                }));
            }
            for (var future : done) {
                future.get();
            }
        }
        repo.searchIndex().awaitQueued();

        SearchQuery query = new SearchQuery("quokka", List.of(), List.of(), List.of(), null, null, Map.of(), 1, 0);
        assertThat(repo.search(owner, query).total()).isEqualTo(threads * each);
    }
}
