package org.arca.core;

import static org.arca.core.ArcaErrors.assertArcaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.arca.core.access.AccessLevel;
import org.arca.core.access.AclEntry;
import org.arca.core.access.Caller;
import org.arca.core.blob.BlobStore;
import org.arca.core.search.SearchQuery;
import org.arca.core.search.SearchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Creating many items at once: each one exists with its file, audit entry, listener call and search document, as
 * after a single upload; and what a single upload refuses (no access, read only, a name taken) refuses the whole
 * batch, leaving nothing behind.
 */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class ItemBatchTest {

    @Parameter
    TestDatabases.Kind kind;

    static TestRepository test;
    static Caller owner;
    static Caller reader;
    static Caller stranger;
    static final List<ItemListener.ItemEvent> heard = new CopyOnWriteArrayList<>();

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        test = new TestRepository(kind);
        owner = test.user("owner");
        reader = test.user("reader");
        stranger = test.user("stranger");
        test.repo().items().addListener(heard::add);
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    private static List<ItemStore.NewItem> batch(String prefix, int count) {
        List<ItemStore.NewItem> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] bytes = (prefix + " result number " + i).getBytes(StandardCharsets.UTF_8);
            BlobStore.Blob blob = test.repo().blobs().write(new ByteArrayInputStream(bytes), bytes.length, 1 << 20);
            items.add(new ItemStore.NewItem(prefix + "-" + i + ".txt", "text/plain", blob));
        }
        return items;
    }

    @Test
    void everyItemIsStoredAuditedHeardAndSearchable() throws Exception {
        Folder folder = test.repo().folders().createCollection(owner, "Batch " + kind, null);
        heard.clear();
        List<Item> created = test.repo().items().createAll(owner, folder.id(), batch("overlay", 5));

        assertThat(created).extracting(Item::name).containsExactly("overlay-0.txt", "overlay-1.txt", "overlay-2.txt",
                "overlay-3.txt", "overlay-4.txt");
        for (Item item : created) {
            Item stored = test.repo().items().get(owner, item.id());
            assertThat(stored.folderId()).isEqualTo(folder.id());
            assertThat(stored.files()).singleElement().satisfies(f -> assertThat(f.mediaType()).isEqualTo("text/plain"));
            try (var in = test.repo().bytes().open(owner, stored.files().get(0), StoredBytes.Audit.partOf("test"))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("overlay result number " + created.indexOf(item));
            }
            var audit = test.repo().audit().query(Caller.SYSTEM, "owner", item.id(), "item.create", 10, 0);
            assertThat(audit.total()).isEqualTo(1);
            assertThat(audit.entries().get(0).detail()).contains("name=" + item.name());
        }
        assertThat(heard).extracting(e -> e.item().id()).containsExactlyElementsOf(created.stream().map(Item::id).toList());
        assertThat(heard).allSatisfy(e -> assertThat(e.change()).isEqualTo(ItemListener.Change.CREATED));
        test.repo().searchIndex().awaitQueued();
        assertThat(test.repo().search(owner, SearchQuery.of("overlay")).hits()).extracting(SearchResult.Hit::name)
                .containsExactlyInAnyOrder("overlay-0.txt", "overlay-1.txt", "overlay-2.txt", "overlay-3.txt", "overlay-4.txt");
        assertThat(test.repo().search(stranger, SearchQuery.of("overlay")).total()).isZero();
    }

    @Test
    void whatASingleUploadRefusesRefusesTheWholeBatch() {
        Folder folder = test.repo().folders().createCollection(owner, "Refused " + kind, null);
        test.repo().access().setAcl(owner, folder.id(), List.of(new AclEntry("user:owner", AccessLevel.ADMIN),
                new AclEntry("user:reader", AccessLevel.READ)));
        test.upload(owner, folder.id(), "taken-2.txt", "already here");
        heard.clear();

        assertArcaError(() -> test.repo().items().createAll(owner, folder.id(), batch("taken", 4)), ArcaException.Kind.CONFLICT);
        List<ItemStore.NewItem> twice = new ArrayList<>(batch("twice", 2));
        twice.add(twice.get(0));
        assertArcaError(() -> test.repo().items().createAll(owner, folder.id(), twice), ArcaException.Kind.CONFLICT);
        assertArcaError(() -> test.repo().items().createAll(reader, folder.id(), batch("read", 2)), ArcaException.Kind.FORBIDDEN);
        assertArcaError(() -> test.repo().items().createAll(stranger, folder.id(), batch("hidden", 2)),
                ArcaException.Kind.NOT_FOUND);
        assertArcaError(() -> test.repo().items().createAll(owner, folder.id(), List.of(new ItemStore.NewItem("a/b.txt",
                "text/plain", batch("bad", 1).get(0).blob()))));

        for (String name : List.of("taken-0.txt", "taken-1.txt", "taken-3.txt", "twice-0.txt", "read-0.txt", "hidden-0.txt")) {
            assertThat(test.repo().items().find(owner, folder.id(), name)).as(name).isEmpty();
        }
        assertThat(test.repo().items().find(owner, folder.id(), "taken-2.txt")).isPresent();
        assertThat(heard).isEmpty();
    }

    private static ItemStore.Put put(String folderId, String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        BlobStore.Blob blob = test.repo().blobs().write(new ByteArrayInputStream(bytes), bytes.length, 1 << 20);
        return new ItemStore.Put(folderId, name, "text/plain", blob);
    }

    private static String content(Caller caller, Item item) throws Exception {
        try (var in = test.repo().bytes().open(caller, test.repo().items().get(caller, item.id()).files().get(0),
                StoredBytes.Audit.partOf("test"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void putAllStoresEachPutAsASingleUploadWouldAndRefusesEachOnItsOwn() throws Exception {
        Folder writable = test.repo().folders().createCollection(owner, "Put writable " + kind, null);
        Folder readable = test.repo().folders().createCollection(owner, "Put readable " + kind, null);
        Folder hidden = test.repo().folders().createCollection(owner, "Put hidden " + kind, null);
        test.repo().access().setAcl(owner, writable.id(), List.of(new AclEntry("user:owner", AccessLevel.ADMIN),
                new AclEntry("user:reader", AccessLevel.WRITE)));
        test.repo().access().setAcl(owner, readable.id(), List.of(new AclEntry("user:owner", AccessLevel.ADMIN),
                new AclEntry("user:reader", AccessLevel.READ)));
        Item before = test.upload(owner, writable.id(), "replaced.txt", "first content");
        test.repo().folders().create(owner, writable.id(), "subfolder", "");
        Caller writer = test.caller("reader");
        heard.clear();

        List<ItemStore.PutResult> results = test.repo().items().putAll(writer, List.of(
                put(writable.id(), "sunflower-new.txt", "sunflower fresh"),
                put(readable.id(), "sunflower-read.txt", "sunflower refused"),
                put(writable.id(), "replaced.txt", "sunflower second content"),
                put(hidden.id(), "sunflower-hidden.txt", "sunflower hidden"),
                put(writable.id(), "subfolder", "a folder has this name"),
                put(writable.id(), "bad/name.txt", "sunflower bad"),
                put(readable.id(), "sunflower-read-2.txt", "sunflower refused too")));

        assertThat(results).extracting(r -> r.refusal() == null ? "stored" : r.refusal().kind().name()).containsExactly(
                "stored", "FORBIDDEN", "stored", "NOT_FOUND", "CONFLICT", "INVALID", "FORBIDDEN");
        Item created = results.get(0).item();
        Item replaced = results.get(2).item();
        assertThat(created.name()).isEqualTo("sunflower-new.txt");
        assertThat(content(owner, created)).isEqualTo("sunflower fresh");
        assertThat(replaced.id()).isEqualTo(before.id());
        assertThat(content(owner, replaced)).isEqualTo("sunflower second content");
        for (String name : List.of("sunflower-read.txt", "sunflower-read-2.txt")) {
            assertThat(test.repo().items().find(owner, readable.id(), name)).as(name).isEmpty();
        }
        assertThat(test.repo().items().find(owner, hidden.id(), "sunflower-hidden.txt")).isEmpty();

        assertThat(test.repo().audit().query(Caller.SYSTEM, "reader", created.id(), "item.create", 10, 0).total())
                .isEqualTo(1);
        assertThat(test.repo().audit().query(Caller.SYSTEM, "reader", before.id(), "item.replace", 10, 0).total())
                .isEqualTo(1);
        assertThat(test.repo().audit().verify().intact()).isTrue();
        assertThat(heard).extracting(e -> e.item().id() + " " + e.change())
                .containsExactly(created.id() + " CREATED", before.id() + " CONTENT_REPLACED");
        test.repo().searchIndex().awaitQueued();
        assertThat(test.repo().search(owner, SearchQuery.of("sunflower")).hits()).extracting(SearchResult.Hit::name)
                .containsExactlyInAnyOrder("sunflower-new.txt");
    }

    @Test
    void aNamePutTwiceInOneBatchEndsWithTheLaterContent() throws Exception {
        Folder folder = test.repo().folders().createCollection(owner, "Put twice " + kind, null);
        List<ItemStore.PutResult> results = test.repo().items().putAll(owner, List.of(
                put(folder.id(), "twice.txt", "earlier"), put(folder.id(), "twice.txt", "later")));

        assertThat(results).allSatisfy(r -> assertThat(r.refusal()).isNull());
        assertThat(results.get(1).item().id()).isEqualTo(results.get(0).item().id());
        assertThat(content(owner, results.get(1).item())).isEqualTo("later");
        assertThat(test.repo().folders().children(owner, folder.id(), 10, 0).items()).hasSize(1);
    }

    @Test
    void anUploadAndTheCheckBeforeOneAgreeOnWhatIsRefusedAndWhatIsReplaced() throws Exception {
        Folder folder = test.repo().folders().createCollection(owner, "Single " + kind, null);
        Caller writer = test.user("single-writer-" + kind.name().toLowerCase());
        test.repo().access().setAcl(owner, folder.id(), List.of(new AclEntry("user:owner", AccessLevel.ADMIN),
                new AclEntry("user:reader", AccessLevel.READ), new AclEntry("user:" + writer.login(), AccessLevel.WRITE)));
        writer = test.caller(writer.login());
        Item present = test.upload(owner, folder.id(), "present.txt", "first");
        test.repo().folders().create(owner, folder.id(), "sub", "");
        ItemStore items = test.repo().items();
        Caller w = writer;

        assertThat(items.checkReplaceableUpload(w, folder.id(), "new.txt")).isEmpty();
        assertThat(items.checkReplaceableUpload(w, folder.id(), "present.txt")).map(Item::id).contains(present.id());
        assertArcaError(() -> items.checkReplaceableUpload(w, folder.id(), "sub"), ArcaException.Kind.CONFLICT);
        assertArcaError(() -> items.checkReplaceableUpload(reader, folder.id(), "new.txt"), ArcaException.Kind.FORBIDDEN);
        assertArcaError(() -> items.checkReplaceableUpload(stranger, folder.id(), "new.txt"), ArcaException.Kind.NOT_FOUND);
        assertArcaError(() -> items.checkReplaceableUpload(w, "no-such-folder", "new.txt"), ArcaException.Kind.NOT_FOUND);
        assertArcaError(() -> items.checkReplaceableUpload(w, folder.id(), "a/b.txt"), ArcaException.Kind.INVALID);

        assertArcaError(() -> test.upload(w, folder.id(), "present.txt", "second"), ArcaException.Kind.CONFLICT);
        assertArcaError(() -> test.upload(w, folder.id(), "sub", "a folder has this name"), ArcaException.Kind.CONFLICT);
        byte[] bytes = "replaced content".getBytes(StandardCharsets.UTF_8);
        Item replaced = items.upload(w, folder.id(), "present.txt", "text/plain", new ByteArrayInputStream(bytes),
                bytes.length, true);
        assertThat(replaced.id()).isEqualTo(present.id());
        assertThat(content(owner, replaced)).isEqualTo("replaced content");
        Item created = test.upload(w, folder.id(), "new.txt", "new content");
        assertThat(content(owner, created)).isEqualTo("new content");
        assertThat(test.repo().folders().children(owner, folder.id(), 10, 0).items()).extracting(Item::name)
                .containsExactly("new.txt", "present.txt");
        assertThat(test.repo().audit().verify().intact()).isTrue();
    }
}
