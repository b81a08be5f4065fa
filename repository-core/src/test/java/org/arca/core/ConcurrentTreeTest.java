package org.arca.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.arca.core.access.Caller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** The tree's rules with writers racing each other, many rounds, on each database. */
@ParameterizedClass
@MethodSource("org.arca.core.TestDatabases#kinds")
class ConcurrentTreeTest {

    private static final int ROUNDS = 30;

    @Parameter
    TestDatabases.Kind kind;

    static TestRepository test;
    static FolderTree folders;
    static ItemStore items;
    static Caller alice;

    @BeforeParameterizedClassInvocation
    static void open(TestDatabases.Kind kind) {
        test = new TestRepository(kind);
        folders = test.repo().folders();
        items = test.repo().items();
        alice = test.user("alice");
    }

    @AfterParameterizedClassInvocation
    static void close() {
        test.close();
    }

    @Test
    void twoFoldersMovedIntoEachOtherAtOnceNeverMakeACycle() throws Exception {
        Folder collection = folders.createCollection(alice, "Moves", null);
        for (int round = 0; round < ROUNDS; round++) {
            Folder p = folders.create(alice, collection.id(), "p" + round, null);
            Folder q = folders.create(alice, collection.id(), "q" + round, null);
            List<Race.Outcome<Folder>> outcomes = Race.run(() -> folders.move(alice, p.id(), q.id()),
                    () -> folders.move(alice, q.id(), p.id()));
            assertThat(outcomes).filteredOn(Race.Outcome::succeeded).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.succeeded())
                    .allSatisfy(o -> assertThat(o.refusal().code()).isEqualTo("move_into_own_subtree"));
            // Both are still in the collection, reachable from it and archived with it.
            for (Folder folder : List.of(p, q)) {
                assertThat(folders.ancestors(alice, folder.id())).first().extracting(Folder::id).isEqualTo(collection.id());
            }
            assertThat(folders.subtree(alice, collection.id())).extracting(FolderTree.FolderPath::folderId)
                    .contains(p.id(), q.id());
        }
        assertThat(folders.subtree(alice, collection.id())).hasSize(1 + 2 * ROUNDS);
    }

    @Test
    void aFolderAndAnItemOfOneNameAreNeverBothMade() throws Exception {
        Folder collection = folders.createCollection(alice, "Names", null);
        for (int round = 0; round < ROUNDS; round++) {
            String name = "twin" + round;
            List<Race.Outcome<Object>> outcomes = Race.run(() -> folders.create(alice, collection.id(), name, null),
                    () -> test.upload(alice, collection.id(), name, "content"));
            assertThat(outcomes).filteredOn(Race.Outcome::succeeded).as("round %d", round).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.succeeded())
                    .allSatisfy(o -> assertThat(o.refusal().code()).isEqualTo("name_taken"));
        }
        assertThat(folders.children(alice, collection.id(), 1000, 0).total()).isEqualTo(ROUNDS);
    }

    @Test
    void renamesAndMovesIntoOneNameLeaveOneHolder() throws Exception {
        Folder collection = folders.createCollection(alice, "Renames", null);
        Folder elsewhere = folders.create(alice, collection.id(), "elsewhere", null);
        for (int round = 0; round < ROUNDS; round++) {
            String name = "wanted" + round;
            Folder folder = folders.create(alice, collection.id(), "folder" + round, null);
            Item item = test.upload(alice, collection.id(), "item" + round, "content");
            Item mover = test.upload(alice, elsewhere.id(), name, "content");
            List<Race.Outcome<Object>> outcomes = Race.run(() -> folders.update(alice, folder.id(), name, null),
                    () -> items.update(alice, item.id(), name, null), () -> items.move(alice, mover.id(), collection.id()));
            assertThat(outcomes).filteredOn(Race.Outcome::succeeded).as("round %d", round).hasSize(1);
            assertThat(outcomes).filteredOn(o -> !o.succeeded())
                    .allSatisfy(o -> assertThat(o.refusal().code()).isEqualTo("name_taken"));
        }
    }

    @Test
    void parallelPutsOfOneNewNameMakeOneItemAndReplaceItsContent() throws Exception {
        Folder collection = folders.createCollection(alice, "Puts", null);
        for (int round = 0; round < ROUNDS; round++) {
            String name = "same" + round + ".txt";
            List<Callable<ItemStore.Stored>> puts = new ArrayList<>();
            for (int writer = 0; writer < 4; writer++) {
                byte[] bytes = ("writer " + writer).getBytes(StandardCharsets.UTF_8);
                puts.add(() -> items.put(alice, collection.id(), name, "text/plain", new ByteArrayInputStream(bytes),
                        bytes.length));
            }
            List<Race.Outcome<ItemStore.Stored>> outcomes = Race.run(puts);
            assertThat(outcomes).allMatch(Race.Outcome::succeeded);
            assertThat(outcomes).extracting(o -> o.value().change())
                    .as("round %d", round).containsOnlyOnce(ItemListener.Change.CREATED)
                    .containsOnly(ItemListener.Change.CREATED, ItemListener.Change.CONTENT_REPLACED);
            assertThat(outcomes).extracting(o -> o.value().item().id()).containsOnly(outcomes.get(0).value().item().id());
        }
        assertThat(folders.children(alice, collection.id(), 1000, 0).total()).isEqualTo(ROUNDS);
    }
}
